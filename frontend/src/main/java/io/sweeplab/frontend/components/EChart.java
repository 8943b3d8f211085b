package io.sweeplab.frontend.components;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.Tag;

/**
 * An Apache ECharts chart (the free library from the {@code org.webjars.npm:echarts} webjar; no npm build). The
 * option is built on the server as a map and sent whole; the element's {@code data-points} attribute counts the
 * data points drawn and {@code data-rendered} changes on every redraw, for tests to wait on.
 */
@Tag("div")
public class EChart extends Component implements HasSize {

    static final String SCRIPT = "context://webjars/echarts/5.3.1/dist/echarts.min.js";
    private static final ObjectMapper JSON = new ObjectMapper();

    private String option = "{}";
    private int points;

    public EChart(String height) {
        setWidthFull();
        setHeight(height);
        getElement().setAttribute("data-points", "0");
    }

    @Override
    protected void onAttach(AttachEvent event) {
        event.getUI().getPage().addJavaScript(SCRIPT);
        render();
    }

    /**
     * @param option an ECharts option object (maps, lists, numbers, strings)
     * @param points how many data points it holds, for the {@code data-points} attribute
     */
    public void setOption(Object option, int points) {
        try {
            this.option = JSON.writeValueAsString(option);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        this.points = points;
        render();
    }

    private void render() {
        getElement().setAttribute("data-points", Integer.toString(points));
        getElement().executeJs("""
                const el = this, option = JSON.parse($0);
                const draw = () => {
                  if (!window.echarts) { setTimeout(draw, 50); return; }
                  const chart = echarts.getInstanceByDom(el) || echarts.init(el);
                  if (!el.__sweeplabResize) {
                    el.__sweeplabResize = new ResizeObserver(() => chart.resize());
                    el.__sweeplabResize.observe(el);
                  }
                  chart.setOption(option, true);
                  el.setAttribute('data-rendered', String(Date.now()));
                };
                draw();
                """, option);
    }
}
