package io.sweeplab.app.worker;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sweeplab.app.db.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Carries a cancel to every platform instance sharing the database: the instance where it is asked sends
 * {@code NOTIFY sweeplab_cancel, '<run>'} once the cancel is committed, and each instance listens on one connection of
 * its own (outside the pool) and stops the run if its in-process worker trains it, or answers the long-poll of the
 * remote worker that does. The listening connection comes back after a loss (with a growing pause), and then looks in
 * the database for the cancels it may have missed meanwhile.
 */
@ApplicationScoped
public class CancelBroadcast {

    static final String CHANNEL = "sweeplab_cancel";
    /** The listening connection's {@code application_name}, to find it in {@code pg_stat_activity}. */
    static final String APPLICATION_NAME = "sweeplab-cancel-listener";

    private static final Logger LOG = Logger.getLogger(CancelBroadcast.class);
    private static final long FIRST_PAUSE_MS = 500;
    private static final long LONGEST_PAUSE_MS = 30_000;
    private static final int WAIT_MS = 5_000;

    private final Jdbc jdbc;
    private final InProcessWorker worker;
    private final CancelNotifier waiters;
    private final String url;
    private final Optional<String> username;
    private final Optional<String> password;
    private volatile boolean running;
    private volatile Connection listening;
    private Thread listener;

    public CancelBroadcast(
            Jdbc jdbc,
            InProcessWorker worker,
            CancelNotifier waiters,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.jdbc = jdbc;
        this.worker = worker;
        this.waiters = waiters;
        this.url = url;
        this.username = username;
        this.password = password;
    }

    /** A run's cancel was committed: stop it here at once, and on every other instance. */
    public void cancelled(long run) {
        deliver(run);
        try {
            jdbc.one("SELECT pg_notify(?, ?)", rs -> 1, CHANNEL, Long.toString(run));
        } catch (RuntimeException e) {
            // the run still stops: its worker learns of the cancel at its next heartbeat
            LOG.warnf("SWL-QUEUE-021 cannot tell the other instances of the cancel of run %d: %s", run, e.getMessage());
        }
    }

    private void deliver(long run) {
        worker.cancel(run);
        waiters.cancelled(run);
    }

    void start(@Observes StartupEvent event) {
        running = true;
        listener = new Thread(this::listen, "sweeplab-cancel-listener");
        listener.setDaemon(true);
        listener.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (listener != null) {
            listener.interrupt();
        }
        closeQuietly(listening);
    }

    private void listen() {
        long pause = FIRST_PAUSE_MS;
        while (running) {
            try (Connection c = connect()) {
                listening = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                pause = FIRST_PAUSE_MS;
                missed().forEach(this::deliver);
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] received = pg.getNotifications(WAIT_MS);
                    if (received == null || received.length == 0) {
                        if (!c.isValid(WAIT_MS / 1000)) { // a connection dropped without a word
                            throw new SQLException("the connection stopped answering");
                        }
                        continue;
                    }
                    for (PGNotification n : received) {
                        deliver(n.getParameter());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warnf(
                        "SWL-QUEUE-020 listening for cancels failed (%s); trying again in %d ms",
                        e.getMessage(), pause);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException stop) {
                    return;
                }
                pause = Math.min(LONGEST_PAUSE_MS, pause * 2);
            }
        }
    }

    private void deliver(String payload) {
        try {
            deliver(Long.parseLong(payload));
        } catch (NumberFormatException e) {
            LOG.debugf("ignoring a %s notification that names no run: %s", CHANNEL, payload);
        }
    }

    /** The runs whose cancel is asked for while a worker still holds them: some may have been sent while away. */
    private List<Long> missed() {
        return jdbc.query(
                "SELECT j.run_id FROM jobs j JOIN runs r ON r.id = j.run_id"
                        + " WHERE j.state = 'leased' AND r.cancel_requested",
                rs -> rs.getLong(1));
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        username.ifPresent(u -> p.setProperty("user", u));
        password.ifPresent(pw -> p.setProperty("password", pw));
        p.setProperty("ApplicationName", APPLICATION_NAME);
        Connection c = new org.postgresql.Driver().connect(url, p);
        if (c == null) {
            throw new SQLException("not a PostgreSQL URL: " + url);
        }
        c.setAutoCommit(true);
        return c;
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing on the way out
            }
        }
    }
}
