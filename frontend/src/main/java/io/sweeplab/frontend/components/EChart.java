package io.sweeplab.frontend.components;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.function.SerializableConsumer;
import java.util.List;

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
    private boolean areaSelections;

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
     * @return whether the chart is drawn anew (false when the option and count are those already drawn)
     */
    public boolean setOption(Object option, int points) {
        String json;
        try {
            json = JSON.writeValueAsString(option);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        if (json.equals(this.option) && points == this.points) {
            return false; // a live page redraws every second: an unchanged chart keeps what the user did to it
        }
        this.option = json;
        this.points = points;
        render();
        return true;
    }

    /**
     * Tells {@code listener} what a brush on a parallel-coordinates chart selects: the names of the data items it
     * leaves active, or null when no axis is brushed (any more). Set it before the chart is attached.
     */
    public void onAreaSelected(SerializableConsumer<List<String>> listener) {
        areaSelections = true;
        getElement()
                .addEventListener("sweeplab-area-selected", e -> {
                    String detail = e.getEventData().getString("event.detail");
                    try {
                        String[] names = detail == null ? null : JSON.readValue(detail, String[].class);
                        listener.accept(names == null ? null : List.of(names));
                    } catch (JsonProcessingException | NullPointerException x) {
                        // not what this chart sends: ignored
                    }
                })
                .addEventData("event.detail");
    }

    /** Takes every brush off a parallel-coordinates chart's axes (the chart then reports no selection). */
    public void clearAreaSelection() {
        getElement().executeJs("""
                const chart = window.echarts && echarts.getInstanceByDom(this);
                if (chart) {
                  const axes = (chart.getOption().parallelAxis || []).length;
                  for (let i = 0; i < axes; i++) {
                    chart.dispatchAction({type: 'axisAreaSelect', parallelAxisIndex: i, intervals: []});
                  }
                }
                """);
    }

    private void render() {
        getElement().setAttribute("data-points", Integer.toString(points));
        getElement().executeJs("""
                const el = this, option = JSON.parse($0), areas = $1;
                const draw = () => {
                  if (!window.echarts) { setTimeout(draw, 50); return; }
                  const chart = echarts.getInstanceByDom(el) || echarts.init(el);
                  if (!el.__sweeplabResize) {
                    el.__sweeplabResize = new ResizeObserver(() => chart.resize());
                    el.__sweeplabResize.observe(el);
                  }
                  if (areas && !el.__sweeplabAreas) {
                    el.__sweeplabAreas = true;
                    chart.on('axisareaselected', () => {
                      // the names of the active lines of every parallel series; null when no axis is brushed
                      const series = chart.getOption().series || [];
                      const names = [];
                      let brushed = false;
                      chart.getModel().eachSeriesByType('parallel', s => {
                        const data = series[s.componentIndex].data || [];
                        brushed = brushed || s.getRawIndicesByActiveState('normal').length < data.length;
                        s.getRawIndicesByActiveState('active').forEach(i => names.push(String(data[i].name)));
                      });
                      el.dispatchEvent(new CustomEvent('sweeplab-area-selected',
                          {detail: JSON.stringify(brushed ? names : null)}));
                    });
                  }
                  chart.setOption(option, true);
                  el.setAttribute('data-rendered', String(Date.now()));
                };
                draw();
                """, option, areaSelections);
    }
}
