package io.sweeplab.app;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(TestPlatform.class)
class HealthAndOpenApiTest {

    @Test
    void ready_when_database_and_plugins_are() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("plugins", "Database connections health check"))
                .body("checks.find { it.name == 'plugins' }.data.refused", equalTo(3));
    }

    /** Enumerations are documented as the API spells them: {@code succeeded}, {@code viewer}, {@code read}. */
    @Test
    void the_api_document_spells_enumerations_in_lower_case() throws Exception {
        String doc = given().accept("application/json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        java.util.List<String> values = new java.util.ArrayList<>();
        new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(doc)
                .findValues("enum")
                .forEach(e -> e.forEach(v -> values.add(v.asText())));
        org.assertj.core.api.Assertions.assertThat(values)
                .contains("succeeded", "viewer", "read")
                .allMatch(v -> v.equals(v.toLowerCase(java.util.Locale.ROOT)));
    }

    /** Anyone may read the health checks: they say how things are, not where the platform keeps its files. */
    @Test
    void readiness_shows_no_paths() {
        String health = given().auth()
                .none()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String plugins = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("sweeplab.plugins.dir", String.class);
        org.assertj.core.api.Assertions.assertThat(health)
                .doesNotContain(plugins)
                .doesNotContain("\"directory\"")
                .doesNotContain(java.io.File.separator + "tmp");
    }

    @Test
    void serves_the_openapi_document() {
        given().accept("application/json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body("info.title", equalTo("Sweeplab API"))
                .body("paths.'/api/plugins'.get", notNullValue())
                .body("paths.'/api/teams'.post", notNullValue())
                .body("paths.'/api/teams/{team}/experiments'.post", notNullValue());
    }

    /** The console's log filter is installed: a user's newline cannot start a forged log line. */
    @Test
    void log_lines_escape_control_characters() {
        java.util.List<java.util.logging.Handler> handlers = new java.util.ArrayList<>();
        collect(org.jboss.logmanager.LogContext.getLogContext().getLogger("").getHandlers(), handlers);
        java.util.logging.Handler console = handlers.stream()
                .filter(h -> h instanceof org.jboss.logmanager.handlers.ConsoleHandler)
                .findFirst()
                .orElseThrow();
        org.jboss.logmanager.ExtLogRecord r = new org.jboss.logmanager.ExtLogRecord(
                java.util.logging.Level.INFO,
                "SWL-TEST-001 %s",
                org.jboss.logmanager.ExtLogRecord.FormatStyle.PRINTF,
                HealthAndOpenApiTest.class.getName());
        r.setParameters(new Object[] {"user\nFORGED LINE"});
        org.assertj.core.api.Assertions.assertThat(console.getFilter()).isNotNull();
        console.getFilter().isLoggable(r);
        org.assertj.core.api.Assertions.assertThat(
                        console.getFormatter().format(r).strip())
                .endsWith("SWL-TEST-001 user\\nFORGED LINE")
                .doesNotContain("\n");
    }

    static void collect(java.util.logging.Handler[] hs, java.util.List<java.util.logging.Handler> out) {
        for (java.util.logging.Handler h : hs) {
            out.add(h);
            if (h instanceof org.jboss.logmanager.ExtHandler e) {
                collect(e.getHandlers(), out);
            }
        }
    }
}
