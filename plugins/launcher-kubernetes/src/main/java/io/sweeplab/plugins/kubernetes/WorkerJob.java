package io.sweeplab.plugins.kubernetes;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.WorkerRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The objects of one launch: its Job and the Secret with the worker's environment. */
final class WorkerJob {

    /** A DNS label (RFC 1123), what Kubernetes names namespaces, service accounts and such with. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** A DNS subdomain (RFC 1123): Secret names. */
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    /** A label or resource name: an optional DNS-subdomain prefix and a slash, then a name of up to 63. */
    private static final Pattern QUALIFIED_NAME = Pattern.compile(
            "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

    private WorkerJob() {}

    /** A parameter that Kubernetes would refuse: its name, and what is wrong (the message says both). */
    static final class BadParam extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String param;
        private final String reason;

        BadParam(String param, String reason) {
            // the configuration key it comes from: gpuNodeSelector is sweeplab.launchers.kubernetes.gpu-node-selector
            super("sweeplab.launchers.kubernetes."
                    + param.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT) + ": " + reason);
            this.param = param;
            this.reason = reason;
        }

        String param() {
            return param;
        }

        String reason() {
            return reason;
        }
    }

    /** The launcher's parameters, checked. */
    record Settings(
            String namespace,
            String image,
            String gpuImage,
            String pullPolicy,
            String imagePullSecret,
            String serviceAccount,
            Map<String, String> nodeSelector,
            Map<String, String> gpuNodeSelector,
            String gpuResource,
            int ttlSeconds) {

        /** @throws BadParam naming the first parameter Kubernetes would refuse */
        static Settings of(Params p) {
            String image = p.getString("image").strip();
            if (image.isEmpty() || image.chars().anyMatch(Character::isWhitespace)) {
                throw new BadParam("image", "must name an image, e.g. sweeplab/worker:0.1.0");
            }
            String gpuImage = p.getString("gpuImage").strip();
            if (gpuImage.chars().anyMatch(Character::isWhitespace)) {
                throw new BadParam("gpuImage", "must name an image, e.g. sweeplab/worker-cuda:0.1.0, or be empty");
            }
            String gpuResource = p.getString("gpuResource").strip();
            if (!QUALIFIED_NAME.matcher(gpuResource).matches()) {
                throw new BadParam("gpuResource", "must be a resource name such as nvidia.com/gpu");
            }
            Map<String, String> nodeSelector = selector("nodeSelector", p.getString("nodeSelector"));
            Map<String, String> gpuNodeSelector = selector("gpuNodeSelector", p.getString("gpuNodeSelector"));
            return new Settings(
                    name("namespace", p.getString("namespace"), DNS_LABEL),
                    image,
                    gpuImage.isEmpty() ? image : gpuImage,
                    p.getString("pullPolicy"),
                    name("imagePullSecret", p.getString("imagePullSecret"), DNS_SUBDOMAIN),
                    name("serviceAccount", p.getString("serviceAccount"), DNS_SUBDOMAIN),
                    nodeSelector,
                    gpuNodeSelector.isEmpty() ? nodeSelector : gpuNodeSelector,
                    gpuResource,
                    p.getInt("ttlSeconds"));
        }

        private static String name(String param, String value, Pattern pattern) {
            String v = value.strip();
            if (!v.isEmpty() && !pattern.matcher(v).matches()) {
                throw new BadParam(param, "'" + v + "' is not a Kubernetes name (lower-case letters, digits, '-')");
            }
            return v;
        }

        /** {@code k=v,k2=v2} as a map; empty for an empty text. */
        private static Map<String, String> selector(String param, String text) {
            Map<String, String> out = new TreeMap<>();
            if (text.isBlank()) {
                return out;
            }
            for (String pair : text.split(",", -1)) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? "" : pair.substring(0, eq).strip();
                String value = eq < 0 ? "" : pair.substring(eq + 1).strip();
                if (eq < 0
                        || !QUALIFIED_NAME.matcher(key).matches()
                        || !LABEL_VALUE.matcher(value).matches()) {
                    throw new BadParam(
                            param,
                            "'" + pair.strip() + "' is not a label key=value; write k=v,k2=v2 (e.g."
                                    + " node.kubernetes.io/instance-type=g5.xlarge)");
                }
                if (out.put(key, value) != null) {
                    throw new BadParam(param, "label '" + key + "' is given twice");
                }
            }
            return out;
        }
    }

    /** The worker's environment, each variable under its own name as a key. */
    static Secret secret(String name, WorkerRequest request) {
        Map<String, String> data = new TreeMap<>();
        request.environment().forEach((k, v) -> {
            if (!k.equals(WorkerRequest.NAME_ENV)) { // not a secret: the Job's own name, in its spec
                data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)));
            }
        });
        return new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels(request))
                .endMetadata()
                .withType("Opaque")
                .withImmutable(true)
                .withData(data)
                .build();
    }

    static Job job(String name, WorkerRequest request, Settings settings) {
        boolean gpu = request.kind() == WorkerRequest.Kind.GPU;
        List<EnvVar> env = new ArrayList<>();
        // not a secret: the worker registers under the Job's name
        env.add(new EnvVar(WorkerRequest.NAME_ENV, name, null));
        for (String key : new TreeMap<>(request.environment()).keySet()) {
            if (!key.equals(WorkerRequest.NAME_ENV)) {
                env.add(new EnvVarBuilder()
                        .withName(key)
                        .withNewValueFrom()
                        .withNewSecretKeyRef(key, name, false)
                        .endValueFrom()
                        .build());
            }
        }
        Map<String, Quantity> requests = new LinkedHashMap<>();
        if (request.cpus() > 0) {
            requests.put("cpu", new Quantity(Integer.toString(request.cpus())));
        }
        if (request.memoryMb() > 0) {
            requests.put("memory", new Quantity(request.memoryMb() + "Mi"));
        }
        Map<String, Quantity> limits = new LinkedHashMap<>(requests);
        if (request.gpus() > 0) {
            limits.put(settings.gpuResource(), new Quantity(Integer.toString(request.gpus())));
        }
        Map<String, String> labels = labels(request);
        Map<String, String> nodeSelector = gpu ? settings.gpuNodeSelector() : settings.nodeSelector();
        return new JobBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(0) // a dead worker's run resumes elsewhere; a new pod would be a new worker
                .withTtlSecondsAfterFinished(settings.ttlSeconds())
                .withActiveDeadlineSeconds(
                        request.timeLimit() == null
                                ? null
                                : Math.max(1, request.timeLimit().toSeconds()))
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withAutomountServiceAccountToken(false) // the worker talks to the platform, not to Kubernetes
                .withServiceAccountName(settings.serviceAccount().isEmpty() ? null : settings.serviceAccount())
                .withImagePullSecrets(
                        settings.imagePullSecret().isEmpty()
                                ? List.of()
                                : List.of(new LocalObjectReference(settings.imagePullSecret())))
                .withNodeSelector(nodeSelector.isEmpty() ? null : nodeSelector)
                .addNewContainer()
                .withName("worker")
                .withImage(gpu ? settings.gpuImage() : settings.image())
                .withImagePullPolicy(settings.pullPolicy())
                // the image's entry point is the worker (docker/Dockerfile.worker): only its options here
                .withArgs(request.arguments())
                .withEnv(env)
                .withNewResources()
                .withRequests(requests)
                .withLimits(limits)
                .endResources()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    static Map<String, String> labels(WorkerRequest request) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(KubernetesLauncher.NAME_LABEL, KubernetesLauncher.NAME_VALUE);
        labels.put(KubernetesLauncher.LAUNCH_LABEL, Long.toString(request.launch()));
        labels.put(KubernetesLauncher.KIND_LABEL, request.kind().name().toLowerCase(Locale.ROOT));
        return labels;
    }
}
