package io.sweeplab.frontend.artifacts;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import io.sweeplab.artifacts.ArtifactCodec;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.run.ExtensionUse;
import io.sweeplab.core.run.Run;
import io.sweeplab.core.run.RunService;
import io.sweeplab.core.run.RunStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading a run's artifacts for the dashboard: every one the run stored, decoded with the shared codec. */
public final class RunArtifacts {

    private RunArtifacts() {}

    /** An artifact as read, or why it could not be read. */
    public record Read(String name, Optional<ArtifactCodec.Decoded> artifact, String problem) {}

    /**
     * The run's artifacts in the order its visualizers were listed (then by name), read with the codec; one that
     * does not read is kept with the reason, so the page shows the others.
     */
    public static List<Read> of(RunService runs, Caller caller, Run run) {
        List<String> order =
                run.spec().visualizers().stream().map(ExtensionUse::id).toList();
        List<RunStore.ArtifactInfo> infos = new ArrayList<>(runs.artifacts(caller, run.id()));
        infos.sort(Comparator.comparingInt((RunStore.ArtifactInfo a) -> {
                    int i = order.indexOf(a.name());
                    return i < 0 ? Integer.MAX_VALUE : i;
                })
                .thenComparing(RunStore.ArtifactInfo::name));
        List<Read> out = new ArrayList<>();
        for (RunStore.ArtifactInfo info : infos) {
            out.add(read(runs, caller, run.id(), info.name()));
        }
        return out;
    }

    /** One artifact of a run, read. */
    public static Read read(RunService runs, Caller caller, long run, String name) {
        Optional<byte[]> bytes = runs.artifact(caller, run, name);
        if (bytes.isEmpty()) {
            return new Read(name, Optional.empty(), "run " + run + " has no artifact '" + name + "'");
        }
        try {
            return new Read(name, Optional.of(ArtifactCodec.decode(bytes.get())), null);
        } catch (ArtifactCodec.MalformedArtifactException e) {
            return new Read(name, Optional.empty(), e.getMessage());
        }
    }

    /** Where the stored document of an artifact is served. */
    public static String download(long run, String name) {
        return "api/runs/" + run + "/artifacts/" + name;
    }

    /**
     * The drawn artifact, or a line saying why it cannot be drawn.
     *
     * @param idPrefix before the ids of its elements; distinct for each run on a page
     */
    public static Component view(long run, Read r, String idPrefix) {
        if (r.artifact().isPresent()) {
            return new ArtifactView(r.artifact().get(), download(run, r.name()), idPrefix);
        }
        Div box = new Div(new Span(r.name()), new Paragraph("This artifact cannot be read: " + r.problem()));
        box.addClassName("artifact-unreadable");
        box.getElement().setAttribute("data-artifact-name", r.name());
        return box;
    }

    /** Artifacts of several runs paired by name, in the order they first appear. */
    public static Map<String, List<Read>> byName(List<List<Read>> runs) {
        Map<String, List<Read>> out = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            for (Read r : runs.get(i)) {
                List<Read> row = out.computeIfAbsent(r.name(), n -> new ArrayList<>());
                while (row.size() < i) {
                    row.add(null);
                }
                row.add(r);
            }
        }
        out.values().forEach(row -> {
            while (row.size() < runs.size()) {
                row.add(null);
            }
        });
        return out;
    }
}
