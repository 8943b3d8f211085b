package io.sweeplab.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.sweeplab.app.metrics.PlatformMetrics;
import io.sweeplab.core.launch.LauncherSettings;
import io.sweeplab.plugins.kubernetes.KubernetesLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker/kubernetes parsed as Kubernetes would take it: the images, the GPU limits, secrets only by reference, the
 * probes and rights the platform needs, and KEDA scaling on the platform's own queue-depth queries.
 */
class KubernetesManifestsTest {

    /** Names of variables that hold a secret: they must come from a Secret, never be written in a manifest. */
    static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|token|secret|key|jdbc_url|username).*");

    static Deployment deployment(String name) {
        return KubernetesManifests.object(Deployment.class, "Deployment", name);
    }

    static Container container(String deployment) {
        List<Container> containers =
                deployment(deployment).getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).as(deployment).hasSize(1);
        return containers.get(0);
    }

    static EnvVar env(String deployment, String name) {
        return container(deployment).getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(deployment + " has no " + name));
    }

    static void fromSecret(String deployment, String variable, String secret, String key) {
        EnvVar e = env(deployment, variable);
        assertThat(e.getValue()).as(deployment + " " + variable).isNull();
        assertThat(e.getValueFrom().getSecretKeyRef().getName()).as(variable).isEqualTo(secret);
        assertThat(e.getValueFrom().getSecretKeyRef().getKey()).as(variable).isEqualTo(key);
    }

    @Test
    void the_kustomization_lists_every_manifest_and_only_those() {
        List<String> listed = KubernetesManifests.kustomization().get("resources");

        assertThat(listed).containsExactlyInAnyOrderElementsOf(KubernetesManifests.files());
    }

    @Test
    void every_object_parses_as_its_kind_and_names_no_namespace() {
        List<HasMetadata> objects = KubernetesManifests.objects();

        assertThat(objects)
                .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .containsExactlyInAnyOrder(
                        "ServiceAccount/sweeplab-platform",
                        "Role/sweeplab-launcher",
                        "RoleBinding/sweeplab-launcher",
                        "PersistentVolumeClaim/sweeplab-home",
                        "Deployment/sweeplab-platform",
                        "Service/sweeplab",
                        "Deployment/sweeplab-worker-cpu",
                        "Deployment/sweeplab-worker-gpu",
                        "TriggerAuthentication/sweeplab-postgres",
                        "ScaledObject/sweeplab-worker-cpu",
                        "ScaledObject/sweeplab-worker-gpu");
        // the standard kinds as fabric8's typed model (a misspelt field would not bind), KEDA's as generic resources
        for (HasMetadata o : objects) {
            boolean keda = o.getApiVersion().equals("keda.sh/v1alpha1");
            assertThat(o instanceof GenericKubernetesResource).as(o.getKind()).isEqualTo(keda);
            // namespace-agnostic: kubectl apply -k ... -n NAME or an overlay picks it
            assertThat(o.getMetadata().getNamespace()).as(o.getKind()).isNull();
        }
        assertThat(objects).noneMatch(o -> o.getKind().equals("Secret"));
    }

    @Test
    void the_platform_and_the_workers_run_the_release_images() {
        assertThat(container("sweeplab-platform").getImage()).isEqualTo("sweeplab/platform:0.1.0");
        assertThat(container("sweeplab-worker-cpu").getImage()).isEqualTo("sweeplab/worker:0.1.0");
        assertThat(container("sweeplab-worker-gpu").getImage()).isEqualTo("sweeplab/worker-cuda:0.1.0");
        // the image's entry point is the worker: only its options, pointing at the platform's Service
        for (String worker : List.of("sweeplab-worker-cpu", "sweeplab-worker-gpu")) {
            assertThat(container(worker).getCommand()).as(worker).isEmpty();
            assertThat(container(worker).getArgs()).as(worker).containsExactly("--server", "http://sweeplab:8080");
        }
        Service service = KubernetesManifests.object(Service.class, "Service", "sweeplab");
        assertThat(service.getSpec().getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getPort()).isEqualTo(8080));
        assertThat(service.getSpec().getSelector())
                .isEqualTo(
                        deployment("sweeplab-platform").getSpec().getSelector().getMatchLabels());
    }

    @Test
    void the_gpu_worker_asks_for_a_gpu_and_the_cpu_worker_for_none() {
        assertThat(container("sweeplab-worker-gpu").getResources().getLimits())
                .containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(container("sweeplab-worker-cpu").getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
        assertThat(container("sweeplab-platform").getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
    }

    @Test
    void secrets_come_only_by_reference_from_secrets() throws IOException {
        fromSecret("sweeplab-platform", "QUARKUS_DATASOURCE_JDBC_URL", "sweeplab-postgres", "jdbc-url");
        fromSecret("sweeplab-platform", "QUARKUS_DATASOURCE_USERNAME", "sweeplab-postgres", "username");
        fromSecret("sweeplab-platform", "QUARKUS_DATASOURCE_PASSWORD", "sweeplab-postgres", "password");
        fromSecret(
                "sweeplab-platform", "QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY", "sweeplab-session", "encryption-key");
        for (String d : List.of("sweeplab-platform", "sweeplab-worker-cpu", "sweeplab-worker-gpu")) {
            fromSecret(d, "SWEEPLAB_WORKER_TOKEN", "sweeplab-worker-token", "token");
            for (EnvVar e : container(d).getEnv()) {
                if (SECRET_NAME.matcher(e.getName()).matches()) {
                    assertThat(e.getValue())
                            .as(d + " " + e.getName() + " is written out")
                            .isNull();
                    assertThat(e.getValueFrom().getSecretKeyRef())
                            .as(d + " " + e.getName())
                            .isNotNull();
                }
            }
        }
        // KEDA reads the connection from the Secret too, never from the ScaledObject
        GenericKubernetesResource auth = KubernetesManifests.object(
                GenericKubernetesResource.class, "TriggerAuthentication", "sweeplab-postgres");
        List<Map<String, Object>> refs = auth.get("spec", "secretTargetRef");
        assertThat(refs)
                .containsExactly(Map.of("parameter", "connection", "name", "sweeplab-postgres", "key", "connection"));
        for (String so : List.of("sweeplab-worker-cpu", "sweeplab-worker-gpu")) {
            List<Map<String, Object>> triggers = KubernetesManifests.object(
                            GenericKubernetesResource.class, "ScaledObject", so)
                    .get("spec", "triggers");
            for (Map<String, Object> t : triggers) {
                assertThat(GenericKubernetesResource.<Map<String, Object>>get(t, "metadata"))
                        .as(so)
                        .doesNotContainKeys("connection", "connectionFromEnv", "password", "passwordFromEnv");
                assertThat(GenericKubernetesResource.<String>get(t, "authenticationRef", "name"))
                        .isEqualTo("sweeplab-postgres");
            }
        }
        // and no literal credential anywhere in the text
        for (String file : KubernetesManifests.files()) {
            String text = Files.readString(KubernetesManifests.dir().resolve(file));
            assertThat(text)
                    .as(file)
                    .doesNotContainPattern("swl_[A-Za-z0-9]")
                    .doesNotContainPattern("(?i)password\\s*[:=]\\s*['\"]?[A-Za-z0-9]")
                    .doesNotContainPattern("postgresql://[^:\\s/]+:(?!PASSWORD@)[^@\\s]+@")
                    .doesNotContain("stringData");
        }
    }

    @Test
    void the_platform_is_probed_keeps_its_home_on_a_volume_and_may_start_jobs() {
        Container platform = container("sweeplab-platform");
        assertThat(platform.getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8080));
        assertThat(platform.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(platform.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        String home = env("sweeplab-platform", "SWEEPLAB_HOME").getValue();
        assertThat(platform.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo(home);
            assertThat(deployment("sweeplab-platform")
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getVolumes())
                    .anySatisfy(v -> {
                        assertThat(v.getName()).isEqualTo(m.getName());
                        assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("sweeplab-home");
                    });
        });
        assertThat(KubernetesManifests.object(PersistentVolumeClaim.class, "PersistentVolumeClaim", "sweeplab-home"))
                .isNotNull();

        String account = deployment("sweeplab-platform")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getServiceAccountName();
        assertThat(KubernetesManifests.object(ServiceAccount.class, "ServiceAccount", account))
                .isNotNull();
        RoleBinding binding = KubernetesManifests.object(RoleBinding.class, "RoleBinding", "sweeplab-launcher");
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo(account);
        });
        Role role = KubernetesManifests.object(
                Role.class, "Role", binding.getRoleRef().getName());
        assertThat(verbs(role, "batch", "jobs")).contains("create", "get", "list", "watch", "delete");
        assertThat(verbs(role, "", "secrets"))
                .containsExactlyInAnyOrder("create", "get", "delete", "patch"); // never list or watch
        assertThat(verbs(role, "", "pods")).contains("get", "list");
        // workers never talk to the Kubernetes API
        for (String worker : List.of("sweeplab-worker-cpu", "sweeplab-worker-gpu")) {
            assertThat(deployment(worker).getSpec().getTemplate().getSpec().getAutomountServiceAccountToken())
                    .as(worker)
                    .isFalse();
        }
    }

    @Test
    void the_launcher_keys_in_the_platform_deployment_are_known_and_valid() {
        String prefix = "SWEEPLAB_LAUNCHERS_KUBERNETES_";
        Map<String, String> keys = new java.util.LinkedHashMap<>();
        for (EnvVar e : container("sweeplab-platform").getEnv()) {
            if (e.getName().startsWith(prefix)) {
                keys.put(
                        e.getName()
                                .substring(prefix.length())
                                .toLowerCase(Locale.ROOT)
                                .replace('_', '-'),
                        e.getValue());
            }
        }
        assertThat(keys).containsKeys("enabled", "server", "image", "gpu-image");
        KubernetesLauncher launcher = new KubernetesLauncher();
        Set<String> known = new java.util.TreeSet<>(LauncherSettings.COMMON_KEYS);
        launcher.params()
                .specs()
                .forEach(p -> known.add(
                        p.name().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT)));
        assertThat(known).containsAll(keys.keySet());

        LauncherSettings.Parsed parsed = LauncherSettings.parse("kubernetes", keys, launcher.params());

        assertThat(parsed.errors()).isEmpty();
        assertThat(launcher.validate(parsed.settings().params())).isEmpty();
        // workers reach the platform through its Service, as the worker Deployments do
        Service service = KubernetesManifests.object(Service.class, "Service", "sweeplab");
        String url = "http://" + service.getMetadata().getName() + ":"
                + service.getSpec().getPorts().get(0).getPort();
        assertThat(parsed.settings().server()).isEqualTo(url);
        assertThat(container("sweeplab-worker-cpu").getArgs()).containsSubsequence("--server", url);
        assertThat(parsed.settings().params().getString("image"))
                .isEqualTo(container("sweeplab-worker-cpu").getImage());
        assertThat(parsed.settings().params().getString("gpuImage"))
                .isEqualTo(container("sweeplab-worker-gpu").getImage());
    }

    static List<String> verbs(Role role, String group, String resource) {
        return role.getRules().stream()
                .filter(r ->
                        r.getApiGroups().contains(group) && r.getResources().contains(resource))
                .map(PolicyRule::getVerbs)
                .flatMap(List::stream)
                .toList();
    }

    @Test
    void keda_scales_each_worker_deployment_on_the_platforms_own_queue_depth_query() {
        assertThat(KubernetesManifests.kedaQuery("sweeplab-worker-cpu", "queued"))
                .isEqualTo(PlatformMetrics.QUEUE_DEPTH_CPU_SQL);
        assertThat(KubernetesManifests.kedaQuery("sweeplab-worker-gpu", "queued"))
                .isEqualTo(PlatformMetrics.QUEUE_DEPTH_GPU_SQL);
        assertThat(KubernetesManifests.kedaQuery("sweeplab-worker-cpu", "busy"))
                .isEqualTo(PlatformMetrics.LEASED_CPU_SQL);
        assertThat(KubernetesManifests.kedaQuery("sweeplab-worker-gpu", "busy"))
                .isEqualTo(PlatformMetrics.LEASED_GPU_SQL);
        for (String name : List.of("sweeplab-worker-cpu", "sweeplab-worker-gpu")) {
            GenericKubernetesResource so =
                    KubernetesManifests.object(GenericKubernetesResource.class, "ScaledObject", name);
            // it scales the worker Deployment of the same name
            assertThat(deployment(so.<String>get("spec", "scaleTargetRef", "name")))
                    .isNotNull();
            List<Map<String, Object>> triggers = so.get("spec", "triggers");
            assertThat(triggers).allSatisfy(t -> {
                assertThat(t.get("type")).isEqualTo("postgresql");
                assertThat(GenericKubernetesResource.<String>get(t, "metadata", "targetQueryValue"))
                        .isEqualTo("1");
            });
            // one worker per job, queued or held
            assertThat(so.<String>get("spec", "advanced", "scalingModifiers", "formula"))
                    .isEqualTo("queued + busy");
            assertThat(so.<String>get("spec", "advanced", "scalingModifiers", "target"))
                    .isEqualTo("1");
        }
    }
}
