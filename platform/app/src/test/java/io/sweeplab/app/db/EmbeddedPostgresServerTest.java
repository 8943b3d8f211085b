package io.sweeplab.app.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
