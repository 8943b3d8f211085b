package io.sweeplab.app.db;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** No JDBC URL configured: the platform starts its own PostgreSQL on the configured data directory. */
@QuarkusTest
@TestProfile(EmbeddedModeTest.NoJdbcUrl.class)
class EmbeddedModeTest {

    static final Path DATA_DIR =
            Path.of("target", "embedded-mode-test", "postgres").toAbsolutePath();

    public static class NoJdbcUrl implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "sweeplab.db.embedded.data-dir", DATA_DIR.toString(),
                    "sweeplab.home", DATA_DIR.getParent().toString(),
                    "sweeplab.admin.password", io.sweeplab.app.TestPlatform.ADMIN_PASSWORD);
        }
    }

    @Inject
    DataSource db;

    @Test
    void starts_embedded_postgres_with_durable_settings_and_migrates_it() throws Exception {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        assertThat(url).startsWith("jdbc:postgresql://localhost:");
        assertThat(Files.exists(DATA_DIR.resolve("PG_VERSION"))).isTrue();

        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SHOW synchronous_commit")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("on");
            }
            try (ResultSet rs = s.executeQuery("SHOW fsync")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("on");
            }
            try (ResultSet rs = s.executeQuery("SELECT max(version) FROM flyway_schema_history WHERE success")) {
                rs.next();
                assertThat(rs.getString(1)).isNotBlank();
            }
        }

        // the platform connects with the password from the data directory; nobody else gets in without it
        assertThat(ConfigProvider.getConfig().getValue("quarkus.datasource.password", String.class))
                .isEqualTo(
                        Files.readString(DATA_DIR.resolve("sweeplab.password")).strip());
        assertThatThrownBy(
                        () -> DriverManager.getConnection(url, "postgres", null).close())
                .isInstanceOf(SQLException.class);
        assertThatThrownBy(() ->
                        DriverManager.getConnection(url, "postgres", "postgres").close())
                .isInstanceOf(SQLException.class);

        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().auth()
                .preemptive()
                .basic("admin", io.sweeplab.app.TestPlatform.ADMIN_PASSWORD)
                .contentType(ContentType.JSON)
                .body("{\"name\": \"Embedded " + System.nanoTime() + "\"}")
                .post("/api/teams")
                .then()
                .statusCode(201);
    }
}
