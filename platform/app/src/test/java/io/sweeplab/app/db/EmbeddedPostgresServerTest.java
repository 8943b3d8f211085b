package io.sweeplab.app.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerTest {

    @TempDir
    Path dir;

    private static Connection connect(EmbeddedPostgresServer s) throws SQLException {
        return DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
    }

    @Test
    void a_platform_killed_with_sigkill_leaves_a_server_that_the_next_start_stops_and_replaces() throws Exception {
        Path data = dir.resolve("killed");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process platform = new ProcessBuilder(
                        javaBin,
                        "-cp",
                        System.getProperty("java.class.path"),
                        OrphanMaker.class.getName(),
                        data.toString())
                .redirectErrorStream(true)
                .start();
        try (java.io.BufferedReader out =
                new java.io.BufferedReader(new java.io.InputStreamReader(platform.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null && !line.contains("READY")) {
                // zonky's start-up lines
            }
            assertThat(line).as("the child started its server").isNotNull();
        }
        long orphan = Long.parseLong(java.nio.file.Files.readAllLines(data.resolve("postmaster.pid"))
                .get(0)
                .trim());
        platform.destroyForcibly().waitFor(); // SIGKILL: the JVM dies, its PostgreSQL lives on
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).contains(true);

        try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(data, 0);
                Connection c = connect(again);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT v FROM survived")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("committed before the kill");
            assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false))
                    .isFalse();
        }
    }

    @Test
    void a_connection_without_the_password_or_with_a_wrong_one_is_refused() throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir.resolve("locked"), 0)) {
            String url = "jdbc:postgresql://localhost:" + server.port() + "/postgres";
            assertThatThrownBy(() ->
                            DriverManager.getConnection(url, "postgres", null).close())
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "postgres")
                            .close())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
            assertThatThrownBy(() -> DriverManager.getConnection(
                                    "jdbc:postgresql://127.0.0.1:" + server.port() + "/template1?user=postgres")
                            .close())
                    .isInstanceOf(SQLException.class);
            try (Connection c = connect(server);
                    Statement s = c.createStatement();
                    ResultSet rs =
                            s.executeQuery("SELECT count(*) FROM pg_hba_file_rules WHERE auth_method = 'trust'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("trust rules in pg_hba.conf").isZero();
            }
            Path file = server.passwordFile();
            assertThat(file).startsWith(server.dataDir());
            assertThat(Files.readString(file).strip())
                    .isEqualTo(server.password())
                    .hasSizeGreaterThanOrEqualTo(32);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void a_data_dir_made_by_the_old_trust_setup_is_upgraded_and_keeps_its_data() throws Exception {
        Path data = dir.resolve("old");
        // what earlier versions did: zonky's defaults, initdb -A trust, every local connection let in
        try (EmbeddedPostgres old = EmbeddedPostgres.builder()
                        .setDataDirectory(data)
                        .setCleanDataDirectory(false)
                        .start();
                Connection c = old.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v TEXT)");
            s.execute("INSERT INTO kept VALUES ('made under trust')");
        }
        assertThat(Files.readString(data.resolve("pg_hba.conf"))).contains("trust");

        try (EmbeddedPostgresServer upgraded = EmbeddedPostgresServer.start(data, 0);
                Connection c = connect(upgraded);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("made under trust");
            assertThatThrownBy(() -> DriverManager.getConnection(
                                    "jdbc:postgresql://localhost:" + upgraded.port() + "/postgres", "postgres", "x")
                            .close())
                    .isInstanceOf(SQLException.class);
        }
        assertThat(Files.readString(data.resolve("pg_hba.conf"))).doesNotContain("trust");
    }

    @Test
    void data_survives_a_restart_on_the_same_directory() throws Exception {
        Path data = dir.resolve("pg");
        int firstPort;
        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(data, 0);
                Connection c = connect(first);
                Statement s = c.createStatement()) {
            firstPort = first.port();
            s.execute("CREATE TABLE kept (v TEXT)");
            s.execute("INSERT INTO kept VALUES ('before restart')");
        }
        try (EmbeddedPostgresServer second = EmbeddedPostgresServer.start(data, 0);
                Connection c = connect(second);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("before restart");
            assertThat(second.dataDir()).isEqualTo(data);
            assertThat(firstPort).isPositive();
        }
    }
}
