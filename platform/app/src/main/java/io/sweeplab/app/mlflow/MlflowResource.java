package io.sweeplab.app.mlflow;

import static io.sweeplab.app.mlflow.MlflowJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sweeplab.app.security.CurrentCaller;
import io.sweeplab.core.error.ConflictException;
import io.sweeplab.core.error.ForbiddenException;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.error.NotFoundException;
import io.sweeplab.core.external.ExternalRun;
import io.sweeplab.core.external.ExternalRunService;
import io.sweeplab.core.external.ExternalRunStore;
import io.sweeplab.core.external.KeyValue;
import io.sweeplab.core.external.MetricPoint;
import io.sweeplab.core.external.MlflowExperiment;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.UncheckedIOException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The MLflow tracking REST API (2.0), as MLflow 2.x clients call it, over Sweeplab's experiments and external runs;
 * also under {@code /ajax-api/2.0/mlflow} ({@link AjaxApiRoute}). Bodies and answers are MLflow's JSON, errors
 * MLflow's {@code {error_code, message}}.
 */
@Path("/api/2.0/mlflow")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Tag(name = "MLflow tracking")
@RolesAllowed("user")
public class MlflowResource {

    private final ExternalRunService service;
    private final CurrentCaller caller;

    public MlflowResource(ExternalRunService service, CurrentCaller caller) {
        this.service = service;
        this.caller = caller;
    }

    // --- experiments

    @POST
    @Path("experiments/create")
    @Operation(
            summary = "MLflow: create an experiment named '<team-slug>/<name>' (or '<name>' in the caller's only team)")
    public Response createExperiment(String body) {
        JsonNode b = MlflowJson.read(body);
        MlflowExperiment e = service.createExperiment(
                caller.get(), MlflowJson.required(b, "name"), MlflowJson.keyValues(b, "tags", true));
        return ok(JSON.createObjectNode().put("experiment_id", Long.toString(e.id())));
    }

    @GET
    @Path("experiments/get")
    @Operation(summary = "MLflow: an experiment by id")
    public Response getExperiment(@Context UriInfo uri) {
        JsonNode q = query(uri);
        return experiment(service.experiment(caller.get(), MlflowJson.required(q, "experiment_id")));
    }

    @GET
    @Path("experiments/get-by-name")
    @Operation(summary = "MLflow: an experiment by name")
    public Response getExperimentByName(@Context UriInfo uri) {
        JsonNode q = query(uri);
        return experiment(service.experimentByName(caller.get(), MlflowJson.required(q, "experiment_name")));
    }

    @POST
    @Path("experiments/search")
    @Operation(summary = "MLflow: search experiments (filter on name, tags, creation_time, last_update_time)")
    public Response searchExperiments(String body) {
        return searchExperiments(MlflowJson.read(body));
    }

    @GET
    @Path("experiments/search")
    @Operation(summary = "MLflow: search experiments, with the query string")
    public Response searchExperimentsGet(@Context UriInfo uri) {
        return searchExperiments(query(uri));
    }

    private Response searchExperiments(JsonNode b) {
        int limit = MlflowJson.maxResults(b, 1000);
        int offset = MlflowJson.offset(b);
        List<MlflowExperiment> found = service.searchExperiments(
                caller.get(),
                MlflowJson.text(b, "filter"),
                MlflowJson.strings(b, "order_by"),
                MlflowJson.view(b, "view_type"),
                offset,
                limit);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("experiments");
        found.stream().limit(limit).forEach(e -> list.add(MlflowJson.experiment(e)));
        if (found.size() > limit) {
            out.put("next_page_token", MlflowJson.token(offset + limit));
        }
        return ok(out);
    }

    @POST
    @Path("experiments/update")
    @Operation(summary = "MLflow: rename an experiment (within its team)")
    public Response updateExperiment(String body) {
        JsonNode b = MlflowJson.read(body);
        service.renameExperiment(
                caller.get(), MlflowJson.required(b, "experiment_id"), MlflowJson.required(b, "new_name"));
        return empty();
    }

    @POST
    @Path("experiments/delete")
    @Operation(summary = "MLflow: mark an experiment and its external runs deleted (restore undoes it)")
    public Response deleteExperiment(String body) {
        service.deleteExperiment(caller.get(), MlflowJson.required(MlflowJson.read(body), "experiment_id"));
        return empty();
    }

    @POST
    @Path("experiments/restore")
    @Operation(summary = "MLflow: restore a deleted experiment and its runs")
    public Response restoreExperiment(String body) {
        service.restoreExperiment(caller.get(), MlflowJson.required(MlflowJson.read(body), "experiment_id"));
        return empty();
    }

    @POST
    @Path("experiments/set-experiment-tag")
    @Operation(summary = "MLflow: set a tag on an experiment")
    public Response setExperimentTag(String body) {
        JsonNode b = MlflowJson.read(body);
        service.setExperimentTag(
                caller.get(),
                MlflowJson.required(b, "experiment_id"),
                MlflowJson.required(b, "key"),
                MlflowJson.required(b, "value"));
        return empty();
    }

    // --- runs

    @POST
    @Path("runs/create")
    @Operation(summary = "MLflow: start a run (a Sweeplab run with source external)")
    public Response createRun(String body) {
        JsonNode b = MlflowJson.read(body);
        ExternalRun r = service.createRun(
                caller.get(),
                MlflowJson.required(b, "experiment_id"),
                MlflowJson.text(b, "run_name"),
                MlflowJson.text(b, "user_id"),
                MlflowJson.int64(b, "start_time"),
                MlflowJson.keyValues(b, "tags", true));
        return ok(JSON.createObjectNode().set("run", MlflowJson.run(r)));
    }

    @GET
    @Path("runs/get")
    @Operation(summary = "MLflow: a run with its latest metrics, params, tags and inputs")
    public Response getRun(@Context UriInfo uri) {
        ExternalRun r = service.run(caller.get(), runId(query(uri)));
        return ok(JSON.createObjectNode().set("run", MlflowJson.run(r)));
    }

    @POST
    @Path("runs/update")
    @Operation(summary = "MLflow: set a run's status, end time or name")
    public Response updateRun(String body) {
        JsonNode b = MlflowJson.read(body);
        ExternalRun r = service.updateRun(
                caller.get(),
                runId(b),
                MlflowJson.text(b, "status"),
                MlflowJson.int64(b, "end_time"),
                MlflowJson.text(b, "run_name"));
        return ok(JSON.createObjectNode().set("run_info", MlflowJson.info(r)));
    }

    @POST
    @Path("runs/delete")
    @Operation(summary = "MLflow: mark a run deleted")
    public Response deleteRun(String body) {
        service.deleteRun(caller.get(), runId(MlflowJson.read(body)));
        return empty();
    }

    @POST
    @Path("runs/restore")
    @Operation(summary = "MLflow: restore a deleted run")
    public Response restoreRun(String body) {
        service.restoreRun(caller.get(), runId(MlflowJson.read(body)));
        return empty();
    }

    @POST
    @Path("runs/log-metric")
    @Operation(summary = "MLflow: log one metric point (key, value, timestamp, step)")
    public Response logMetric(String body) {
        JsonNode b = MlflowJson.read(body);
        MetricPoint m = MlflowJson.metric(b, "");
        service.log(caller.get(), runId(b), List.of(m), List.of(), List.of());
        return empty();
    }

    @POST
    @Path("runs/log-parameter")
    @Operation(summary = "MLflow: log a param (params are immutable: another value is refused)")
    public Response logParam(String body) {
        JsonNode b = MlflowJson.read(body);
        KeyValue p = new KeyValue(MlflowJson.required(b, "key"), MlflowJson.required(b, "value"));
        service.log(caller.get(), runId(b), List.of(), List.of(p), List.of());
        return empty();
    }

    @POST
    @Path("runs/set-tag")
    @Operation(summary = "MLflow: set a tag on a run")
    public Response setTag(String body) {
        JsonNode b = MlflowJson.read(body);
        KeyValue t = new KeyValue(MlflowJson.required(b, "key"), MlflowJson.required(b, "value"));
        service.log(caller.get(), runId(b), List.of(), List.of(), List.of(t));
        return empty();
    }

    @POST
    @Path("runs/delete-tag")
    @Operation(summary = "MLflow: delete a tag of a run")
    public Response deleteTag(String body) {
        JsonNode b = MlflowJson.read(body);
        service.deleteTag(caller.get(), runId(b), MlflowJson.required(b, "key"));
        return empty();
    }

    @POST
    @Path("runs/log-batch")
    @Operation(
            summary = "MLflow: log metrics, params and tags at once",
            description = "At most 1000 metrics, 100 params and 100 tags, 1000 in all; the metric points are stored"
                    + " in one statement.")
    public Response logBatch(String body) {
        JsonNode b = MlflowJson.read(body);
        service.log(
                caller.get(),
                runId(b),
                MlflowJson.metrics(b),
                MlflowJson.keyValues(b, "params", true),
                MlflowJson.keyValues(b, "tags", true));
        return empty();
    }

    @POST
    @Path("runs/log-inputs")
    @Operation(summary = "MLflow: record the datasets a run used")
    public Response logInputs(String body) {
        JsonNode b = MlflowJson.read(body);
        service.logInputs(caller.get(), runId(b), MlflowJson.datasets(b));
        return empty();
    }

    @POST
    @Path("runs/search")
    @Operation(
            summary = "MLflow: search runs",
            description = "MLflow's filter (metrics., params., tags., attributes., datasets. with =, !=, <, <=, >, >=,"
                    + " LIKE, ILIKE, IN, NOT IN, IS NULL, joined by AND), order_by, max_results (1000, at most"
                    + " 50000) and page tokens.")
    public Response searchRuns(String body) {
        JsonNode b = MlflowJson.read(body);
        int limit = MlflowJson.maxResults(b, 1000);
        int offset = MlflowJson.offset(b);
        List<ExternalRun> found = service.search(
                caller.get(),
                MlflowJson.strings(b, "experiment_ids"),
                MlflowJson.text(b, "filter"),
                MlflowJson.view(b, "run_view_type"),
                offset,
                limit,
                MlflowJson.strings(b, "order_by"));
        ObjectNode out = JSON.createObjectNode();
        ArrayNode runs = out.putArray("runs");
        found.stream().limit(limit).forEach(r -> runs.add(MlflowJson.run(r)));
        if (found.size() > limit) {
            out.put("next_page_token", MlflowJson.token(offset + limit));
        }
        return ok(out);
    }

    @GET
    @Path("metrics/get-history")
    @Operation(
            summary = "MLflow: every point of one metric of a run, in (step, timestamp) order",
            description = "max_results and page_token page through long histories; without max_results, all points."
                    + " Server-Timing gives the time spent reading and writing them.")
    public Response history(@Context UriInfo uri) {
        long start = System.nanoTime();
        JsonNode q = query(uri);
        String run = runId(q);
        String key = MlflowJson.text(q, "metric_key");
        int limit = MlflowJson.maxResults(q, Integer.MAX_VALUE - 1);
        int offset = MlflowJson.offset(q);
        int fetch = limit == Integer.MAX_VALUE - 1 ? limit : limit + 1;
        Points points = new Points();
        int n = service.history(caller.get(), run, key, offset, fetch, points);
        long read = System.nanoTime();
        int shown = Math.min(n, limit);
        // written by hand: 100,000 points are 7 MB of JSON, and this is the hot path of a dashboard's curves
        StringBuilder out = new StringBuilder((int) Math.min(1 << 24, 32L + (long) shown * (key.length() + 70)))
                .append("{\"metrics\":[");
        String prefix;
        try {
            prefix = "{\"key\":" + JSON.writeValueAsString(key) + ",\"value\":";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(prefix);
            double v = points.values[i];
            if (Double.isNaN(v)) {
                out.append("\"NaN\"");
            } else if (Double.isInfinite(v)) {
                out.append(v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
            } else {
                out.append(v);
            }
            out.append(",\"timestamp\":")
                    .append(points.timestamps[i])
                    .append(",\"step\":")
                    .append(points.steps[i])
                    .append('}');
        }
        out.append(']');
        if (n > limit) {
            out.append(",\"next_page_token\":\"")
                    .append(MlflowJson.token(offset + limit))
                    .append('"');
        }
        byte[] body = out.append('}').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long done = System.nanoTime();
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE)
                .header(
                        "Server-Timing",
                        String.format(
                                java.util.Locale.ROOT,
                                "app;dur=%.1f, db;dur=%.1f, json;dur=%.1f",
                                (done - start) / 1e6,
                                (read - start) / 1e6,
                                (done - read) / 1e6))
                .build();
    }

    /** A history as it is read: three growing arrays. */
    private static final class Points implements ExternalRunStore.PointSink {
        double[] values = new double[1024];
        long[] timestamps = new long[1024];
        long[] steps = new long[1024];
        int n;

        @Override
        public void point(double value, long timestamp, long step) {
            if (n == values.length) {
                values = java.util.Arrays.copyOf(values, n * 2);
                timestamps = java.util.Arrays.copyOf(timestamps, n * 2);
                steps = java.util.Arrays.copyOf(steps, n * 2);
            }
            values[n] = value;
            timestamps[n] = timestamp;
            steps[n++] = step;
        }
    }

    @GET
    @Path("artifacts/list")
    @Operation(summary = "MLflow: the files of a run's artifact directory (path relative to the run's root)")
    public Response listArtifacts(@Context UriInfo uri) {
        JsonNode q = query(uri);
        String run = runId(q);
        String path = MlflowJson.text(q, "path");
        ExternalRun r = service.run(caller.get(), run);
        ObjectNode out = JSON.createObjectNode();
        out.put("root_uri", MlflowJson.artifactUri(r));
        ArrayNode files = out.putArray("files");
        String prefix = path == null || path.isEmpty() ? "" : path + "/";
        for (var f : service.list(caller.get(), run, path)) {
            boolean dir = f.path().endsWith("/");
            ObjectNode o = files.addObject()
                    .put("path", prefix + (dir ? f.path().substring(0, f.path().length() - 1) : f.path()))
                    .put("is_dir", dir);
            if (!dir) {
                o.put("file_size", f.size());
            }
        }
        return ok(out);
    }

    // --- helpers

    private static String runId(JsonNode b) {
        String id = MlflowJson.text(b, "run_id");
        if (id == null || id.isEmpty()) {
            id = MlflowJson.text(b, "run_uuid");
        }
        if (id == null || id.isEmpty()) {
            throw MlflowJson.missing("run_id");
        }
        return id;
    }

    /** The query string as a JSON object: one value a field, or a list for a field given more than once. */
    static ObjectNode query(UriInfo uri) {
        ObjectNode q = JSON.createObjectNode();
        uri.getQueryParameters().forEach((k, v) -> {
            if (v.size() == 1) {
                q.put(k, v.get(0));
            } else {
                ArrayNode a = q.putArray(k);
                v.forEach(a::add);
            }
        });
        return q;
    }

    private static Response experiment(MlflowExperiment e) {
        return ok(JSON.createObjectNode().set("experiment", MlflowJson.experiment(e)));
    }

    static Response ok(JsonNode body) {
        return Response.ok(body.toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    static Response empty() {
        return ok(JSON.createObjectNode());
    }

    // --- errors, as MLflow sends them

    @ServerExceptionMapper
    public Response invalid(InvalidInputException e) {
        return MlflowErrors.invalid(e);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return MlflowErrors.of(404, "RESOURCE_DOES_NOT_EXIST", e.getMessage());
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e) {
        return MlflowErrors.of(400, "RESOURCE_ALREADY_EXISTS", e.getMessage());
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return MlflowErrors.of(403, "PERMISSION_DENIED", e.getMessage());
    }

    @ServerExceptionMapper
    public Response malformed(MlflowJson.Malformed e) {
        return MlflowErrors.of(400, "MALFORMED_REQUEST", e.getMessage());
    }
}
