package io.sweeplab.app.security;

import io.sweeplab.app.db.Jdbc;
import io.sweeplab.core.access.LoginFailureStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The sign-in throttle's counts in {@code login_failures}, shared by every platform instance. */
@ApplicationScoped
public class JdbcLoginFailureStore implements LoginFailureStore {

    private static final String COLUMNS = "key, level, last_at, blocked_until, forget_at";

    private final Jdbc jdbc;

    public JdbcLoginFailureStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Map<String, Failures> find(Collection<String> keys) {
        Map<String, Failures> out = new HashMap<>();
        for (Map.Entry<String, Failures> e : jdbc.query(
                "SELECT " + COLUMNS + " FROM login_failures WHERE key = ANY (?)", JdbcLoginFailureStore::row, (Object)
                        keys.toArray(String[]::new))) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    @Override
    @Transactional
    public void update(String key, UnaryOperator<Failures> change) {
        // the row is locked (made first if need be) until the transaction ends: a concurrent failure waits for it
        jdbc.update(
                "INSERT INTO login_failures (key, level, last_at, forget_at) VALUES (?, 0, now(), now())"
                        + " ON CONFLICT (key) DO NOTHING",
                key);
        // a row just made (level 0, no wait) counts as none
        Failures old = jdbc.one(
                        "SELECT " + COLUMNS + " FROM login_failures WHERE key = ? FOR UPDATE",
                        JdbcLoginFailureStore::row,
                        key)
                .map(Map.Entry::getValue)
                .orElseThrow();
        Failures f = change.apply(old);
        jdbc.update(
                "UPDATE login_failures SET level = ?, last_at = ?, blocked_until = ?, forget_at = ? WHERE key = ?",
                f.level(),
                Timestamp.from(f.last()),
                f.blockedUntil() == null ? null : Timestamp.from(f.blockedUntil()),
                Timestamp.from(f.forgetAt()),
                key);
    }

    @Override
    public void remove(Collection<String> keys) {
        jdbc.update("DELETE FROM login_failures WHERE key = ANY (?)", (Object) keys.toArray(String[]::new));
    }

    @Override
    public void prune(Instant now) {
        jdbc.update("DELETE FROM login_failures WHERE forget_at < ?", Timestamp.from(now));
    }

    @Override
    public void clear() {
        jdbc.update("DELETE FROM login_failures");
    }

    private static Map.Entry<String, Failures> row(ResultSet rs) throws SQLException {
        return Map.entry(
                rs.getString("key"),
                new Failures(
                        rs.getDouble("level"),
                        Jdbc.instant(rs, "last_at"),
                        Jdbc.instant(rs, "blocked_until"),
                        Jdbc.instant(rs, "forget_at")));
    }
}
