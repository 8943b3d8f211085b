package io.sweeplab.frontend.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.dom.Element;
import io.sweeplab.artifacts.ArtifactCodec;
import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ArtifactViewTest {

    /** The lab's activations: images 0, 23 and 28 by four layers of 32 or 64 channels. */
    static Artifact.Tensors activations() {
        List<Tensor> layers = new ArrayList<>();
        int[][] shapes = {{3, 32, 26, 26}, {3, 32, 13, 13}, {3, 64, 11, 11}, {3, 64, 5, 5}};
        String[] names = {"conv2d_1", "max_pooling2d_1", "conv2d_2", "max_pooling2d_2"};
        for (int l = 0; l < 4; l++) {
            int[] s = shapes[l];
            float[] data = new float[s[0] * s[1] * s[2] * s[3]];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) Math.sin(i * 0.37 + l);
            }
            layers.add(Tensor.of(
                    names[l],
                    s,
                    data,
                    Tensor.Axis.labelled("image", List.of("0", "23", "28")),
                    Tensor.Axis.of("channel"),
                    Tensor.Axis.of("y"),
                    Tensor.Axis.of("x")));
        }
        return new Artifact.Tensors("activations", "Activation maps", Map.of("images", "0,23,28"), layers);
    }

    static Stream<Element> all(Element e) {
        return Stream.concat(Stream.of(e), e.getChildren().flatMap(ArtifactViewTest::all));
    }

    static List<Element> byClass(Component c, String cls) {
        return all(c.getElement())
                .filter(e -> Arrays.asList(
                                e.getAttribute("class") == null
                                        ? new String[0]
                                        : e.getAttribute("class").split(" "))
                        .contains(cls))
                .toList();
    }

    static <T extends Component> T byId(Component c, String id, Class<T> type) {
        return all(c.getElement())
                .filter(e -> id.equals(e.getAttribute("id")))
                .findFirst()
                .flatMap(Element::getComponent)
                .map(type::cast)
                .orElseThrow(() -> new AssertionError("no #" + id));
    }

    static ArtifactView view(Artifact a) {
        return new ArtifactView(ArtifactCodec.decode(ArtifactCodec.encode(a)), "api/runs/1/artifacts/" + a.name(), "");
    }

    @Test
    void the_activations_are_the_labs_grid_of_images_by_layers_for_one_filter() {
        ArtifactView v = view(activations());
        assertThat(v.getElement().getAttribute("data-artifact-kind")).isEqualTo("tensors");
        assertThat(v.getElement().getAttribute("data-artifact-name")).isEqualTo("activations");
        assertThat(byClass(v, "tensor-column").stream().map(Element::getText))
                .containsExactly("conv2d_1", "max_pooling2d_1", "conv2d_2", "max_pooling2d_2");
        assertThat(byClass(v, "tensor-row").stream().map(Element::getText))
                .containsExactly("image 0", "image 23", "image 28");
        List<Element> maps = byClass(v, "activation-map");
        assertThat(maps).hasSize(12);
        assertThat(maps.get(0).getAttribute("alt")).isEqualTo("image 0, channel 0, conv2d_1");
        assertThat(maps.get(0).getAttribute("data-height")).isEqualTo("26");
        assertThat(maps.get(0).getAttribute("data-values")).isNotEmpty();

        // one filter control for all layers; a filter beyond a layer's 32 channels shows its last
        IntegerField channel = byId(v, "artifact-activations-axis-channel", IntegerField.class);
        assertThat(channel.getMax()).isEqualTo(63);
        channel.setValue(40);
        List<Element> after = byClass(v, "activation-map");
        assertThat(after.get(0).getAttribute("alt")).isEqualTo("image 0, channel 31, conv2d_1");
        assertThat(after.get(2).getAttribute("alt")).isEqualTo("image 0, channel 40, conv2d_2");
        assertThat(after.get(0).getAttribute("data-values"))
                .isNotEqualTo(maps.get(0).getAttribute("data-values"));
    }

    @Test
    void the_colour_scale_is_each_maps_each_rows_or_one_for_all() {
        ArtifactView v = view(activations());
        assertThat(scales(v)).hasSizeGreaterThan(1);
        @SuppressWarnings("unchecked")
        Select<TensorsView.Scale> scale = byId(v, "artifact-activations-scale", Select.class);
        scale.setValue(TensorsView.Scale.ALL);
        assertThat(scales(v)).hasSize(1);
        scale.setValue(TensorsView.Scale.ROW);
        List<String> rows = byClass(v, "activation-map").stream()
                .map(e -> e.getAttribute("data-scale"))
                .toList();
        for (int r = 0; r < 3; r++) {
            assertThat(Set.copyOf(rows.subList(4 * r, 4 * r + 4))).hasSize(1);
        }
    }

    private static Set<String> scales(Component v) {
        return byClass(v, "activation-map").stream()
                .map(e -> e.getAttribute("data-scale"))
                .collect(Collectors.toSet());
    }

    @Test
    void a_labelled_tensor_is_a_heatmap_with_its_labels_and_a_stack_of_pictures_a_gallery() {
        List<String> classes = List.of("cat", "dog", "owl");
        Artifact.Tensors confusion = new Artifact.Tensors(
                "confusion",
                "Confusion",
                Map.of(),
                List.of(Tensor.of(
                        "counts",
                        new int[] {3, 3},
                        new float[] {5, 1, 0, 0, 4, 2, 1, 0, 7},
                        Tensor.Axis.labelled("true", classes),
                        Tensor.Axis.labelled("predicted", classes))));
        ArtifactView v = view(confusion);
        assertThat(byClass(v, "labelled-heatmap")).hasSize(1);
        assertThat(byClass(v, "activation-map")).isEmpty();

        Artifact.Tensors kernels = new Artifact.Tensors(
                "filters",
                "Kernels",
                Map.of(),
                List.of(Tensor.of(
                        "conv2d",
                        new int[] {5, 3, 3},
                        new float[45],
                        Tensor.Axis.labelled(
                                "filter", List.of("filter 0", "filter 1", "filter 2", "filter 3", "filter 4")),
                        Tensor.Axis.of("y"),
                        Tensor.Axis.of("x"))));
        ArtifactView g = view(kernels);
        assertThat(byClass(g, "tensor-gallery")).hasSize(1);
        assertThat(byClass(g, "activation-map")).hasSize(5);
    }

    @Test
    void each_kind_has_its_renderer_and_an_unknown_one_its_attributes_and_a_link() {
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("f1", 0.5);
        scores.put("nan", Double.NaN);
        ArtifactView table = view(new Artifact.Table(
                "per-class",
                "Per class",
                Map.of(),
                List.of("class", "accuracy"),
                List.of(List.of("cat", 0.5), List.of("dog", 0.75)),
                "accuracy"));
        assertThat(byClass(table, "artifact-table")).hasSize(1);
        assertThat(byClass(table, "artifact-bars")).hasSize(1);
        ArtifactView series = view(new Artifact.Series(
                "lr",
                "LR",
                Map.of(),
                "epoch",
                "rate",
                List.of(new Artifact.Line("lr", new double[] {1, 2}, new double[] {0.1, 0.05}))));
        assertThat(byClass(series, "artifact-series")).hasSize(1);
        assertThat(byClass(series, "artifact-series").get(0).getAttribute("data-points"))
                .isEqualTo("2");
        ArtifactView s = view(new Artifact.Scalars("scores", "Scores", Map.of(), scores));
        assertThat(all(s.getElement())
                        .filter(e -> e.hasAttribute("data-scalar"))
                        .map(e -> e.getAttribute("data-scalar")))
                .containsExactly("f1", "nan");

        ArtifactView unknown = new ArtifactView(
                new ArtifactCodec.Unknown("speech", "audio", "Speech", Map.of("seconds", "3")),
                "api/runs/1/artifacts/speech",
                "");
        assertThat(unknown.getElement().getAttribute("data-artifact-kind")).isEqualTo("audio");
        assertThat(byClass(unknown, "artifact-attributes").get(0).getText()).isEqualTo("seconds: 3");
        assertThat(byClass(unknown, "artifact-download").get(0).getAttribute("href"))
                .isEqualTo("api/runs/1/artifacts/speech", "");
    }

    @Test
    void empty_huge_and_infinite_tensors_are_drawn_without_failing_the_page() {
        float[] many = new float[100 * 4];
        many[0] = Float.POSITIVE_INFINITY;
        many[1] = 2;
        many[2] = -1;
        Artifact.Tensors odd = new Artifact.Tensors(
                "odd",
                "Odd",
                Map.of(),
                List.of(
                        new Tensor("none-wrong", new int[] {0, 28, 28}, new float[0]),
                        new Tensor("endless", new int[] {Integer.MAX_VALUE, 0, 3}, new float[0]),
                        new Tensor("many", new int[] {100, 2, 2}, many),
                        new Tensor("vector", new int[] {3}, new float[] {1, Float.NaN, 3})));
        ArtifactView v = view(odd);
        assertThat(byClass(v, "artifact-failed")).isEmpty();
        assertThat(all(v.getElement()).map(Element::getText)).anyMatch(t -> t.startsWith("(empty: shape [0, 28, 28]"));
        List<Element> maps = byClass(v, "activation-map");
        assertThat(maps).hasSize(TensorsView.MAX_CELLS);
        assertThat(all(v.getElement()).map(Element::getText)).contains("… and 36 more (download to see them)");
        assertThat(maps.get(0).getAttribute("data-scale")).isEqualTo("-1.0..2.0"); // infinity is no colour scale
    }
}
