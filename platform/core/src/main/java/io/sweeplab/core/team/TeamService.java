package io.sweeplab.core.team;

import io.sweeplab.core.error.FieldError;
import io.sweeplab.core.error.InvalidInputException;
import io.sweeplab.core.error.NotFoundException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Teams and their experiments: the rules on names and slugs, and lookups that fail with a clear 404. */
public final class TeamService {

    public static final String DEFAULT_PROJECT = "default";
    static final Pattern TEAM_SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{1,39}");
    static final Pattern PROJECT_SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    private final TeamStore store;

    public TeamService(TeamStore store) {
        this.store = store;
    }

    public List<Team> teams() {
        return store.teams();
    }

    public Team team(String slug) {
        return store.team(slug).orElseThrow(() -> new NotFoundException("no team '" + slug + "'"));
    }

    /**
     * @param slug the team's URL name; derived from the name when null
     * @param name the display name, 1 to 100 characters
     */
    public Team createTeam(String slug, String name) {
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
        return store.createTeam(s, n);
    }

    public List<Experiment> experiments(String teamSlug) {
        return store.experiments(team(teamSlug));
    }

    public Experiment experiment(String teamSlug, long id) {
        Team team = team(teamSlug);
        return store.experiment(team, id)
                .orElseThrow(() -> new NotFoundException("no experiment " + id + " in team '" + teamSlug + "'"));
    }

    /**
     * @param project the project's slug; {@value #DEFAULT_PROJECT} when null, created when new
     */
    public Experiment createExperiment(String teamSlug, String project, String name, String description) {
        Team team = team(teamSlug);
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
