package io.sweeplab.app.mlflow;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.external.DatasetInput;
import io.sweeplab.core.external.ExternalRun;
import io.sweeplab.core.external.ExternalStatus;
import io.sweeplab.core.external.KeyValue;
import io.sweeplab.core.external.MetricPoint;
import io.sweeplab.core.external.MlflowExperiment;
import io.sweeplab.core.external.ViewType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * MLflow's JSON (protobuf's JSON mapping, as MLflow servers write it): snake_case fields, int64 read as numbers or
 * strings and written as numbers, NaN and infinities as the strings {@code "NaN"}, {@code "Infinity"}. Unknown fields
 * are ignored, as newer clients send fields older servers do not know.
 */
final class MlflowJson {

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private MlflowJson() {}

    static ObjectNode read(String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || n.isNull()) {
                return JSON.createObjectNode();
            }
            if (!n.isObject()) {
                throw new InvalidInputException("body", "must be a JSON object");
            }
            return (ObjectNode) n;
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new Malformed("the body is not JSON (or nests deeper than 1000)"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
        }
    }

    /** A body that is not JSON at all: MALFORMED_REQUEST. */
    static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isValueNode() || n.isBinary()) {
            throw invalid(field, n);
        }
        String s = n.asText();
        if (s.indexOf('\0') >= 0) {
            throw new InvalidInputException(field, "a NUL character (\\u0000) is not allowed");
        }
        return s;
    }

    static String required(JsonNode body, String field) {
        String s = text(body, field);
        if (s == null) {
            throw missing(field);
        }
        return s;
    }

    static Long int64(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.asLong();
        }
        if (n.isTextual()) {
            try {
                return Long.parseLong(n.asText().strip());
            } catch (NumberFormatException e) {
                throw invalid(field, n);
            }
        }
        if (n.isFloatingPointNumber() && n.asDouble() == Math.rint(n.asDouble()) && Math.abs(n.asDouble()) < 9e15) {
            return (long) n.asDouble();
        }
        throw invalid(field, n);
    }

    static Double number(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isTextual()) {
            String s = n.asText().strip();
            switch (s) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                case "inf":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                case "-inf":
                    return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        return Double.valueOf(s);
                    } catch (NumberFormatException e) {
                        throw invalid(field, n);
                    }
            }
        }
        throw invalid(field, n);
    }

    static List<JsonNode> list(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw invalid(field, n);
        }
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isObject()) {
                throw invalid(field + "[" + i + "]", n.get(i));
            }
            out.add(n.get(i));
        }
        return out;
    }

    /** A repeated string field: a JSON list, or (in query strings) values given one by one. */
    static List<String> strings(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (n.isValueNode()) {
            return List.of(text(body, field));
        }
        if (!n.isArray()) {
            throw invalid(field, n);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode v : n) {
            if (!v.isValueNode() || v.isNull()) {
                throw invalid(field, n);
            }
            out.add(v.asText());
        }
        return out;
    }

    static List<KeyValue> keyValues(JsonNode body, String field, boolean valueRequired) {
        List<KeyValue> out = new ArrayList<>();
        List<JsonNode> items = list(body, field);
        for (int i = 0; i < items.size(); i++) {
            String f = field + "[" + i + "].";
            String key = text(items.get(i), "key");
            String value = text(items.get(i), "value");
            if (key == null) {
                throw missing(f + "key");
            }
            if (value == null && valueRequired) {
                throw missing(f + "value");
            }
            out.add(new KeyValue(key, value == null ? "" : value));
        }
        return out;
    }

    static List<MetricPoint> metrics(JsonNode body) {
        List<MetricPoint> out = new ArrayList<>();
        List<JsonNode> items = list(body, "metrics");
        for (int i = 0; i < items.size(); i++) {
            out.add(metric(items.get(i), "metrics[" + i + "]."));
        }
        return out;
    }

    static MetricPoint metric(JsonNode m, String prefix) {
        String key = text(m, "key");
        Double value = number(m, "value");
        Long ts = int64(m, "timestamp");
        Long step = int64(m, "step");
        if (key == null) {
            throw missing(prefix + "key");
        }
        if (value == null) {
            throw missing(prefix + "value");
        }
        if (ts == null) {
            throw missing(prefix + "timestamp");
        }
        return new MetricPoint(key, value, ts, step == null ? 0 : step);
    }

    static List<DatasetInput> datasets(JsonNode body) {
        List<DatasetInput> out = new ArrayList<>();
        List<JsonNode> items = list(body, "datasets");
        for (int i = 0; i < items.size(); i++) {
            JsonNode d = items.get(i).get("dataset");
            if (d == null || !d.isObject()) {
                throw missing("datasets[" + i + "].dataset");
            }
            out.add(new DatasetInput(
                    text(d, "name"),
                    text(d, "digest"),
                    text(d, "source_type"),
                    text(d, "source"),
                    text(d, "schema"),
                    text(d, "profile"),
                    keyValues(items.get(i), "tags", true)));
        }
        return out;
    }

    static ViewType view(JsonNode body, String field) {
        String v = text(body, field);
        if (v == null || v.isEmpty()) {
            return ViewType.ACTIVE_ONLY;
        }
        return switch (v.toUpperCase(Locale.ROOT)) {
            case "ACTIVE_ONLY", "1" -> ViewType.ACTIVE_ONLY;
            case "DELETED_ONLY", "2" -> ViewType.DELETED_ONLY;
            case "ALL", "3" -> ViewType.ALL;
            default ->
                throw new InvalidInputException(
                        field,
                        "Invalid value '" + v + "' for parameter '" + field + "': ACTIVE_ONLY, DELETED_ONLY or ALL");
        };
    }

    /** MLflow's page tokens: base64 of {"offset": n}. */
    static int offset(JsonNode body) {
        String token = text(body, "page_token");
        if (token == null || token.isEmpty()) {
            return 0;
        }
        try {
            JsonNode n = JSON.readTree(
                    Base64.getUrlDecoder().decode(token.replace('+', '-').replace('/', '_')));
            JsonNode o = n == null ? null : n.get("offset");
            if (o != null && o.canConvertToInt() && o.isIntegralNumber() && o.asInt() >= 0) {
                return o.asInt();
            }
        } catch (IllegalArgumentException | java.io.IOException e) {
            // below
        }
        throw new InvalidInputException("page_token", "Invalid page token, could not base64-decode");
    }

    static String token(int offset) {
        return Base64.getUrlEncoder().encodeToString(("{\"offset\": " + offset + "}").getBytes(StandardCharsets.UTF_8));
    }

    static int maxResults(JsonNode body, int dflt) {
        Long n = int64(body, "max_results");
        if (n == null) {
            return dflt;
        }
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw new InvalidInputException(
                    "max_results", "Invalid value " + n + " for parameter 'max_results' supplied");
        }
        return n.intValue();
    }

    static InvalidInputException missing(String field) {
        return new InvalidInputException(field, "Missing value for required parameter '" + field + "'");
    }

    static InvalidInputException invalid(String field, JsonNode n) {
        String shown = n.toString();
        return new InvalidInputException(
                field,
                "Invalid value " + (shown.length() > 100 ? shown.substring(0, 100) + "..." : shown) + " for parameter '"
                        + field + "' supplied");
    }

    // --- writing

    static ObjectNode experiment(MlflowExperiment e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("experiment_id", Long.toString(e.id()));
        n.put("name", e.mlflowName());
        n.put("artifact_location", "mlflow-artifacts:/" + e.id());
        n.put("lifecycle_stage", e.deleted() ? "deleted" : "active");
        n.put("last_update_time", e.updated().toEpochMilli());
        n.put("creation_time", e.created().toEpochMilli());
        ArrayNode tags = n.putArray("tags");
        e.tags().forEach(t -> tags.addObject().put("key", t.key()).put("value", t.value()));
        return n;
    }

    static String artifactUri(ExternalRun r) {
        return "mlflow-artifacts:/" + r.ref().experiment() + "/" + r.ref().mlflowId() + "/artifacts";
    }

    static ObjectNode info(ExternalRun r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("run_id", r.ref().mlflowId());
        n.put("run_uuid", r.ref().mlflowId());
        n.put("run_name", r.name());
        n.put("experiment_id", Long.toString(r.ref().experiment()));
        n.put("user_id", r.user());
        n.put("status", ExternalStatus.mlflow(r.status()));
        if (r.startTime() != null) {
            n.put("start_time", r.startTime());
        }
        if (r.endTime() != null) {
            n.put("end_time", r.endTime());
        }
        n.put("artifact_uri", artifactUri(r));
        n.put("lifecycle_stage", r.ref().deleted() ? "deleted" : "active");
        return n;
    }

    static ObjectNode run(ExternalRun r) {
        ObjectNode n = JSON.createObjectNode();
        n.set("info", info(r));
        ObjectNode data = n.putObject("data");
        ArrayNode metrics = data.putArray("metrics");
        for (MetricPoint m : r.metrics()) {
            ObjectNode o = metrics.addObject();
            o.put("key", m.key());
            o.put("value", m.value());
            o.put("timestamp", m.timestamp());
            o.put("step", m.step());
        }
        ArrayNode params = data.putArray("params");
        r.params().forEach(p -> params.addObject().put("key", p.key()).put("value", p.value()));
        ArrayNode tags = data.putArray("tags");
        r.tags().forEach(t -> tags.addObject().put("key", t.key()).put("value", t.value()));
        ArrayNode inputs = n.putObject("inputs").putArray("dataset_inputs");
        for (DatasetInput d : r.inputs()) {
            ObjectNode i = inputs.addObject();
            ArrayNode dt = i.putArray("tags");
            d.tags().forEach(t -> dt.addObject().put("key", t.key()).put("value", t.value()));
            ObjectNode ds = i.putObject("dataset");
            ds.put("name", d.name());
            ds.put("digest", d.digest());
            ds.put("source_type", d.sourceType());
            ds.put("source", d.source());
            if (d.schema() != null) {
                ds.put("schema", d.schema());
            }
            if (d.profile() != null) {
                ds.put("profile", d.profile());
            }
        }
        return n;
    }
}
