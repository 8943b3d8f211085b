package io.sweeplab.app.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.sweeplab.app.db.Jdbc;
import io.sweeplab.core.access.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** The audit log in PostgreSQL; each entry also goes to the log (category {@code sweeplab.audit}). */
@ApplicationScoped
public class JdbcAuditLog implements AuditLog {

    private static final Logger LOG = Logger.getLogger("sweeplab.audit");
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final Jdbc jdbc;
    private final ObjectMapper json;

    public JdbcAuditLog(Jdbc jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Override
    public void record(
            String actor, String action, String team, String target, Map<String, Object> details, String from) {
        String address = from != null ? from : address();
        try {
            jdbc.update(
                    "INSERT INTO audit_log (actor, action, team, target, details, address) VALUES (?, ?, ?, ?, ?, ?)",
                    actor,
                    action,
                    team,
                    target,
                    new Jdbc.Json(json.writeValueAsString(details)),
                    address);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        LOG.infof(
                "SWL-AUDIT-001 %s %s%s%s from %s %s",
                actor,
                action,
                team == null ? "" : " in " + team,
                target == null ? "" : " on " + target,
                address,
                details);
    }

    @Override
    public List<Entry> entries(Long before, int limit) {
        return jdbc.query(
                "SELECT id, at, actor, action, team, target, details::text AS details, address FROM audit_log"
                        + " WHERE (?::bigint IS NULL OR id < ?::bigint) ORDER BY id DESC LIMIT ?",
                rs -> {
                    try {
                        return new Entry(
                                rs.getLong("id"),
                                Jdbc.instant(rs, "at"),
                                rs.getString("actor"),
                                rs.getString("action"),
                                rs.getString("team"),
                                rs.getString("target"),
                                json.readValue(rs.getString("details"), MAP),
                                rs.getString("address"));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException(e);
                    }
                },
                before,
                before,
                limit);
    }

    /** The client's address when called while serving a request. */
    private static String address() {
        try {
            if (Arc.container() == null || !Arc.container().requestContext().isActive()) {
                return null;
            }
            CurrentVertxRequest r =
                    Arc.container().instance(CurrentVertxRequest.class).get();
            if (r == null || r.getCurrent() == null) {
                return null;
            }
            return ClientAddress.of(r.getCurrent());
        } catch (RuntimeException e) {
            return null;
        }
    }
}
