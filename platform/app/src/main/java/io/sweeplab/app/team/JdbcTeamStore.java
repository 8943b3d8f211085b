package io.sweeplab.app.team;

import io.sweeplab.app.db.Jdbc;
import io.sweeplab.app.db.Sql;
import io.sweeplab.core.error.ConflictException;
import io.sweeplab.core.team.Experiment;
import io.sweeplab.core.team.Team;
import io.sweeplab.core.team.TeamService;
import io.sweeplab.core.team.TeamStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Teams, projects and experiments in PostgreSQL. */
@ApplicationScoped
public class JdbcTeamStore implements TeamStore {

    private static final String EXPERIMENT_COLUMNS = "e.id, t.slug AS team, p.slug AS project, e.name, e.description,"
            + " e.created_at FROM experiments e JOIN teams t ON t.id = e.team_id JOIN projects p ON p.id = e.project_id";

    private final DataSource db;
    private final Jdbc jdbc;

    public JdbcTeamStore(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.db = jdbc.dataSource();
    }

    @Override
    public List<Team> teams() {
        return query("SELECT id, slug, name, created_at FROM teams ORDER BY slug", JdbcTeamStore::team);
    }

    @Override
    public Optional<Team> team(String slug) {
        return query("SELECT id, slug, name, created_at FROM teams WHERE slug = ?", JdbcTeamStore::team, slug).stream()
                .findFirst();
    }

    @Override
    @Transactional
    public Team createTeam(String slug, String name) {
        try (Connection c = db.getConnection()) {
            Team team;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO teams (slug, name) VALUES (?, ?) RETURNING id, slug, name, created_at")) {
                ps.setString(1, slug);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    team = team(rs);
                }
            }
            insertProject(c, team.id(), TeamService.DEFAULT_PROJECT, "Default");
            return team;
        } catch (SQLException e) {
            if (Sql.isUniqueViolation(e)) {
                throw new ConflictException("slug", "a team with slug '" + slug + "' already exists");
            }
            throw new IllegalStateException("SWL-DB-100 creating team failed", e);
        }
    }

    @Override
    public List<Experiment> experiments(Team team) {
        return query(
                "SELECT " + EXPERIMENT_COLUMNS + " WHERE e.team_id = ? ORDER BY e.created_at, e.id",
                JdbcTeamStore::experiment,
                team.id());
    }

    @Override
    public Optional<Experiment> experiment(Team team, long id) {
        return query(
                        "SELECT " + EXPERIMENT_COLUMNS + " WHERE e.team_id = ? AND e.id = ?",
                        JdbcTeamStore::experiment,
                        team.id(),
                        id)
                .stream()
                .findFirst();
    }

    @Override
    public Optional<String> experimentTeam(long id) {
        return query(
                        "SELECT t.slug FROM experiments e JOIN teams t ON t.id = e.team_id WHERE e.id = ?",
                        rs -> rs.getString(1),
                        id)
                .stream()
                .findFirst();
    }

    @Override
    @Transactional
    public boolean deleteExperiment(Team team, long id) {
        List<String> files = query(
                "SELECT c.path FROM run_checkpoints c JOIN runs r ON r.id = c.run_id WHERE r.experiment_id = ?",
                rs -> rs.getString(1),
                id);
        boolean existed = jdbc.update("DELETE FROM experiments WHERE id = ? AND team_id = ?", id, team.id()) > 0;
        io.sweeplab.app.db.CheckpointFiles.delete(files);
        return existed;
    }

    @Override
    @Transactional
    public Experiment createExperiment(Team team, String projectSlug, String name, String description) {
        try (Connection c = db.getConnection()) {
            long projectId = projectId(c, team.id(), projectSlug);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO experiments (team_id, project_id, name, description) VALUES (?, ?, ?, ?)"
                            + " RETURNING id, created_at")) {
                ps.setLong(1, team.id());
                ps.setLong(2, projectId);
                ps.setString(3, name);
                ps.setString(4, description);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Experiment(
                            rs.getLong(1),
                            team.slug(),
                            projectSlug,
                            name,
                            description,
                            rs.getTimestamp(2).toInstant());
                }
            }
        } catch (SQLException e) {
            if (Sql.isUniqueViolation(e)) {
                throw new ConflictException(
                        "name",
                        "project '" + projectSlug + "' of team '" + team.slug() + "' already has an experiment '" + name
                                + "'");
            }
            throw new IllegalStateException("SWL-DB-101 creating experiment failed", e);
        }
    }

    private static long projectId(Connection c, long teamId, String slug) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM projects WHERE team_id = ? AND slug = ?")) {
            ps.setLong(1, teamId);
            ps.setString(2, slug);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return rs.getLong(1);
                }
            }
        }
        return insertProject(c, teamId, slug, slug);
    }

    private static long insertProject(Connection c, long teamId, String slug, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO projects (team_id, slug, name) VALUES (?, ?, ?) ON CONFLICT (team_id, slug)"
                        + " DO UPDATE SET slug = EXCLUDED.slug RETURNING id")) {
            ps.setLong(1, teamId);
            ps.setString(2, slug);
            ps.setString(3, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Team team(ResultSet rs) throws SQLException {
        return new Team(rs.getLong("id"), rs.getString("slug"), rs.getString("name"), Jdbc.instant(rs, "created_at"));
    }

    private static Experiment experiment(ResultSet rs) throws SQLException {
        return new Experiment(
                rs.getLong("id"),
                rs.getString("team"),
                rs.getString("project"),
                rs.getString("name"),
                rs.getString("description"),
                Jdbc.instant(rs, "created_at"));
    }

    private <T> List<T> query(String sql, Jdbc.Row<T> row, Object... args) {
        return jdbc.query(sql, row, args);
    }
}
