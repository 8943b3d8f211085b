package io.sweeplab.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArtifactCodecTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};

    static List<Artifact> everyKind() {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("zeta", "1");
        attrs.put("alpha", "2");
        return List.of(
                new Artifact.Tensors(
                        "confusion",
                        "Confusion",
                        attrs,
                        List.of(
                                Tensor.of(
                                        "counts",
                                        new int[] {2, 2},
                                        new float[] {5, 1, 0, 4},
                                        Tensor.Axis.labelled("true", List.of("cat", "dog")),
                                        Tensor.Axis.labelled("predicted", List.of("cat", "dog"))),
                                new Tensor("maps", new int[] {1, 2, 3}, new float[] {0, 1, 2, 3, 4, -5.5f}))),
                new Artifact.Table(
                        "per-class",
                        "Per class",
                        Map.of(),
                        List.of("class", "n", "accuracy", "ok", "note"),
                        List.of(Arrays.asList("cat", 10L, 0.5, true, null)),
                        "accuracy"),
                new Artifact.Series(
                        "lr",
                        "Learning rate",
                        Map.of(),
                        "epoch",
                        "rate",
                        List.of(new Artifact.Line("lr", new double[] {1, 2, 3}, new double[] {0.1, Double.NaN, 0.01}))),
                new Artifact.Image("sketch", "Sketch", Map.of(), PNG, "a caption"),
                new Artifact.Scalars("scores", "Scores", Map.of(), scores()));
    }

    private static Map<String, Double> scores() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("macro F1", 0.89);
        m.put("undefined", Double.NaN);
        return m;
    }

    @Test
    void every_kind_survives_a_round_trip_with_its_order() {
        for (Artifact a : everyKind()) {
            ArtifactCodec.Decoded d = ArtifactCodec.decode(ArtifactCodec.encode(a));
            assertThat(d).isInstanceOf(ArtifactCodec.Known.class);
            assertThat(((ArtifactCodec.Known) d).artifact()).as(a.name()).isEqualTo(a);
            assertThat(d.kind()).isEqualTo(ArtifactCodec.kind(a));
            assertThat(List.copyOf(d.attributes().keySet()))
                    .isEqualTo(List.copyOf(a.attributes().keySet()));
        }
        assertThat(everyKind().stream().map(ArtifactCodec::kind)).containsExactlyElementsOf(ArtifactCodec.KINDS);
    }

    @Test
    void a_tensor_keeps_its_named_and_labelled_axes() {
        Artifact.Tensors t = (Artifact.Tensors) everyKind().get(0);
        Artifact.Tensors back = (Artifact.Tensors) ArtifactCodec.decodeKnown(ArtifactCodec.encode(t));
        assertThat(back.tensors().get(0).axes()).extracting(Tensor.Axis::name).containsExactly("true", "predicted");
        assertThat(back.tensors().get(0).axes().get(1).labels()).containsExactly("cat", "dog");
        assertThat(back.tensors().get(1).axes()).extracting(Tensor.Axis::name).containsExactly("axis0", "y", "x");
    }

    @Test
    void a_document_of_api_1_0_without_axes_still_reads() {
        String old = """
                {"name":"activations","kind":"tensors","title":"Activation maps","attributes":{"images":"0"},
                 "tensors":[{"name":"conv2d","shape":[1,1,1,2],"dtype":"float32","encoding":"base64-le",
                 "data":"AACAPwAAAEA="}]}""";
        Artifact.Tensors t = (Artifact.Tensors) ArtifactCodec.decodeKnown(old.getBytes(StandardCharsets.UTF_8));
        assertThat(t.tensors().get(0).data()).containsExactly(1f, 2f);
        assertThat(t.tensors().get(0).axes()).extracting(Tensor.Axis::name).containsExactly("axis0", "axis1", "y", "x");
    }

    @Test
    void a_kind_of_a_newer_version_reads_as_unknown_with_its_attributes() {
        String newer = """
                {"name":"speech","kind":"audio","title":"Speech","attributes":{"seconds":"3"},"wav":"..."}""";
        ArtifactCodec.Decoded d = ArtifactCodec.decode(newer.getBytes(StandardCharsets.UTF_8));
        assertThat(d).isEqualTo(new ArtifactCodec.Unknown("speech", "audio", "Speech", Map.of("seconds", "3")));
        assertThatThrownBy(() -> ArtifactCodec.decodeKnown(newer.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("kind 'audio'");
    }

    @Test
    void a_malformed_document_is_refused_naming_what_is_wrong() {
        assertThatThrownBy(() -> ArtifactCodec.decode("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ArtifactCodec.MalformedArtifactException.class)
                .hasMessageContaining("JSON object");
        assertThatThrownBy(() -> ArtifactCodec.decode(
                        "{\"name\":\"x\",\"kind\":\"tensors\",\"tensors\":[{\"name\":\"t\",\"shape\":[3],\"data\":\"AACAPw==\"}]}"
                                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ArtifactCodec.MalformedArtifactException.class)
                .hasMessageContaining("needs 3 values");
        assertThatThrownBy(() ->
                        ArtifactCodec.decode("{\"name\":\"../x\",\"kind\":\"table\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("name must match");
        assertThatThrownBy(() -> ArtifactCodec.decode(
                        "{\"name\":\"x\",\"kind\":\"image\",\"png\":\"AAAA\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not a PNG");
        assertThatThrownBy(() -> ArtifactCodec.decode(
                        "{\"name\":\"x\",\"kind\":\"series\",\"lines\":[{\"name\":\"l\",\"x\":[1],\"y\":[]}]}"
                                .getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("1 x values and 0 y values");
    }

    static byte[] tensorDoc(String shape, String extra, String data) {
        return ("{\"name\":\"x\",\"kind\":\"tensors\",\"tensors\":[{\"name\":\"t\",\"shape\":" + shape + extra
                        + ",\"data\":\"" + data + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void hostile_shapes_are_refused_and_nothing_else_is_thrown() {
        // a product that wraps around to 0 in 64 bits, with no values
        assertThatThrownBy(() -> ArtifactCodec.decode(tensorDoc("[65536,65536,65536,65536]", "", "")))
                .isInstanceOf(ArtifactCodec.MalformedArtifactException.class)
                .hasMessageContaining("needs");
        assertThatThrownBy(() -> ArtifactCodec.decode(tensorDoc("[1,1,1,1,1,1,1,1,1]", "", "AACAPw==")))
                .isInstanceOf(ArtifactCodec.MalformedArtifactException.class)
                .hasMessageContaining("at most 8 axes");
        assertThatThrownBy(() -> ArtifactCodec.decode(tensorDoc("[2.5]", "", "")))
                .isInstanceOf(ArtifactCodec.MalformedArtifactException.class)
                .hasMessageContaining("non-integers");
        assertThatThrownBy(() -> ArtifactCodec.decode(tensorDoc("[-1]", "", "")))
                .isInstanceOf(ArtifactCodec.MalformedArtifactException.class);
        assertThatThrownBy(() -> ArtifactCodec.decode(
                        tensorDoc("[1,1]", ",\"axes\":[{\"name\":\"a\"},{\"name\":\"a\"}]", "AACAPw==")))
                .isInstanceOf(ArtifactCodec.MalformedArtifactException.class)
                .hasMessageContaining("two axes are named 'a'");
        assertThatThrownBy(() -> ArtifactCodec.decode(tensorDoc("[1]", "", "not base64!")))
                .isInstanceOf(ArtifactCodec.MalformedArtifactException.class);
        assertThatThrownBy(() -> ArtifactCodec.decode(tensorDoc("[1]", "", "AAA=")))
                .isInstanceOf(ArtifactCodec.MalformedArtifactException.class)
                .hasMessageContaining("partial float");
        for (String doc : List.of(
                "{\"name\":\"x\",\"kind\":\"table\",\"columns\":[\"a\"],\"rows\":[[{\"b\":1}]]}",
                "{\"name\":\"x\",\"kind\":\"table\",\"columns\":[\"a\"],\"rows\":[1]}",
                "{\"name\":\"x\",\"kind\":\"table\",\"columns\":[\"a\"],\"rows\":[[1]],\"barColumn\":\"a\"}",
                "{\"name\":\"x\",\"kind\":\"scalars\",\"values\":{\"a\":\"1\"}}",
                "{\"name\":\"x\",\"kind\":\"series\",\"xLabel\":\"e\",\"lines\":{}}",
                "{\"name\":\"x\",\"kind\":\"tensors\",\"tensors\":[null]}",
                "{\"name\":\"x\",\"kind\":\"image\"}",
                "{\"name\":\"x\",\"kind\":\"tensors\",\"attributes\":{\"a\":{}},\"tensors\":[]}",
                "null")) {
            assertThatThrownBy(() -> ArtifactCodec.decode(doc.getBytes(StandardCharsets.UTF_8)))
                    .as(doc)
                    .isInstanceOf(ArtifactCodec.MalformedArtifactException.class);
        }
    }

    @Test
    void values_json_cannot_hold_are_written_as_null() {
        Artifact.Table t =
                new Artifact.Table("t", "T", Map.of(), List.of("a", "b"), List.of(Arrays.asList("x", Double.NaN)), "b");
        Artifact.Table back = (Artifact.Table) ArtifactCodec.decodeKnown(ArtifactCodec.encode(t));
        assertThat(back.rows().get(0)).containsExactly("x", null);
    }
}
