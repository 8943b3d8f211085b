package io.sweeplab.core.team;

import java.util.List;
import java.util.Optional;

/** Persistence of teams, projects and experiments. Implementations translate uniqueness clashes to conflicts. */
public interface TeamStore {

    List<Team> teams();

    Optional<Team> team(String slug);

    /**
     * Creates a team with its {@code default} project.
     *
     * @throws io.sweeplab.core.error.ConflictException if the slug is taken
     */
    Team createTeam(String slug, String name);

    List<Experiment> experiments(Team team);

    Optional<Experiment> experiment(Team team, long id);

    /** The slug of an experiment's team; empty when there is no such experiment. */
    Optional<String> experimentTeam(long id);

    /** Deletes an experiment with its sweeps and runs; @return whether it existed */
    boolean deleteExperiment(Team team, long id);

    /**
     * Creates an experiment, and its project if the team has none of that slug.
     *
     * @throws io.sweeplab.core.error.ConflictException if the project already has an experiment of that name
     */
    Experiment createExperiment(Team team, String projectSlug, String name, String description);
}
