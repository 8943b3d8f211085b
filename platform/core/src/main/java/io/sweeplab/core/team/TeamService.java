package io.sweeplab.core.team;

import io.sweeplab.core.access.AuditLog;
import io.sweeplab.core.access.Caller;
import io.sweeplab.core.access.Role;
import io.sweeplab.core.error.FieldError;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.error.NotFoundException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Teams and their experiments: the rules on names and slugs, and lookups that fail with a clear 404. */
public final class TeamService {

    public static final String DEFAULT_PROJECT = "default";
    static final Pattern TEAM_SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{1,39}");
    static final Pattern PROJECT_SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    private final TeamStore store;
    private final AuditLog audit;

    public TeamService(TeamStore store, AuditLog audit) {
        this.store = store;
        this.audit = audit;
    }

    /** The teams the caller belongs to (an administrator: all). */
    public List<Team> teams(Caller caller) {
        return store.teams().stream().filter(t -> caller.sees(t.slug())).toList();
    }

    /** @throws NotFoundException when there is no such team or the caller is not in it */
    public Team team(Caller caller, String slug) {
        return store.team(slug)
                .filter(t -> caller.sees(t.slug()))
                .orElseThrow(() -> new NotFoundException("no team '" + slug + "'"));
    }

    public boolean exists(String slug) {
        return store.team(slug).isPresent();
    }

    /**
     * @param slug the team's URL name; derived from the name when null
     * @param name the display name, 1 to 100 characters
     */
    public Team createTeam(Caller caller, String slug, String name) {
        caller.requireAdmin();
        List<FieldError> errors = new ArrayList<>();
        String n = checkName("name", name, 100, errors);
        String s = slug;
        if (s == null && n != null) {
            s = slugify(n, 40);
            if (!TEAM_SLUG.matcher(s).matches()) {
                errors.add(new FieldError("slug", "cannot be derived from the name; give one"));
            }
        } else if (s != null && !TEAM_SLUG.matcher(s).matches()) {
            errors.add(new FieldError(
                    "slug", "must be 2 to 40 lower-case letters, digits and dashes, starting with a letter or digit"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Team team = store.createTeam(s, n);
        audit.record(caller.name(), "team-create", team.slug(), "team " + team.slug(), Map.of());
        return team;
    }

    public List<Experiment> experiments(Caller caller, String teamSlug) {
        return store.experiments(team(caller, teamSlug));
    }

    public Experiment experiment(Caller caller, String teamSlug, long id) {
        Team team = team(caller, teamSlug);
        return store.experiment(team, id)
                .orElseThrow(() -> new NotFoundException("no experiment " + id + " in team '" + teamSlug + "'"));
    }

    /**
     * @param project the project's slug; {@value #DEFAULT_PROJECT} when null, created when new
     */
    public Experiment createExperiment(
            Caller caller, String teamSlug, String project, String name, String description) {
        Team team = team(caller, teamSlug);
        caller.require(team.slug(), Role.MEMBER, "no team '" + teamSlug + "'");
        List<FieldError> errors = new ArrayList<>();
        String n = checkName("name", name, 200, errors);
        String p = project == null ? DEFAULT_PROJECT : project;
        if (!PROJECT_SLUG.matcher(p).matches()) {
            errors.add(new FieldError(
                    "project",
                    "must be 1 to 40 lower-case letters, digits and dashes, starting with a letter or digit"));
        }
        String d = description == null ? "" : description.strip();
        if (d.length() > 4000) {
            errors.add(new FieldError("description", "must be at most 4000 characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return store.createExperiment(team, p, n, d);
    }

    /** Deletes an experiment with all its sweeps and runs (members of its team). */
    public void deleteExperiment(Caller caller, String teamSlug, long id) {
        Experiment e = experiment(caller, teamSlug, id);
        caller.require(e.team(), Role.MEMBER, "no experiment " + id + " in team '" + teamSlug + "'");
        if (!store.deleteExperiment(team(caller, teamSlug), id)) {
            throw new NotFoundException("no experiment " + id + " in team '" + teamSlug + "'");
        }
        audit.record(caller.name(), "experiment-delete", e.team(), "experiment " + id, Map.of("name", e.name()));
    }

    private static String checkName(String field, String value, int max, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        String v = value.strip();
        if (v.length() > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters"));
        }
        if (v.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError(field, "must not contain control characters"));
        }
        return v;
    }

    /** "Vision Lab #2" -> "vision-lab-2". */
    static String slugify(String name, int max) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        String s = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > max) {
            s = s.substring(0, max).replaceAll("-+$", "");
        }
        return s;
    }
}
