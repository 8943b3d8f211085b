package io.sweeplab.app;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * The packaged platform ({@code quarkus-run.jar}) as a separate process, the way the README runs it, on a free port
 * with its own home (or one shared with other instances); its output goes to {@code <home>/platform.log}. For the integration tests (Failsafe).
 */
final class PackagedPlatform implements AutoCloseable {

    final Path home;
    final int port;
    private final Path log;
    private final Map<String, String> properties;
    private Process process;

    PackagedPlatform(String name, Map<String, String> properties) throws IOException {
        this(Files.createTempDirectory(name), "platform", properties);
    }

    /** One of several instances sharing {@code home}; its output goes to {@code <home>/<instance>.log}. */
    PackagedPlatform(Path home, String instance, Map<String, String> properties) throws IOException {
        this.home = home;
        this.log = home.resolve(instance + ".log");
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
        this.properties = properties;
    }

    /** Starts the platform and waits until it is ready. */
    PackagedPlatform start() throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules",
                "jdk.incubator.vector",
                "-Dquarkus.http.port=" + port,
                "-Dsweeplab.home=" + home,
                "-Dsweeplab.dataset.download=false"));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", System.getProperty("sweeplab.app.jar")));
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .start();
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> http().get("/q/health/ready").statusCode() == 200);
        return this;
    }

    Path log() {
        return log;
    }

    String url() {
        return "http://localhost:" + port;
    }

    /**
     * The one-time password a first start printed for the administrator ({@code SWL-AUTH-001}), or an error when none
     * was printed.
     */
    String oneTimePassword() throws IOException {
        String line = Files.readAllLines(log()).stream()
                .filter(l -> l.contains("SWL-AUTH-001"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no one-time password in " + log()));
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("one-time password (\\S+) ").matcher(line);
        if (!m.find()) {
            throw new AssertionError("no password in: " + line);
        }
        return m.group(1);
    }

    /** Signs in through the form, as a browser does, and answers the session cookie. */
    String signIn(String user, String password) {
        io.restassured.response.Response r = http().redirects()
                .follow(false)
                .formParam("username", user)
                .formParam("password", password)
                .post("/j_security_check");
        if (r.statusCode() != 302 || String.valueOf(r.header("Location")).contains("error")) {
            throw new AssertionError("sign-in as " + user + " refused: " + r.statusCode() + " " + r.header("Location"));
        }
        String session = r.getCookie("sweeplab-session");
        if (session == null || session.isBlank()) {
            throw new AssertionError("sign-in as " + user + " set no session cookie");
        }
        return session;
    }

    /** A request to the platform, without credentials. */
    RequestSpecification http() {
        return RestAssured.given().baseUri("http://localhost").port(port).auth().none();
    }

    /** SIGKILL, as a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }
}
