package io.sweeplab.core.external;

import io.sweeplab.core.run.RunStatus;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Persistence of what MLflow clients log: experiments' MLflow state, external runs, their data and files. */
public interface ExternalRunStore {

    /** Receives a metric history point by point, in (step, timestamp) order. */
    interface PointSink {
        void point(double value, long timestamp, long step);
    }

    record FileEntry(String path, long size) {}

    Optional<MlflowExperiment> experiment(long id);

    /** The team's experiments of that name, those of its {@code default} project first. */
    List<MlflowExperiment> experimentsNamed(String team, String name);

    /** @param teams all teams when null */
    List<MlflowExperiment> experiments(
            Set<String> teams,
            List<SearchFilter.Clause> filter,
            List<SearchFilter.Order> order,
            ViewType view,
            int offset,
            int limit);

    /** Marks an experiment and its external runs deleted, or restores them. */
    void setExperimentDeleted(long id, boolean deleted);

    /** @throws io.sweeplab.core.error.ConflictException if the name is taken in its project */
    void renameExperiment(long id, String name);

    void setExperimentTags(long id, List<KeyValue> tags);

    RunRef createRun(long experiment, String mlflowId, String name, String user, long startTime, List<KeyValue> tags);

    Optional<RunRef> ref(String mlflowId);

    ExternalRun run(RunRef ref);

    /** Null arguments leave the field as it is. */
    void updateRun(RunRef ref, RunStatus status, Long endTime, String name);

    void setRunDeleted(RunRef ref, boolean deleted);

    /**
     * Stores metrics, params and tags in one transaction; the metric points in one statement.
     *
     * @throws io.sweeplab.core.error.InvalidInputException naming {@code params} if a param already has another value
     *     (nothing is stored then)
     */
    void log(RunRef ref, List<MetricPoint> metrics, List<KeyValue> params, List<KeyValue> tags);

    /** @return whether the tag existed */
    boolean deleteTag(RunRef ref, String key);

    void logInputs(RunRef ref, List<DatasetInput> inputs);

    /** @param teams all teams when null */
    List<ExternalRun> search(
            Set<String> teams,
            List<Long> experiments,
            List<SearchFilter.Clause> filter,
            List<SearchFilter.Order> order,
            ViewType view,
            int offset,
            int limit);

    boolean hasMetric(RunRef ref, String key);

    /** @return how many points it gave the sink */
    int history(RunRef ref, String key, int offset, int limit, PointSink sink);

    void putFile(RunRef ref, String path, byte[] content);

    Optional<byte[]> file(RunRef ref, String path);

    /** Every file of the run, by path. */
    List<FileEntry> files(RunRef ref);
}
