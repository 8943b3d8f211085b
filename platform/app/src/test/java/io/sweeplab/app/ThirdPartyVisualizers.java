package io.sweeplab.app;

import io.sweeplab.plugin.api.Visualizer;
import io.sweeplab.plugin.testkit.PluginJarBuilder;
import java.nio.file.Path;
import java.util.List;

/**
 * A third party's visualizer plugin, compiled at test time against the plugin API only: one visualizer per artifact
 * kind (tensors, table, series, image, scalars), each computing from the trained model what an outside author would.
 */
final class ThirdPartyVisualizers {

    /** The artifacts the plugin stores, as {@code name:kind}. */
    static final List<String> ARTIFACTS = List.of(
            "acme-confusion:tensors",
            "acme-label-counts:table",
            "acme-schedule:series",
            "acme-sketch:image",
            "acme-scores:scalars");

    /** The ids of its visualizers (each stores the artifact of its own name). */
    static final List<String> IDS =
            ARTIFACTS.stream().map(a -> a.substring(0, a.indexOf(':'))).toList();

    private static final String HEAD = """
            package com.acme.viz;
            import io.sweeplab.plugin.api.*;
            import java.util.*;
            """;

    private static String visualizer(String className, String id, String body) {
        return HEAD + "public class " + className + " implements Visualizer {\n"
                + "  public String id() { return \"" + id + "\"; }\n"
                + "  public String label() { return \"" + className + "\"; }\n"
                + "  public String version() { return \"0.1.0\"; }\n"
                + "  public Artifact visualize(Params p, VisualizerContext ctx) throws Exception {\n" + body + "\n  }\n"
                + "}\n";
    }

    static Path build(Path dir) {
        return PluginJarBuilder.create("acme-visualizers")
                .descriptor("acme-visualizers", "0.1.0", "[1,2)")
                .source("com.acme.viz.Confusion", visualizer("Confusion", "acme-confusion", """
                        int n = Math.min(200, ctx.testSetSize());
                        int[] idx = new int[n];
                        for (int i = 0; i < n; i++) idx[i] = i;
                        int[] truth = ctx.testLabels(idx);
                        int[] predicted = ctx.predictions(idx);
                        int k = ctx.classNames().size();
                        float[] counts = new float[k * k];
                        for (int i = 0; i < n; i++) counts[truth[i] * k + predicted[i]]++;
                        return new Artifact.Tensors("acme-confusion", "Acme confusion (first " + n + " test images)",
                            Map.of("images", Integer.toString(n)),
                            List.of(Tensor.of("counts", new int[] {k, k}, counts,
                                Tensor.Axis.labelled("true", ctx.classNames()),
                                Tensor.Axis.labelled("predicted", ctx.classNames()))));
                        """))
                .source("com.acme.viz.LabelCounts", visualizer("LabelCounts", "acme-label-counts", """
                        int n = ctx.testSetSize();
                        int[] idx = new int[n];
                        for (int i = 0; i < n; i++) idx[i] = i;
                        int[] labels = ctx.testLabels(idx);
                        long[] counts = new long[ctx.classNames().size()];
                        for (int l : labels) counts[l]++;
                        List<List<Object>> rows = new ArrayList<>();
                        for (int c = 0; c < counts.length; c++) {
                            rows.add(List.of(ctx.classNames().get(c), counts[c], (double) counts[c] / n));
                        }
                        return new Artifact.Table("acme-label-counts", "Test images per class",
                            Map.of(), List.of("class", "images", "share"), rows, "share");
                        """))
                .source("com.acme.viz.Schedule", visualizer("Schedule", "acme-schedule", """
                        double[] x = {1, 2, 3, 4, 5};
                        double[] y = new double[5];
                        double[] z = new double[5];
                        for (int i = 0; i < 5; i++) { y[i] = 0.001 * Math.pow(0.5, i); z[i] = 0.001; }
                        return new Artifact.Series("acme-schedule", "Learning-rate schedules", Map.of(),
                            "epoch", "learning rate",
                            List.of(new Artifact.Line("halving", x, y), new Artifact.Line("constant", x, z)));
                        """))
                .source("com.acme.viz.Sketch", visualizer("Sketch", "acme-sketch", """
                        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(64, 64,
                            java.awt.image.BufferedImage.TYPE_INT_RGB);
                        for (int yy = 0; yy < 64; yy++) for (int xx = 0; xx < 64; xx++) img.setRGB(xx, yy, (xx * 4) << 16 | (yy * 4) << 8);
                        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                        javax.imageio.ImageIO.write(img, "png", out);
                        return new Artifact.Image("acme-sketch", "A gradient", Map.of(), out.toByteArray(),
                            "red grows to the right, green downwards");
                        """))
                .source("com.acme.viz.Scores", visualizer("Scores", "acme-scores", """
                        int n = Math.min(500, ctx.testSetSize());
                        int[] idx = new int[n];
                        for (int i = 0; i < n; i++) idx[i] = i;
                        int[] truth = ctx.testLabels(idx);
                        int[] predicted = ctx.predictions(idx);
                        int right = 0;
                        for (int i = 0; i < n; i++) if (truth[i] == predicted[i]) right++;
                        Map<String, Double> v = new LinkedHashMap<>();
                        v.put("accuracy on the first " + n, (double) right / n);
                        v.put("images", (double) n);
                        return new Artifact.Scalars("acme-scores", "Acme scores", Map.of(), v);
                        """))
                .service(
                        Visualizer.class,
                        "com.acme.viz.Confusion",
                        "com.acme.viz.LabelCounts",
                        "com.acme.viz.Schedule",
                        "com.acme.viz.Sketch",
                        "com.acme.viz.Scores")
                .build(dir);
    }

    private ThirdPartyVisualizers() {}
}
