package io.sweeplab.worker.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote worker's command line: where its token comes from, and what a mistake tells the operator. */
class RemoteWorkerOptionsTest {

    static final String[] SERVER = {"--server", "http://platform:8080"};

    static String[] with(String... more) {
        String[] all = new String[SERVER.length + more.length];
        System.arraycopy(SERVER, 0, all, 0, SERVER.length);
        System.arraycopy(more, 0, all, SERVER.length, more.length);
        return all;
    }

    @Test
    void the_token_comes_from_a_file_the_command_line_or_the_environment(@TempDir Path dir) throws IOException {
        Map<String, String> env = Map.of(RemoteWorker.TOKEN_ENV, "swl_env");
        assertThat(RemoteWorker.parse(SERVER, env).token()).isEqualTo("swl_env");
        Path file = Files.writeString(dir.resolve("token"), "  swl_file\n");
        assertThat(RemoteWorker.parse(with("--token-file", file.toString()), env)
                        .token())
                .isEqualTo("swl_file");
        RemoteWorker.Options onCommandLine = RemoteWorker.parse(with("--token", "swl_arg"), env);
        assertThat(onCommandLine.token()).isEqualTo("swl_arg");
        assertThat(onCommandLine.containsKey("token")).as("main warns about it").isTrue();
    }

    @Test
    void a_missing_unreadable_empty_or_twice_given_token_is_refused_with_a_clear_message(@TempDir Path dir)
            throws IOException {
        assertThatThrownBy(() -> RemoteWorker.parse(SERVER, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no worker token")
                .hasMessageContaining(RemoteWorker.TOKEN_ENV)
                .hasMessageContaining("--token-file");
        assertThatThrownBy(() -> RemoteWorker.parse(SERVER, Map.of(RemoteWorker.TOKEN_ENV, " ")))
                .hasMessageContaining("no worker token");
        assertThatThrownBy(() -> RemoteWorker.parse(
                        with("--token-file", dir.resolve("absent").toString()), Map.of()))
                .hasMessageContaining("--token-file")
                .hasMessageContaining("cannot be read");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> RemoteWorker.parse(with("--token-file", empty.toString()), Map.of()))
                .hasMessageContaining("is empty");
        assertThatThrownBy(
                        () -> RemoteWorker.parse(with("--token-file", empty.toString(), "--token", "swl_x"), Map.of()))
                .hasMessageContaining("not both");
        Path spaced = Files.writeString(dir.resolve("spaced"), "swl_a swl_b");
        assertThatThrownBy(() -> RemoteWorker.parse(with("--token-file", spaced.toString()), Map.of()))
                .hasMessageContaining("spaces");
    }

    @Test
    void retry_for_takes_a_duration_with_a_unit() {
        Map<String, String> env = Map.of(RemoteWorker.TOKEN_ENV, "swl_env");
        assertThat(RemoteWorker.parse(SERVER, env).retryFor()).isEqualTo(Duration.ofMinutes(2));
        assertThat(RemoteWorker.parse(with("--retry-for", "90s"), env).retryFor())
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(RemoteWorker.parse(with("--retry-for", "500ms"), env).retryFor())
                .isEqualTo(Duration.ofMillis(500));
        assertThat(RemoteWorker.parse(with("--retry-for", "0"), env).retryFor()).isZero();
        for (String bad : new String[] {"2", "-1s", "two minutes", "1.5m", ""}) {
            assertThatThrownBy(() -> RemoteWorker.parse(with("--retry-for", bad), env))
                    .as(bad)
                    .hasMessageContaining("--retry-for");
        }
    }

    @Test
    void without_a_token_the_worker_exits_with_2_and_a_message_not_a_stack_trace() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        RemoteWorker.class.getName(),
                        "--server",
                        "http://127.0.0.1:9")
                .redirectErrorStream(true);
        pb.environment().remove(RemoteWorker.TOKEN_ENV);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isEqualTo(2);
        assertThat(out)
                .startsWith("sweeplab-worker: no worker token: set " + RemoteWorker.TOKEN_ENV)
                .contains("usage:")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }
}
