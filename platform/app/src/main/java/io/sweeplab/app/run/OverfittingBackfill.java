package io.sweeplab.app.run;

import io.quarkus.runtime.StartupEvent;
import io.sweeplab.app.db.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Runs recorded before the platform stored overfitting results (migration V9) have epochs but no stored values; at
 * each start this fills them in, the way recording an epoch would. Idempotent: once filled, a run is never read
 * again, so after the first start it costs one query.
 */
@ApplicationScoped
public class OverfittingBackfill {

    private static final Logger LOG = Logger.getLogger(OverfittingBackfill.class);

    private final Jdbc jdbc;
    private final JdbcRunStore runs;

    public OverfittingBackfill(Jdbc jdbc, JdbcRunStore runs) {
        this.jdbc = jdbc;
        this.runs = runs;
    }

    void onStart(@Observes StartupEvent event) {
        int filled = fill();
        if (filled > 0) {
            LOG.infof("SWL-DB-140 stored the overfitting results of %d runs recorded before they were kept", filled);
        }
    }

    /** @return how many runs it filled in */
    public int fill() {
        List<Long> missing = jdbc.query(
                "SELECT r.id FROM runs r WHERE r.best_val_epoch IS NULL"
                        + " AND EXISTS (SELECT 1 FROM run_metrics m WHERE m.run_id = r.id) ORDER BY r.id",
                rs -> rs.getLong(1));
        int filled = 0;
        for (long run : missing) {
            if (runs.storeMissingOverfitting(run)) {
                filled++;
            }
        }
        return filled;
    }
}
