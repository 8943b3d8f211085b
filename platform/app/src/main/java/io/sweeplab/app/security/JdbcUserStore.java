package io.sweeplab.app.security;

import io.sweeplab.app.db.Jdbc;
import io.sweeplab.app.db.Sql;
import io.sweeplab.core.access.ApiToken;
import io.sweeplab.core.access.Member;
import io.sweeplab.core.access.Role;
import io.sweeplab.core.access.TokenScope;
import io.sweeplab.core.access.User;
import io.sweeplab.core.access.UserStore;
import io.sweeplab.core.error.ConflictException;
import io.sweeplab.core.error.NotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
public class JdbcUserStore implements UserStore {

    private static final String USER_COLUMNS =
            "id, username, display_name, password_hash, admin, disabled, created_at, session_epoch";
    private static final String TOKEN_SELECT =
            "k.id, u.username, k.name, k.scope, k.prefix, k.created_at, k.last_used_at, k.revoked_at, k.team_id,"
                    + " t.slug AS team_slug";
    private static final String TOKEN_FROM =
            " FROM api_tokens k JOIN users u ON u.id = k.user_id LEFT JOIN teams t ON t.id = k.team_id";
    private static final String TOKEN_COLUMNS = TOKEN_SELECT + TOKEN_FROM;

    private final Jdbc jdbc;
    private final java.util.Map<Long, Instant> touched = new java.util.concurrent.ConcurrentHashMap<>();

    public JdbcUserStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public User create(String username, String displayName, String passwordHash, boolean admin) {
        try (Connection c = jdbc.dataSource().getConnection();
                PreparedStatement ps = Jdbc.prepare(
                        c,
                        "INSERT INTO users (username, display_name, password_hash, admin) VALUES (?, ?, ?, ?)"
                                + " RETURNING " + USER_COLUMNS,
                        username,
                        displayName,
                        passwordHash,
                        admin);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return user(rs);
        } catch (SQLException e) {
            if (Sql.isUniqueViolation(e)) {
                throw new ConflictException("username", "a user named '" + username + "' already exists");
            }
            throw new IllegalStateException("SWL-DB-110 creating user failed", e);
        }
    }

    @Override
    public Optional<User> find(String username) {
        return jdbc.one("SELECT " + USER_COLUMNS + " FROM users WHERE username = ?", JdbcUserStore::user, username);
    }

    @Override
    public Optional<User> find(long id) {
        return jdbc.one("SELECT " + USER_COLUMNS + " FROM users WHERE id = ?", JdbcUserStore::user, id);
    }

    @Override
    public List<User> list() {
        return jdbc.query("SELECT " + USER_COLUMNS + " FROM users ORDER BY username", JdbcUserStore::user);
    }

    @Override
    public boolean anyAdmin() {
        return jdbc.one("SELECT 1 FROM users WHERE admin AND NOT disabled LIMIT 1", rs -> 1)
                .isPresent();
    }

    @Override
    public void setPassword(long userId, String passwordHash) {
        // a new password ends the sessions opened with the old one
        jdbc.update(
                "UPDATE users SET password_hash = ?, session_epoch = session_epoch + 1 WHERE id = ?",
                passwordHash,
                userId);
    }

    @Override
    public Optional<Long> boundUser(String issuer, String subject) {
        return jdbc.one(
                "SELECT user_id FROM user_identities WHERE issuer = ? AND subject = ?",
                rs -> rs.getLong(1),
                issuer,
                subject);
    }

    @Override
    public boolean bind(String issuer, String subject, long userId) {
        return jdbc.update(
                        "INSERT INTO user_identities (issuer, subject, user_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                        issuer,
                        subject,
                        userId)
                > 0;
    }

    @Override
    public void endSessions(long userId) {
        jdbc.update("UPDATE users SET session_epoch = session_epoch + 1 WHERE id = ?", userId);
    }

    @Override
    public void setDisabled(long userId, boolean disabled) {
        jdbc.update("UPDATE users SET disabled = ? WHERE id = ?", disabled, userId);
    }

    @Override
    public Map<String, Role> roles(long userId) {
        Map<String, Role> roles = new LinkedHashMap<>();
        jdbc.query(
                        "SELECT t.slug, m.role FROM memberships m JOIN teams t ON t.id = m.team_id"
                                + " WHERE m.user_id = ? ORDER BY t.slug",
                        rs -> Map.entry(rs.getString(1), Role.parse(rs.getString(2))),
                        userId)
                .forEach(e -> roles.put(e.getKey(), e.getValue()));
        return roles;
    }

    @Override
    public List<Member> members(String team) {
        return jdbc.query(
                "SELECT u.username, u.display_name, m.role, m.created_at FROM memberships m"
                        + " JOIN users u ON u.id = m.user_id JOIN teams t ON t.id = m.team_id WHERE t.slug = ?"
                        + " ORDER BY u.username",
                rs -> new Member(
                        rs.getString(1), rs.getString(2), Role.parse(rs.getString(3)), Jdbc.instant(rs, "created_at")),
                team);
    }

    @Override
    public void setRole(String team, long userId, Role role) {
        int n = jdbc.update(
                "INSERT INTO memberships (team_id, user_id, role) SELECT id, ?, ? FROM teams WHERE slug = ?"
                        + " ON CONFLICT (team_id, user_id) DO UPDATE SET role = EXCLUDED.role",
                userId,
                role.jsonName(),
                team);
        if (n == 0) {
            throw new NotFoundException("no team '" + team + "'");
        }
    }

    @Override
    public boolean removeMember(String team, long userId) {
        return jdbc.update(
                        "DELETE FROM memberships WHERE user_id = ? AND team_id = (SELECT id FROM teams WHERE slug = ?)",
                        userId,
                        team)
                > 0;
    }

    @Override
    public ApiToken createToken(long userId, String name, TokenScope scope, byte[] hash, String prefix, String team) {
        Long teamId = null;
        if (team != null) {
            teamId = jdbc.one("SELECT id FROM teams WHERE slug = ?", rs -> rs.getLong(1), team)
                    .orElseThrow(() -> new NotFoundException("no team '" + team + "'"));
        }
        long id = jdbc.one(
                        "INSERT INTO api_tokens (user_id, name, scope, token_hash, prefix, team_id)"
                                + " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                        rs -> rs.getLong(1),
                        userId,
                        name,
                        scope.jsonName(),
                        hash,
                        prefix,
                        teamId)
                .orElseThrow();
        return token(id).orElseThrow();
    }

    @Override
    public Optional<TokenOwner> activeToken(byte[] hash) {
        // every bearer request comes here: the token and its user in one read
        return jdbc.one(
                "SELECT " + TOKEN_SELECT + ", u.id AS user_id, u.display_name, u.password_hash, u.admin, u.disabled,"
                        + " u.created_at AS user_created_at, u.session_epoch" + TOKEN_FROM
                        + " WHERE k.token_hash = ? AND k.revoked_at IS NULL",
                rs -> new TokenOwner(
                        token(rs),
                        new User(
                                rs.getLong("user_id"),
                                rs.getString("username"),
                                rs.getString("display_name"),
                                rs.getString("password_hash"),
                                rs.getBoolean("admin"),
                                rs.getBoolean("disabled"),
                                Jdbc.instant(rs, "user_created_at"),
                                rs.getInt("session_epoch")),
                        teamIdOf(rs)),
                hash);
    }

    @Override
    public Optional<LaunchToken> activeLaunchToken(byte[] hash) {
        // ending a launch clears its hash in the same statement: a hash found is a launch not ended
        return jdbc.one(
                "SELECT id, launcher, team_id FROM worker_launches WHERE token_hash = ?",
                rs -> new LaunchToken(rs.getLong("id"), rs.getString("launcher"), (Long) rs.getObject("team_id")),
                hash);
    }

    @Override
    public List<ApiToken> tokens(Long userId) {
        return jdbc.query(
                "SELECT " + TOKEN_COLUMNS + " WHERE (?::bigint IS NULL OR k.user_id = ?::bigint)"
                        + " ORDER BY k.created_at DESC, k.id DESC",
                JdbcUserStore::token,
                userId,
                userId);
    }

    @Override
    public Optional<ApiToken> token(long id) {
        return jdbc.one("SELECT " + TOKEN_COLUMNS + " WHERE k.id = ?", JdbcUserStore::token, id);
    }

    @Override
    public boolean revokeToken(long id) {
        return jdbc.update("UPDATE api_tokens SET revoked_at = now() WHERE id = ? AND revoked_at IS NULL", id) > 0;
    }

    @Override
    public void touchToken(long id, Instant at) {
        // a busy token (a worker reports every second or two) is written at most once a minute, without a round trip
        Instant last = touched.get(id);
        if (last != null && last.isAfter(at.minusSeconds(60))) {
            return;
        }
        touched.put(id, at);
        if (touched.size() > 10_000) {
            touched.clear();
        }
        jdbc.update(
                "UPDATE api_tokens SET last_used_at = ? WHERE id = ?"
                        + " AND (last_used_at IS NULL OR last_used_at < ?::timestamptz - interval '1 minute')",
                java.sql.Timestamp.from(at),
                id,
                java.sql.Timestamp.from(at));
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(
                rs.getLong("id"),
                rs.getString("username"),
                rs.getString("display_name"),
                rs.getString("password_hash"),
                rs.getBoolean("admin"),
                rs.getBoolean("disabled"),
                Jdbc.instant(rs, "created_at"),
                rs.getInt("session_epoch"));
    }

    private static ApiToken token(ResultSet rs) throws SQLException {
        return new ApiToken(
                rs.getLong("id"),
                rs.getString("username"),
                rs.getString("name"),
                TokenScope.valueOf(rs.getString("scope").toUpperCase(Locale.ROOT)),
                rs.getString("prefix"),
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "last_used_at"),
                Jdbc.instant(rs, "revoked_at"),
                rs.getString("team_slug"));
    }

    private static Long teamIdOf(ResultSet rs) throws SQLException {
        long id = rs.getLong("team_id");
        return rs.wasNull() ? null : id;
    }
}
