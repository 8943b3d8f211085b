package io.sweeplab.plugins.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sweeplab.plugin.api.ParamViolation;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.WorkerLauncher.Launched;
import io.sweeplab.plugin.api.WorkerLauncher.State;
import io.sweeplab.plugin.api.WorkerLauncher.WorkerStatus;
import io.sweeplab.plugin.api.WorkerRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The launcher against fabric8's mock Kubernetes API server in CRUD mode: the objects it creates, as stored. */
@EnableKubernetesMockClient(crud = true)
class KubernetesLauncherTest {

    static final String TOKEN = "swl_w_7f3c9e1d5b2a4c6e8f0a1b3c5d7e9f11";
    static final String NS = "sweeplab-test";

    KubernetesClient client;

    KubernetesLauncher launcher() {
        return new KubernetesLauncher(client, new Random());
    }

    static Params params(Map<String, ?> given) {
        var v = new KubernetesLauncher().params().validate(given);
        assertThat(v.violations()).isEmpty();
        return v.params();
    }

    static Params params() {
        return params(Map.of(
                "namespace", NS,
                "image", "registry.example/sweeplab/worker:0.1.0",
                "gpuImage", "registry.example/sweeplab/worker-cuda:0.1.0",
                "nodeSelector", "pool=cpu",
                "gpuNodeSelector", "pool=gpu,nvidia.com/gpu.present=true",
                "serviceAccount", "sweeplab-worker",
                "imagePullSecret", "registry-login"));
    }

    static WorkerRequest request(long launch, WorkerRequest.Kind kind, int gpus) {
        return new WorkerRequest(
                launch,
                kind,
                gpus,
                4,
                8192,
                Duration.ofHours(2),
                List.of("java", "-jar", "sweeplab-worker.jar"),
                List.of("--server", "http://sweeplab:8080", "--idle-exit", "2m", "--slots", "1"),
                Map.of(WorkerRequest.TOKEN_ENV, TOKEN, "SWEEPLAB_EXTRA", "also-secret"));
    }

    Job job(String name) {
        return client.batch().v1().jobs().inNamespace(NS).withName(name).get();
    }

    Secret secret(String name) {
        return client.secrets().inNamespace(NS).withName(name).get();
    }

    @Test
    void a_cpu_worker_is_one_job_whose_token_is_in_a_secret_of_its_own_owned_by_the_job() {
        Launched launched = launcher().launch(params(), request(42, WorkerRequest.Kind.CPU, 0));

        assertThat(launched.id()).matches("sweeplab-worker-42-[a-z]{5}");
        assertThat(launched.workerName()).isEqualTo(launched.id());
        Job job = job(launched.id());
        assertThat(job).isNotNull();
        assertThat(job.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/name", "sweeplab-worker")
                .containsEntry("sweeplab.io/launch", "42")
                .containsEntry("sweeplab.io/kind", "cpu");
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getSpec().getTtlSecondsAfterFinished()).isEqualTo(600);
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(7200L);
        var pod = job.getSpec().getTemplate().getSpec();
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/name", "sweeplab-worker")
                .containsEntry("sweeplab.io/kind", "cpu");
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getServiceAccountName()).isEqualTo("sweeplab-worker");
        assertThat(pod.getImagePullSecrets())
                .singleElement()
                .satisfies(r -> assertThat(r.getName()).isEqualTo("registry-login"));
        assertThat(pod.getNodeSelector()).isEqualTo(Map.of("pool", "cpu"));
        Container c = pod.getContainers().get(0);
        assertThat(pod.getContainers()).hasSize(1);
        assertThat(c.getImage()).isEqualTo("registry.example/sweeplab/worker:0.1.0");
        assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent");
        // the image's entry point is the worker: the arguments only, never the token
        assertThat(c.getCommand()).isEmpty();
        assertThat(c.getArgs())
                .containsExactly("--server", "http://sweeplab:8080", "--idle-exit", "2m", "--slots", "1");
        assertThat(c.getResources().getRequests())
                .containsEntry("cpu", new Quantity("4"))
                .containsEntry("memory", new Quantity("8192Mi"));
        assertThat(c.getResources().getLimits())
                .containsEntry("cpu", new Quantity("4"))
                .containsEntry("memory", new Quantity("8192Mi"))
                .doesNotContainKey("nvidia.com/gpu");
        Map<String, EnvVar> env = new HashMap<>();
        c.getEnv().forEach(e -> env.put(e.getName(), e));
        assertThat(env).containsOnlyKeys(WorkerRequest.NAME_ENV, WorkerRequest.TOKEN_ENV, "SWEEPLAB_EXTRA");
        assertThat(env.get(WorkerRequest.NAME_ENV).getValue()).isEqualTo(launched.id());
        for (String secretVar : List.of(WorkerRequest.TOKEN_ENV, "SWEEPLAB_EXTRA")) {
            EnvVar e = env.get(secretVar);
            assertThat(e.getValue()).as(secretVar).isNull();
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo(launched.id());
            assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(secretVar);
        }
        // no secret anywhere in the Job as the API server stores it
        assertThat(Serialization.asJson(job))
                .doesNotContain(TOKEN)
                .doesNotContain(base64(TOKEN))
                .doesNotContain("also-secret");

        Secret secret = secret(launched.id());
        assertThat(secret).isNotNull();
        assertThat(secret.getData())
                .containsOnly(
                        Map.entry(WorkerRequest.TOKEN_ENV, base64(TOKEN)),
                        Map.entry("SWEEPLAB_EXTRA", base64("also-secret")));
        assertThat(secret.getMetadata().getLabels()).containsEntry("sweeplab.io/launch", "42");
        assertThat(secret.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("Job");
            assertThat(o.getApiVersion()).isEqualTo("batch/v1");
            assertThat(o.getName()).isEqualTo(launched.id());
            assertThat(o.getUid()).isNotBlank().isEqualTo(job.getMetadata().getUid());
        });
    }

    @Test
    void a_gpu_worker_runs_the_gpu_image_on_gpu_nodes_with_nvidia_gpu_limits() {
        Launched launched = launcher().launch(params(), request(43, WorkerRequest.Kind.GPU, 2));

        Job job = job(launched.id());
        assertThat(job.getMetadata().getLabels()).containsEntry("sweeplab.io/kind", "gpu");
        var pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getNodeSelector()).isEqualTo(Map.of("pool", "gpu", "nvidia.com/gpu.present", "true"));
        Container c = pod.getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("registry.example/sweeplab/worker-cuda:0.1.0");
        assertThat(c.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("2"));
        assertThat(c.getResources().getRequests()).doesNotContainKey("nvidia.com/gpu");
        assertThat(Serialization.asJson(job)).doesNotContain(TOKEN);
    }

    @Test
    void the_gpu_image_and_resource_default_to_the_image_and_nvidia_gpu() {
        Params defaults = params(Map.of("namespace", NS, "image", "sweeplab/worker:9"));
        Launched launched = launcher().launch(defaults, request(44, WorkerRequest.Kind.GPU, 1));

        var pod = job(launched.id()).getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers().get(0).getImage()).isEqualTo("sweeplab/worker:9");
        assertThat(pod.getContainers().get(0).getResources().getLimits())
                .containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(pod.getNodeSelector()).isNullOrEmpty();
        assertThat(pod.getServiceAccountName()).isNull();
        assertThat(pod.getImagePullSecrets()).isEmpty();

        Params amd = params(Map.of("namespace", NS, "gpuResource", "amd.com/gpu"));
        Launched other = launcher().launch(amd, request(45, WorkerRequest.Kind.GPU, 1));
        assertThat(job(other.id())
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getResources()
                        .getLimits())
                .containsEntry("amd.com/gpu", new Quantity("1"))
                .doesNotContainKey("nvidia.com/gpu");
    }

    @Test
    void without_a_namespace_it_launches_in_the_clients_own() {
        Launched launched = launcher().launch(params(Map.of()), request(46, WorkerRequest.Kind.CPU, 0));

        assertThat(client.batch()
                        .v1()
                        .jobs()
                        .inNamespace(client.getNamespace())
                        .withName(launched.id())
                        .get())
                .isNotNull();
    }

    @Test
    void a_pod_that_cannot_pull_its_image_for_five_minutes_ends_its_worker_and_its_job_is_deleted() {
        Pod waiting = new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata()
                .withName("p")
                .withCreationTimestamp("2026-12-01T10:00:00Z")
                .endMetadata()
                .withNewStatus()
                .withPhase("Pending")
                .addNewContainerStatus()
                .withName("worker")
                .withNewState()
                .withNewWaiting()
                .withReason("ImagePullBackOff")
                .endWaiting()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build();
        Job job = new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder()
                .withNewMetadata()
                .withName("j")
                .endMetadata()
                .build();
        assertThat(JobStatus.of(job, List.of(waiting), java.time.Instant.parse("2026-12-01T10:04:00Z")))
                .isEqualTo(pending("ImagePullBackOff"));
        assertThat(JobStatus.of(job, List.of(waiting), java.time.Instant.parse("2026-12-01T10:06:00Z")))
                .isEqualTo(new WorkerStatus(State.ENDED, "ImagePullBackOff for more than 5 min: given up"));

        // ten minutes on: the mock server stamps the Job and the pod with the time they were made
        KubernetesLauncher launcher = new KubernetesLauncher(
                client,
                new Random(),
                java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofMinutes(10)));
        Params params = params();
        String id =
                launcher.launch(params, request(51, WorkerRequest.Kind.CPU, 0)).id();
        Pod pod = client.pods().inNamespace(NS).resource(workerPod(id)).create();
        setPodStatus(
                pod,
                "Pending",
                b -> b.addNewContainerStatus()
                        .withName("worker")
                        .withNewState()
                        .withNewWaiting()
                        .withReason("ErrImagePull")
                        .endWaiting()
                        .endState()
                        .endContainerStatus());
        assertThat(launcher.status(params, List.of(id)).get(id))
                .isEqualTo(new WorkerStatus(State.ENDED, "ErrImagePull for more than 5 min: given up"));
        assertThat(client.batch().v1().jobs().inNamespace(NS).withName(id).get())
                .isNull();
    }

    @Test
    void status_goes_pending_then_running_then_ended_as_the_pod_and_the_job_say() {
        KubernetesLauncher launcher = launcher();
        Params params = params();
        String id =
                launcher.launch(params, request(50, WorkerRequest.Kind.CPU, 0)).id();

        assertThat(launcher.status(params, List.of(id))).containsExactly(Map.entry(id, pending("")));

        Pod pod = client.pods().inNamespace(NS).resource(workerPod(id)).create();
        setPodStatus(
                pod,
                "Pending",
                b -> b.addNewCondition()
                        .withType("PodScheduled")
                        .withStatus("False")
                        .withReason("Unschedulable")
                        .endCondition());
        assertThat(launcher.status(params, List.of(id))).containsEntry(id, pending("Unschedulable"));

        setPodStatus(
                pod,
                "Pending",
                b -> b.addNewContainerStatus()
                        .withName("worker")
                        .withNewState()
                        .withNewWaiting()
                        .withReason("ImagePullBackOff")
                        .endWaiting()
                        .endState()
                        .endContainerStatus());
        assertThat(launcher.status(params, List.of(id))).containsEntry(id, pending("ImagePullBackOff"));

        setPodStatus(pod, "Running", b -> b);
        assertThat(launcher.status(params, List.of(id))).containsEntry(id, new WorkerStatus(State.RUNNING, ""));

        setPodStatus(
                pod,
                "Failed",
                b -> b.addNewContainerStatus()
                        .withName("worker")
                        .withNewState()
                        .withNewTerminated()
                        .withReason("OOMKilled")
                        .withExitCode(137)
                        .endTerminated()
                        .endState()
                        .endContainerStatus());
        assertThat(launcher.status(params, List.of(id))).containsEntry(id, new WorkerStatus(State.ENDED, "OOMKilled"));

        setJobCondition(id, "Failed", "BackoffLimitExceeded");
        assertThat(launcher.status(params, List.of(id)))
                .containsEntry(id, new WorkerStatus(State.ENDED, "BackoffLimitExceeded (OOMKilled)"));
    }

    @Test
    void a_job_past_its_deadline_a_complete_one_and_a_vanished_one_are_ended() {
        KubernetesLauncher launcher = launcher();
        Params params = params();
        String deadline =
                launcher.launch(params, request(60, WorkerRequest.Kind.CPU, 0)).id();
        String complete =
                launcher.launch(params, request(61, WorkerRequest.Kind.CPU, 0)).id();
        String gone =
                launcher.launch(params, request(62, WorkerRequest.Kind.CPU, 0)).id();
        String running =
                launcher.launch(params, request(63, WorkerRequest.Kind.GPU, 1)).id();
        setJobCondition(deadline, "Failed", "DeadlineExceeded");
        setJobCondition(complete, "Complete", null);
        client.batch().v1().jobs().inNamespace(NS).withName(gone).delete();
        setPodStatus(client.pods().inNamespace(NS).resource(workerPod(running)).create(), "Running", b -> b);

        Map<String, WorkerStatus> status = launcher.status(params, List.of(deadline, complete, gone, running));

        assertThat(status)
                .containsOnly(
                        Map.entry(deadline, new WorkerStatus(State.ENDED, "DeadlineExceeded")),
                        Map.entry(complete, new WorkerStatus(State.ENDED, "Complete")),
                        Map.entry(gone, new WorkerStatus(State.ENDED, "NotFound")),
                        Map.entry(running, new WorkerStatus(State.RUNNING, "")));
    }

    @Test
    void cancel_deletes_the_job_and_cancelling_an_ended_one_is_harmless() {
        KubernetesLauncher launcher = launcher();
        Params params = params();
        String id =
                launcher.launch(params, request(70, WorkerRequest.Kind.CPU, 0)).id();
        String other =
                launcher.launch(params, request(71, WorkerRequest.Kind.CPU, 0)).id();

        launcher.cancel(params, id);

        assertThat(job(id)).isNull();
        assertThat(job(other)).isNotNull();
        assertThat(launcher.status(params, List.of(id))).containsEntry(id, new WorkerStatus(State.ENDED, "NotFound"));
        launcher.cancel(params, id);
    }

    @Test
    void a_launch_the_api_server_refuses_leaves_nothing_behind_and_touches_nothing_else() {
        // the next name this launcher draws is taken by a Job that is not ours
        String taken = new KubernetesLauncher(client, new Random(7))
                .launch(params(), request(90, WorkerRequest.Kind.CPU, 0))
                .id();
        client.secrets().inNamespace(NS).withName(taken).delete();
        Job theirs = job(taken);

        assertThatThrownBy(() -> new KubernetesLauncher(client, new Random(7))
                        .launch(params(), request(90, WorkerRequest.Kind.CPU, 0)))
                .isInstanceOf(KubernetesClientException.class);

        assertThat(secret(taken)).as("the failed launch's Secret").isNull();
        assertThat(job(taken)).as("the Job that was there").isNotNull();
        assertThat(job(taken).getMetadata().getUid())
                .isEqualTo(theirs.getMetadata().getUid());
    }

    @Test
    void bad_params_are_refused_naming_the_param() {
        KubernetesLauncher launcher = launcher();
        record Bad(String param, String value, String key) {}
        List<Bad> bad = List.of(
                new Bad("namespace", "Sweeplab_NS", "namespace"),
                new Bad("nodeSelector", "pool", "node-selector"),
                new Bad("gpuNodeSelector", "a=b,a=c", "gpu-node-selector"),
                new Bad("image", " ", "image"),
                new Bad("gpuResource", "nvidia.com/gpu/x", "gpu-resource"),
                new Bad("serviceAccount", "Worker!", "service-account"),
                new Bad("imagePullSecret", "-login", "image-pull-secret"));
        for (Bad b : bad) {
            Params p = params(Map.of(b.param(), b.value()));
            List<ParamViolation> violations = launcher.validate(p);
            assertThat(violations)
                    .as(b.toString())
                    .singleElement()
                    .satisfies(v -> assertThat(v.param()).isEqualTo(b.param()));
            // at launch, the message names the configuration key
            assertThatThrownBy(() -> launcher.launch(p, request(80, WorkerRequest.Kind.CPU, 0)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("sweeplab.launchers.kubernetes." + b.key() + ": ");
        }
        assertThat(launcher.validate(params())).isEmpty();
        assertThat(launcher.validate(params(Map.of()))).isEmpty();
        assertThat(launcher.params().validate(Map.of("pullPolicy", "Sometimes")).violations())
                .singleElement()
                .satisfies(v -> assertThat(v.param()).isEqualTo("pullPolicy"));
        assertThat(client.batch().v1().jobs().inAnyNamespace().list().getItems())
                .isEmpty();
    }

    static WorkerStatus pending(String detail) {
        return new WorkerStatus(State.PENDING, detail);
    }

    static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The pod the Job controller would make for the Job (the mock server has no controllers). */
    Pod workerPod(String job) {
        Job j = job(job);
        return new PodBuilder()
                .withNewMetadata()
                .withName(job + "-abcde")
                .addToLabels(j.getSpec().getTemplate().getMetadata().getLabels())
                .addToLabels("job-name", job)
                .endMetadata()
                .withSpec(j.getSpec().getTemplate().getSpec())
                .build();
    }

    void setPodStatus(Pod pod, String phase, UnaryOperator<io.fabric8.kubernetes.api.model.PodStatusBuilder> more) {
        Pod current = client.pods()
                .inNamespace(NS)
                .withName(pod.getMetadata().getName())
                .get();
        current.setStatus(more.apply(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase(phase))
                .build());
        client.pods().inNamespace(NS).resource(current).updateStatus();
    }

    void setJobCondition(String job, String type, String reason) {
        Job current = job(job);
        current.setStatus(new JobStatusBuilder()
                .addToConditions(new JobConditionBuilder()
                        .withType(type)
                        .withStatus("True")
                        .withReason(reason)
                        .build())
                .build());
        client.batch().v1().jobs().inNamespace(NS).resource(current).updateStatus();
    }
}
