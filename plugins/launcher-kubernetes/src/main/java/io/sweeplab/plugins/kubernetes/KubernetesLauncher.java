package io.sweeplab.plugins.kubernetes;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.ParamViolation;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.WorkerLauncher;
import io.sweeplab.plugin.api.WorkerRequest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The {@code kubernetes} launcher: one Kubernetes {@code Job} per worker ({@code backoffLimit: 0}, {@code
 * restartPolicy: Never}: a worker that dies is not restarted, its run resumes elsewhere from its checkpoint), named
 * {@code sweeplab-worker-<launch>-<5 letters>}, which is also the worker's name. The worker's environment, its token
 * among it, goes into a {@code Secret} of the launch's own, owned by the Job so that Kubernetes deletes it with the
 * Job, and reaches the container by {@code secretKeyRef}: the Job's spec holds no secret.
 *
 * <p>The client comes from the environment: the service account when the platform runs in a pod, else the
 * kubeconfig ({@code KUBECONFIG}, {@code ~/.kube/config}). It needs to create, get, list and delete Jobs and Secrets
 * and to list Pods in its namespace ({@code docker/kubernetes/rbac.yaml}).
 */
public final class KubernetesLauncher implements WorkerLauncher {

    static final String NAME_LABEL = "app.kubernetes.io/name";
    static final String NAME_VALUE = "sweeplab-worker";
    static final String LAUNCH_LABEL = "sweeplab.io/launch";
    static final String KIND_LABEL = "sweeplab.io/kind";
    /** The label the Job controller puts on the pods of a Job. */
    static final String JOB_NAME_LABEL = "job-name";

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";

    private static final ParamSchema PARAMS = ParamSchema.of(
            ParamSpec.ofString(
                    "namespace", "", "The namespace of the workers' Jobs; empty: the client's own (else default)"),
            ParamSpec.ofString("image", "sweeplab/worker:0.1.0", "The worker image (its entry point is the worker)"),
            ParamSpec.ofString(
                    "gpuImage",
                    "",
                    "The image of GPU workers, e.g. sweeplab/worker-cuda:0.1.0; empty: the same as image"),
            ParamSpec.ofChoice(
                    "pullPolicy",
                    "IfNotPresent",
                    List.of("IfNotPresent", "Always", "Never"),
                    "When the node pulls the image"),
            ParamSpec.ofString("imagePullSecret", "", "The Secret the node pulls a private image with; empty: none"),
            ParamSpec.ofString("serviceAccount", "", "The workers' service account; empty: the namespace's default"),
            ParamSpec.ofString(
                    "nodeSelector", "", "Labels the workers' nodes must have, as k=v,k2=v2; empty: any node"),
            ParamSpec.ofString(
                    "gpuNodeSelector", "", "Labels the GPU workers' nodes must have, as k=v; empty: nodeSelector"),
            ParamSpec.ofString(
                    "gpuResource", "nvidia.com/gpu", "The extended resource a GPU worker asks for in its limits"),
            ParamSpec.ofInt(
                    "ttlSeconds",
                    600,
                    0,
                    7 * 24 * 3600,
                    "How long a finished Job (and its Secret) stays for inspection before Kubernetes deletes it"));

    private final Supplier<KubernetesClient> client;
    private final RandomGenerator random;
    private final java.time.Clock clock;

    /** As the platform makes it: the client is built from the environment at the first call. */
    public KubernetesLauncher() {
        this.client = new Lazy<>(() -> new KubernetesClientBuilder()
                .withHttpClientFactory(new JdkHttpClientFactory())
                .build());
        this.random = new SecureRandom();
        this.clock = java.time.Clock.systemUTC();
    }

    /** For tests: against this client (a mock server's), with names drawn from this generator. */
    KubernetesLauncher(KubernetesClient client, RandomGenerator random) {
        this(client, random, java.time.Clock.systemUTC());
    }

    /** For tests: and at the time of this clock. */
    KubernetesLauncher(KubernetesClient client, RandomGenerator random, java.time.Clock clock) {
        this.client = () -> client;
        this.random = random;
        this.clock = clock;
    }

    @Override
    public String id() {
        return "kubernetes";
    }

    @Override
    public String label() {
        return "Kubernetes";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "Starts each worker as a Kubernetes Job, with nvidia.com/gpu limits for GPU workers and its token in a"
                + " Secret of its own.";
    }

    @Override
    public ParamSchema params() {
        return PARAMS;
    }

    @Override
    public List<ParamViolation> validate(Params params) {
        List<ParamViolation> violations = new ArrayList<>();
        try {
            WorkerJob.Settings.of(params);
        } catch (WorkerJob.BadParam e) {
            violations.add(new ParamViolation(e.param(), e.reason()));
        }
        return violations;
    }

    @Override
    public Launched launch(Params params, WorkerRequest request) {
        WorkerJob.Settings settings = WorkerJob.Settings.of(params);
        String namespace = namespace(settings);
        String name = "sweeplab-worker-" + request.launch() + "-" + randomLetters(5);
        KubernetesClient k8s = client.get();
        // The Secret first, so that the pod never starts without it; then the Job; then the Job owns the Secret.
        Secret secret = k8s.secrets()
                .inNamespace(namespace)
                .resource(WorkerJob.secret(name, request))
                .create();
        Job job = null;
        try {
            job = k8s.batch()
                    .v1()
                    .jobs()
                    .inNamespace(namespace)
                    .resource(WorkerJob.job(name, request, settings))
                    .create();
            OwnerReference owner = new OwnerReferenceBuilder()
                    .withApiVersion("batch/v1")
                    .withKind("Job")
                    .withName(name)
                    .withUid(job.getMetadata().getUid())
                    .withBlockOwnerDeletion(false)
                    .build();
            k8s.secrets()
                    .inNamespace(namespace)
                    .withName(secret.getMetadata().getName())
                    .edit(s -> {
                        s.getMetadata().setOwnerReferences(List.of(owner));
                        return s;
                    });
        } catch (RuntimeException e) {
            // nothing of a failed launch stays behind: the platform revokes its token and tries again later
            // (and nothing that was there before: a Job of the same name that refused ours is someone else's)
            try {
                if (job != null) {
                    delete(k8s, namespace, name);
                }
                k8s.secrets().inNamespace(namespace).withName(name).delete();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return new Launched(name, name);
    }

    @Override
    public Map<String, WorkerStatus> status(Params params, List<String> ids) {
        if (ids.isEmpty()) {
            return Map.of(); // nothing to ask the API server
        }
        String namespace = namespace(WorkerJob.Settings.of(params));
        KubernetesClient k8s = client.get();
        // Two calls for all the workers, whatever their number: every worker Job and every worker pod.
        Map<String, Job> jobs = new HashMap<>();
        for (Job job : k8s.batch()
                .v1()
                .jobs()
                .inNamespace(namespace)
                .withLabel(NAME_LABEL, NAME_VALUE)
                .list()
                .getItems()) {
            jobs.put(job.getMetadata().getName(), job);
        }
        Map<String, List<Pod>> pods = new HashMap<>();
        for (Pod pod : k8s.pods()
                .inNamespace(namespace)
                .withLabel(NAME_LABEL, NAME_VALUE)
                .list()
                .getItems()) {
            Map<String, String> labels = pod.getMetadata().getLabels();
            String job = labels == null ? null : labels.get(JOB_NAME_LABEL);
            if (job != null) {
                pods.computeIfAbsent(job, j -> new ArrayList<>()).add(pod);
            }
        }
        Map<String, WorkerStatus> out = new LinkedHashMap<>();
        for (String id : ids) {
            WorkerStatus s = JobStatus.of(jobs.get(id), pods.getOrDefault(id, List.of()), clock.instant());
            if (s.detail().endsWith(JobStatus.GIVEN_UP)) {
                delete(k8s, namespace, id); // its pod would retry for ever
            }
            out.put(id, s);
        }
        return out;
    }

    @Override
    public void cancel(Params params, String id) {
        // Background: the call returns at once; Kubernetes then deletes the pod and, through its owner, the Secret.
        delete(client.get(), namespace(WorkerJob.Settings.of(params)), id);
    }

    private static void delete(KubernetesClient k8s, String namespace, String job) {
        k8s.batch()
                .v1()
                .jobs()
                .inNamespace(namespace)
                .withName(job)
                .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                .delete();
    }

    private String namespace(WorkerJob.Settings settings) {
        if (!settings.namespace().isEmpty()) {
            return settings.namespace();
        }
        String own = client.get().getNamespace();
        return own == null || own.isBlank() ? "default" : own;
    }

    private String randomLetters(int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
        }
        return s.toString();
    }

    /** Built once, at the first call, so that a platform that never launches never reads a kubeconfig. */
    private static final class Lazy<T> implements Supplier<T> {
        private final Supplier<T> make;
        private volatile T value;

        Lazy(Supplier<T> make) {
            this.make = make;
        }

        @Override
        public T get() {
            T v = value;
            if (v == null) {
                synchronized (this) {
                    v = value;
                    if (v == null) {
                        v = make.get();
                        value = v;
                    }
                }
            }
            return v;
        }
    }
}
