package io.sweeplab.artifacts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one stored and served form of artifacts ({@code GET /api/runs/{id}/artifacts/{name}}), written by the worker
 * and read by the platform and the dashboard:
 *
 * <pre>
 * {"name": "activations", "kind": "tensors", "title": "...", "attributes": {"images": "0,23,28", ...},
 *  "tensors": [{"name": "conv2d", "shape": [3, 32, 26, 26],
 *               "axes": [{"name": "image", "labels": ["0", "23", "28"]}, {"name": "channel", "labels": []}, ...],
 *               "dtype": "float32", "encoding": "base64-le", "data": "..."}]}
 * {..., "kind": "table", "columns": ["class", "accuracy"], "rows": [["T-shirt/top", 0.81], ...], "barColumn": "accuracy"}
 * {..., "kind": "series", "xLabel": "epoch", "yLabel": "learning rate", "lines": [{"name": "lr", "x": [1, 2], "y": [0.1, null]}]}
 * {..., "kind": "image", "caption": "...", "mediaType": "image/png", "png": "base64..."}
 * {..., "kind": "scalars", "values": {"macro F1": 0.89, "undefined": null}}
 * </pre>
 *
 * Tensor values are row-major float32, little-endian, base64-encoded (a third of the size of JSON numbers); in
 * JavaScript: {@code new Float32Array(Uint8Array.from(atob(data), c => c.charCodeAt(0)).buffer)}. NaN in a series
 * or a scalar is written as {@code null}.
 *
 * <p>A document of a kind this version does not know (a newer worker's) decodes to {@link Unknown}: its name, kind,
 * title and attributes, so that it can be listed and downloaded.
 */
public final class ArtifactCodec {

    /** The kinds this version reads and writes. */
    public static final List<String> KINDS = List.of("tensors", "table", "series", "image", "scalars");

    /** The shape of a kind's name: a newer one is accepted and shown as {@link Unknown}. */
    public static final Pattern KIND = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    /** The shape of an artifact's name (the database checks the same). */
    public static final Pattern NAME = Artifact.NAME;

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // artifacts may be large (8 MB by default), strings of base64 included
        JSON.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(Integer.MAX_VALUE - 16)
                        .build());
    }

    private ArtifactCodec() {}

    /** An artifact as read: one of the known kinds, or a kind of a newer version. */
    public sealed interface Decoded {
        String name();

        String kind();

        String title();

        Map<String, String> attributes();
    }

    /** An artifact of a kind this version knows. */
    public record Known(Artifact artifact) implements Decoded {
        @Override
        public String name() {
            return artifact.name();
        }

        @Override
        public String kind() {
            return ArtifactCodec.kind(artifact);
        }

        @Override
        public String title() {
            return artifact.title();
        }

        @Override
        public Map<String, String> attributes() {
            return artifact.attributes();
        }
    }

    /** An artifact of a kind this version does not know; only what every kind has. */
    public record Unknown(String name, String kind, String title, Map<String, String> attributes) implements Decoded {}

    /** Thrown for a document that is not an artifact, naming what is wrong. */
    public static final class MalformedArtifactException extends IllegalArgumentException {
        public MalformedArtifactException(String message) {
            super(message);
        }
    }

    public static String kind(Artifact a) {
        if (a instanceof Artifact.Tensors) {
            return "tensors";
        } else if (a instanceof Artifact.Table) {
            return "table";
        } else if (a instanceof Artifact.Series) {
            return "series";
        } else if (a instanceof Artifact.Image) {
            return "image";
        } else if (a instanceof Artifact.Scalars) {
            return "scalars";
        }
        throw new IllegalArgumentException(
                "unknown artifact type " + a.getClass().getName());
    }

    public static byte[] encode(Artifact a) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("name", a.name());
        out.put("kind", kind(a));
        out.put("title", a.title());
        ObjectNode attributes = out.putObject("attributes");
        a.attributes().forEach(attributes::put);
        if (a instanceof Artifact.Tensors t) {
            ArrayNode tensors = out.putArray("tensors");
            t.tensors().forEach(x -> tensors.add(tensor(x)));
        } else if (a instanceof Artifact.Table t) {
            ArrayNode columns = out.putArray("columns");
            t.columns().forEach(columns::add);
            if (t.barColumn() != null) {
                out.put("barColumn", t.barColumn());
            }
            ArrayNode rows = out.putArray("rows");
            for (List<Object> row : t.rows()) {
                ArrayNode r = rows.addArray();
                for (Object v : row) {
                    if (v instanceof Number n && !Double.isFinite(n.doubleValue())) {
                        r.addNull(); // JSON has no NaN: as in series and scalars
                    } else {
                        r.add(JSON.<JsonNode>valueToTree(v));
                    }
                }
            }
        } else if (a instanceof Artifact.Series s) {
            out.put("xLabel", s.xLabel());
            out.put("yLabel", s.yLabel());
            ArrayNode lines = out.putArray("lines");
            for (Artifact.Line l : s.lines()) {
                ObjectNode line = lines.addObject();
                line.put("name", l.name());
                numbers(line.putArray("x"), l.x());
                numbers(line.putArray("y"), l.y());
            }
        } else if (a instanceof Artifact.Image i) {
            out.put("caption", i.caption());
            out.put("mediaType", "image/png");
            out.put("png", Base64.getEncoder().encodeToString(i.png()));
        } else if (a instanceof Artifact.Scalars s) {
            ObjectNode values = out.putObject("values");
            s.values().forEach((k, v) -> {
                if (Double.isFinite(v)) {
                    values.put(k, v);
                } else {
                    values.putNull(k);
                }
            });
        }
        try {
            return JSON.writeValueAsBytes(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("SWL-RUN-020 artifact " + a.name() + " cannot be written", e);
        }
    }

    private static void numbers(ArrayNode out, double[] values) {
        for (double v : values) {
            if (Double.isFinite(v)) {
                out.add(v);
            } else {
                out.addNull();
            }
        }
    }

    private static ObjectNode tensor(Tensor t) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("name", t.name());
        ArrayNode shape = m.putArray("shape");
        for (int d : t.shape()) {
            shape.add(d);
        }
        ArrayNode axes = m.putArray("axes");
        for (Tensor.Axis a : t.axes()) {
            ObjectNode axis = axes.addObject();
            axis.put("name", a.name());
            ArrayNode labels = axis.putArray("labels");
            a.labels().forEach(labels::add);
        }
        m.put("dtype", "float32");
        m.put("encoding", "base64-le");
        ByteBuffer bytes = ByteBuffer.allocate(t.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(t.data());
        m.put("data", Base64.getEncoder().encodeToString(bytes.array()));
        return m;
    }

    /**
     * Reads a stored artifact.
     *
     * @throws MalformedArtifactException if it is not one
     */
    public static Decoded decode(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new MalformedArtifactException("an artifact is a JSON document");
        }
        if (root == null || !root.isObject()) {
            throw new MalformedArtifactException("an artifact is a JSON object");
        }
        String name = text(root, "name");
        if (!NAME.matcher(name).matches()) {
            throw new MalformedArtifactException("name must match " + NAME.pattern());
        }
        String kind = text(root, "kind");
        if (!KIND.matcher(kind).matches()) {
            throw new MalformedArtifactException("kind must match " + KIND.pattern());
        }
        String title = root.path("title").isTextual() ? root.path("title").asText() : name;
        Map<String, String> attributes = new LinkedHashMap<>();
        JsonNode attrs = root.path("attributes");
        if (!attrs.isMissingNode() && !attrs.isNull()) {
            if (!attrs.isObject()) {
                throw new MalformedArtifactException("attributes must be an object of strings");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = attrs.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    throw new MalformedArtifactException("attribute '" + e.getKey() + "' must be a string");
                }
                attributes.put(e.getKey(), e.getValue().asText());
            }
        }
        try {
            return switch (kind) {
                case "tensors" -> new Known(new Artifact.Tensors(name, title, attributes, tensors(root)));
                case "table" -> new Known(table(root, name, title, attributes));
                case "series" -> new Known(series(root, name, title, attributes));
                case "image" ->
                    new Known(new Artifact.Image(
                            name,
                            title,
                            attributes,
                            base64(root, "png"),
                            root.path("caption").asText("")));
                case "scalars" -> new Known(scalars(root, name, title, attributes));
                default -> new Unknown(name, kind, title, Map.copyOf(attributes));
            };
        } catch (MalformedArtifactException e) {
            throw e;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedArtifactException("artifact '" + name + "': " + e.getMessage());
        }
    }

    /** Reads a stored artifact of a kind this version knows. */
    public static Artifact decodeKnown(byte[] json) {
        Decoded d = decode(json);
        if (d instanceof Known k) {
            return k.artifact();
        }
        throw new MalformedArtifactException(
                "artifact '" + d.name() + "' is of kind '" + d.kind() + "', which this version does not know");
    }

    private static List<Tensor> tensors(JsonNode root) {
        List<Tensor> out = new ArrayList<>();
        for (JsonNode t : array(root, "tensors")) {
            String tname = text(t, "name");
            if (!"float32".equals(t.path("dtype").asText("float32"))
                    || !"base64-le".equals(t.path("encoding").asText("base64-le"))) {
                throw new MalformedArtifactException("tensor '" + tname + "' must be float32, base64-le");
            }
            List<Integer> dims = new ArrayList<>();
            for (JsonNode d : array(t, "shape")) {
                if (!d.isInt()) {
                    throw new MalformedArtifactException("tensor '" + tname + "' has a shape of non-integers");
                }
                dims.add(d.asInt());
            }
            int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
            List<Tensor.Axis> axes = new ArrayList<>();
            if (t.has("axes")) {
                for (JsonNode a : array(t, "axes")) {
                    List<String> labels = new ArrayList<>();
                    if (a.has("labels")) {
                        array(a, "labels").forEach(l -> labels.add(l.asText()));
                    }
                    axes.add(new Tensor.Axis(text(a, "name"), labels));
                }
            }
            ByteBuffer bytes = ByteBuffer.wrap(base64(t, "data")).order(ByteOrder.LITTLE_ENDIAN);
            if (bytes.remaining() % 4 != 0) {
                throw new MalformedArtifactException("tensor '" + tname + "' has a partial float");
            }
            float[] data = new float[bytes.remaining() / 4];
            bytes.asFloatBuffer().get(data);
            out.add(new Tensor(tname, shape, data, axes));
        }
        return out;
    }

    private static Artifact.Table table(JsonNode root, String name, String title, Map<String, String> attributes) {
        List<String> columns = new ArrayList<>();
        array(root, "columns").forEach(c -> columns.add(c.asText()));
        List<List<Object>> rows = new ArrayList<>();
        for (JsonNode r : array(root, "rows")) {
            if (!r.isArray()) {
                throw new MalformedArtifactException("table rows must be arrays");
            }
            List<Object> row = new ArrayList<>();
            for (JsonNode v : r) {
                if (v.isContainerNode()) {
                    throw new MalformedArtifactException("a table cell holds a string, a number, a boolean or null");
                }
                row.add(
                        v.isNull()
                                ? null
                                : v.isBoolean()
                                        ? (Object) v.booleanValue()
                                        : v.isIntegralNumber()
                                                ? (Object) v.longValue()
                                                : v.isNumber() ? (Object) v.doubleValue() : v.asText());
            }
            rows.add(row);
        }
        return new Artifact.Table(
                name,
                title,
                attributes,
                columns,
                rows,
                root.path("barColumn").isTextual() ? root.path("barColumn").asText() : null);
    }

    private static Artifact.Series series(JsonNode root, String name, String title, Map<String, String> attributes) {
        List<Artifact.Line> lines = new ArrayList<>();
        for (JsonNode l : array(root, "lines")) {
            lines.add(new Artifact.Line(text(l, "name"), doubles(l, "x"), doubles(l, "y")));
        }
        return new Artifact.Series(
                name,
                title,
                attributes,
                root.path("xLabel").asText(""),
                root.path("yLabel").asText(""),
                lines);
    }

    private static Artifact.Scalars scalars(JsonNode root, String name, String title, Map<String, String> attributes) {
        JsonNode values = root.path("values");
        if (!values.isObject()) {
            throw new MalformedArtifactException("scalars need an object 'values'");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), number(e.getValue(), e.getKey()));
        }
        return new Artifact.Scalars(name, title, attributes, out);
    }

    private static double[] doubles(JsonNode node, String field) {
        JsonNode a = array(node, field);
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(a.get(i), field);
        }
        return out;
    }

    private static double number(JsonNode v, String what) {
        if (v.isNull()) {
            return Double.NaN;
        }
        if (!v.isNumber()) {
            throw new MalformedArtifactException("'" + what + "' must hold numbers");
        }
        return v.doubleValue();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (!v.isTextual()) {
            throw new MalformedArtifactException("'" + field + "' must be a string");
        }
        return v.asText();
    }

    private static JsonNode array(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (!v.isArray()) {
            throw new MalformedArtifactException("'" + field + "' must be an array");
        }
        return v;
    }

    private static byte[] base64(JsonNode node, String field) {
        try {
            return Base64.getDecoder().decode(text(node, field));
        } catch (IllegalArgumentException e) {
            throw new MalformedArtifactException("'" + field + "' must be base64");
        }
    }
}
