package io.sweeplab.plugins.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.sweeplab.plugin.api.WorkerLauncher.State;
import io.sweeplab.plugin.api.WorkerLauncher.WorkerStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** A worker's state read from its Job and the Job's pods (one pod: the Job never retries). */
final class JobStatus {

    /** Waiting reasons that are a configuration's fault, not the cluster's being busy. */
    static final java.util.Set<String> CONFIGURATION_ERRORS = java.util.Set.of(
            "ImagePullBackOff",
            "ErrImagePull",
            "InvalidImageName",
            "ErrImageNeverPull",
            "CreateContainerConfigError",
            "CreateContainerError");

    /** How long a pod may wait for one of those before the worker is given up (a registry may be down a while). */
    static final java.time.Duration GIVE_UP_AFTER = java.time.Duration.ofMinutes(5);

    /** What a given-up worker's detail ends with: its launcher deletes the Job. */
    static final String GIVEN_UP = ": given up";

    private JobStatus() {}

    static WorkerStatus of(Job job, List<Pod> pods) {
        return of(job, pods, java.time.Instant.now());
    }

    /**
     * A pod that waits for longer than {@link #GIVE_UP_AFTER} for a reason of {@link #CONFIGURATION_ERRORS} (a wrong
     * image, a missing Secret) ends its worker: it would wait forever, holding a place among the launcher's most, and
     * the platform's wait after workers that never register only counts workers that end.
     */
    static WorkerStatus of(Job job, List<Pod> pods, java.time.Instant now) {
        WorkerStatus s = read(job, pods);
        if (s.state() == State.PENDING && CONFIGURATION_ERRORS.contains(s.detail())) {
            // since the Job was made (its pod is made right after it; a pod's own stamp where the Job has none)
            boolean old = Stream.concat(
                            Stream.of(job.getMetadata()), pods.stream().map(Pod::getMetadata))
                    .filter(Objects::nonNull)
                    .map(m -> m.getCreationTimestamp())
                    .filter(Objects::nonNull)
                    .limit(1)
                    .map(t -> java.time.OffsetDateTime.parse(t).toInstant())
                    .anyMatch(t -> t.plus(GIVE_UP_AFTER).isBefore(now));
            if (old) {
                return new WorkerStatus(
                        State.ENDED, s.detail() + " for more than " + GIVE_UP_AFTER.toMinutes() + " min" + GIVEN_UP);
            }
        }
        return s;
    }

    private static WorkerStatus read(Job job, List<Pod> pods) {
        if (job == null) {
            return new WorkerStatus(State.ENDED, "NotFound");
        }
        Optional<JobCondition> finished = conditions(job)
                .filter(c -> "True".equals(c.getStatus()))
                .filter(c -> "Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                .findFirst();
        if (finished.isPresent()) {
            JobCondition c = finished.get();
            String reason = c.getReason() == null || c.getReason().isBlank() ? c.getType() : c.getReason();
            return new WorkerStatus(
                    State.ENDED,
                    terminated(pods).map(t -> reason + " (" + t + ")").orElse(reason));
        }
        if (job.getMetadata().getDeletionTimestamp() != null) {
            return new WorkerStatus(State.ENDED, "Deleting");
        }
        if (pods.stream().anyMatch(p -> phase(p, "Running"))) {
            return new WorkerStatus(State.RUNNING, "");
        }
        // With backoffLimit 0 a pod that has ended is the end of the worker, whether or not the Job says so yet.
        Optional<Pod> ended = pods.stream()
                .filter(p -> phase(p, "Succeeded") || phase(p, "Failed"))
                .findFirst();
        if (ended.isPresent()) {
            return new WorkerStatus(
                    State.ENDED, terminated(pods).orElse(ended.get().getStatus().getPhase()));
        }
        return new WorkerStatus(
                State.PENDING,
                pods.stream()
                        .map(JobStatus::waiting)
                        .flatMap(Optional::stream)
                        .findFirst()
                        .orElse(""));
    }

    private static Stream<JobCondition> conditions(Job job) {
        return job.getStatus() == null || job.getStatus().getConditions() == null
                ? Stream.empty()
                : job.getStatus().getConditions().stream();
    }

    private static boolean phase(Pod pod, String phase) {
        return pod.getStatus() != null && phase.equals(pod.getStatus().getPhase());
    }

    private static Stream<ContainerState> states(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                ? Stream.empty()
                : pod.getStatus().getContainerStatuses().stream()
                        .map(ContainerStatus::getState)
                        .filter(Objects::nonNull);
    }

    /** Why the worker's container ended (OOMKilled, Error, Completed), when a pod says. */
    private static Optional<String> terminated(List<Pod> pods) {
        return pods.stream()
                .flatMap(JobStatus::states)
                .filter(s -> s.getTerminated() != null)
                .map(s -> s.getTerminated().getReason())
                .filter(r -> r != null && !r.isBlank())
                .findFirst();
    }

    /** Why a pod waits: its container's reason (ImagePullBackOff), else the scheduler's (Unschedulable). */
    private static Optional<String> waiting(Pod pod) {
        Optional<String> container = states(pod)
                .filter(s -> s.getWaiting() != null)
                .map(s -> s.getWaiting().getReason())
                .filter(r -> r != null && !r.isBlank())
                .findFirst();
        if (container.isPresent() || pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return container;
        }
        return pod.getStatus().getConditions().stream()
                .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
                .map(PodCondition::getReason)
                .filter(r -> r != null && !r.isBlank())
                .findFirst();
    }
}
