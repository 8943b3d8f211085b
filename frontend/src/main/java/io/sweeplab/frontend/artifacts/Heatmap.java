package io.sweeplab.frontend.artifacts;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Image;
import com.vaadin.flow.component.html.Span;
import io.sweeplab.frontend.components.Heatmaps;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * One picture of a tensor (a map of {@code height x width} values) in inferno, enlarged to about {@link #TARGET}
 * pixels, with a read-out of the value and position under the pointer (done in the browser from the map's values,
 * which travel with it as base64 float32).
 */
final class Heatmap extends Div {

    /** The longer side of a drawn map, in CSS pixels. */
    static final int TARGET = 132;

    /**
     * @param range the values drawn darkest and brightest
     * @param what names the map in the read-out and the image's alt text, for example {@code image 23, conv2d, filter 3}
     * @param target the longer side in CSS pixels
     */
    Heatmap(Pictures.Picture p, float[] range, String what, int target) {
        this(p.values(), p.offset(), p.height(), p.width(), range[0], range[1], what, target);
    }

    private Heatmap(float[] values, int offset, int height, int width, float min, float max, String what, int target) {
        addClassName("heatmap");
        int side = Math.max(1, Math.max(height, width));
        int scale = Math.max(1, Math.round((float) target / side));
        Image img = new Image(Heatmaps.png(values, offset, height, width, scale, min, max), what);
        // drawn at the target size whatever the map's: a 1,000 x 1,000 map does not take 1,000 pixels
        img.setWidth(Math.max(1, Math.round((float) width * target / side)) + "px");
        img.setHeight(Math.max(1, Math.round((float) height * target / side)) + "px");
        img.addClassName("activation-map");
        img.getElement().setAttribute("data-height", Integer.toString(height));
        img.getElement().setAttribute("data-width", Integer.toString(width));
        img.getElement().setAttribute("data-scale", min + ".." + max); // the colour scale it was drawn on
        ByteBuffer bytes = ByteBuffer.allocate(height * width * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values, offset, height * width);
        img.getElement().setAttribute("data-values", Base64.getEncoder().encodeToString(bytes.array()));
        img.getStyle().set("image-rendering", "pixelated").set("display", "block");
        Span readout = new Span("\u00a0");
        readout.addClassName("heatmap-readout");
        readout.getStyle()
                .set("font-size", "var(--lumo-font-size-xxs)")
                .set("color", "var(--lumo-secondary-text-color)")
                .set("white-space", "nowrap");
        add(img, readout);
        getStyle().set("display", "inline-flex").set("flex-direction", "column");
        img.getElement().executeJs("""
                const img = this, out = img.nextElementSibling, what = $0;
                const h = +img.dataset.height, w = +img.dataset.width;
                let v = null;
                img.addEventListener('mousemove', e => {
                  if (!v) { v = new Float32Array(Uint8Array.from(atob(img.dataset.values), c => c.charCodeAt(0)).buffer); }
                  const x = Math.min(w - 1, Math.floor(e.offsetX / img.clientWidth * w));
                  const y = Math.min(h - 1, Math.floor(e.offsetY / img.clientHeight * h));
                  const text = 'y ' + y + ', x ' + x + ': ' + v[y * w + x].toPrecision(4);
                  out.textContent = text;
                  img.title = what + ' \u00b7 ' + text;
                  img.dataset.readout = text;
                });
                img.addEventListener('mouseleave', () => { out.textContent = '\u00a0'; });
                """, what);
    }
}
