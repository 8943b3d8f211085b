package io.sweeplab.worker.loop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sweeplab.plugin.api.Artifact;
import io.sweeplab.plugin.api.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored and served form of artifacts ({@code GET /api/runs/{id}/artifacts/{name}}):
 *
 * <pre>
 * {"name": "activations", "kind": "tensors", "title": "...", "attributes": {"images": "0,23,28", ...},
 *  "tensors": [{"name": "conv2d_1", "shape": [3, 32, 26, 26], "dtype": "float32", "encoding": "base64-le",
 *               "data": "..."}]}
 * {"name": "...", "kind": "table", "title": "...", "attributes": {...}, "columns": [...], "rows": [[...], ...]}
 * </pre>
 *
 * Tensor values are row-major float32, little-endian, base64-encoded (a third of the size of JSON numbers); in
 * JavaScript: {@code new Float32Array(Uint8Array.from(atob(data), c => c.charCodeAt(0)).buffer)}.
 */
public final class ArtifactJson {

    private ArtifactJson() {}

    public static String kind(Artifact a) {
        return a instanceof Artifact.Tensors ? "tensors" : "table";
    }

    public static byte[] write(ObjectMapper json, Artifact a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", a.name());
        out.put("kind", kind(a));
        out.put("title", a.title());
        out.put("attributes", a.attributes());
        if (a instanceof Artifact.Tensors t) {
            out.put("tensors", t.tensors().stream().map(ArtifactJson::tensor).toList());
        } else if (a instanceof Artifact.Table t) {
            out.put("columns", t.columns());
            out.put("rows", t.rows());
        }
        try {
            return json.writeValueAsBytes(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("SWL-RUN-020 artifact " + a.name() + " cannot be written", e);
        }
    }

    private static Map<String, Object> tensor(Tensor t) {
        ByteBuffer bytes = ByteBuffer.allocate(t.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(t.data());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("shape", t.shape());
        m.put("dtype", "float32");
        m.put("encoding", "base64-le");
        m.put("data", Base64.getEncoder().encodeToString(bytes.array()));
        return m;
    }

    /** Decodes a tensor's {@code data} field; for tests and Java clients. */
    public static float[] decode(String base64) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(out);
        return out;
    }

    public static List<String> kinds() {
        return List.of("tensors", "table");
    }
}
