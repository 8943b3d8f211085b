package io.sweeplab.app;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The manifests of docker/kubernetes as the API server would take them: each YAML document read by fabric8 into its
 * typed model (Deployment, Service, Role, ...), or, for kinds it does not know (KEDA's), a generic resource.
 */
public final class KubernetesManifests {

    private KubernetesManifests() {}

    /** docker/kubernetes of this checkout, found from the module's directory up. */
    public static Path dir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path d = p.resolve("docker/kubernetes");
            if (Files.isRegularFile(d.resolve("kustomization.yaml"))) {
                return d;
            }
        }
        throw new IllegalStateException(
                "no docker/kubernetes/kustomization.yaml above " + Path.of("").toAbsolutePath());
    }

    /** The manifest files, without the kustomization, by name. */
    public static List<String> files() {
        try (Stream<Path> s = Files.list(dir())) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
                    .filter(n -> !n.equals("kustomization.yaml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The kustomization, as a generic resource. */
    public static GenericKubernetesResource kustomization() {
        return (GenericKubernetesResource) documents("kustomization.yaml").get(0);
    }

    /** Every object of every manifest file. */
    public static List<HasMetadata> objects() {
        List<HasMetadata> all = new ArrayList<>();
        files().forEach(f -> all.addAll(documents(f)));
        return all;
    }

    /** The objects of one file, one per YAML document. */
    public static List<HasMetadata> documents(String file) {
        String text;
        try {
            text = Files.readString(dir().resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : text.split("(?m)^---\\s*$")) {
            boolean empty = doc.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"));
            if (!empty) {
                out.add((HasMetadata) Serialization.unmarshal(doc));
            }
        }
        return out;
    }

    /** The one object of this kind and name. */
    public static <T extends HasMetadata> T object(Class<T> type, String kind, String name) {
        List<HasMetadata> found = objects().stream()
                .filter(o ->
                        o.getKind().equals(kind) && o.getMetadata().getName().equals(name))
                .toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " objects " + kind + "/" + name + " in " + dir());
        }
        return type.cast(found.get(0));
    }

    /** The query of the named postgresql trigger of a KEDA ScaledObject. */
    public static String kedaQuery(String scaledObject, String trigger) {
        GenericKubernetesResource so = object(GenericKubernetesResource.class, "ScaledObject", scaledObject);
        List<Map<String, Object>> triggers = so.get("spec", "triggers");
        List<Map<String, Object>> named =
                triggers.stream().filter(t -> trigger.equals(t.get("name"))).toList();
        if (named.size() != 1) {
            throw new AssertionError(named.size() + " triggers named " + trigger + " in ScaledObject " + scaledObject);
        }
        return GenericKubernetesResource.get(named.get(0), "metadata", "query");
    }
}
