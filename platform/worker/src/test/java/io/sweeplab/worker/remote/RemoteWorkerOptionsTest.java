package io.sweeplab.worker.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweeplab.worker.loop.CpuShare;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    void idle_exit_takes_a_duration_above_zero_and_the_name_may_come_from_the_environment() {
        Map<String, String> env = Map.of(RemoteWorker.TOKEN_ENV, "swl_env", RemoteWorker.NAME_ENV, "slurm-42");
        assertThat(RemoteWorker.parse(SERVER, env).idleExit()).isNull();
        assertThat(RemoteWorker.parse(with("--idle-exit", "2m"), env).idleExit())
                .isEqualTo(Duration.ofMinutes(2));
        for (String bad : new String[] {"0", "2", "soon"}) {
            assertThatThrownBy(() -> RemoteWorker.parse(with("--idle-exit", bad), env))
                    .as(bad)
                    .hasMessageContaining("--idle-exit");
        }
        assertThat(RemoteWorker.parse(SERVER, env).get("name")).isEqualTo("slurm-42");
        assertThat(RemoteWorker.parse(with("--name", "mine"), env).get("name")).isEqualTo("mine");
        assertThat(RemoteWorker.parse(SERVER, Map.of(RemoteWorker.TOKEN_ENV, "swl_env"))
                        .get("name"))
                .isNull();
    }

    @Test
    void slots_and_threads_come_from_the_cores_and_a_combination_that_oversubscribes_them_is_refused() {
        Map<String, String> env = Map.of(RemoteWorker.TOKEN_ENV, "swl_env");
        assertThat(RemoteWorker.parse(SERVER, env, 2).cpu()).isEqualTo(new CpuShare(1, 2));
        assertThat(RemoteWorker.parse(with("--slots", "2"), env, 2).cpu()).isEqualTo(new CpuShare(2, 1));
        assertThat(RemoteWorker.parse(with("--slots", "2", "--threads", "4"), env, 8)
                        .cpu())
                .isEqualTo(new CpuShare(2, 4));
        assertThatThrownBy(() -> RemoteWorker.parse(with("--threads", "2", "--slots", "2"), env, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--slots 2 x --threads 2 = 4 threads would oversubscribe the 2 cores")
                .hasMessageContaining("give --threads 1 or fewer");
        assertThatThrownBy(() -> RemoteWorker.parse(with("--slots", "3"), env, 2))
                .hasMessageContaining("--slots 3 runs at once need at least one core each");
        assertThatThrownBy(() -> RemoteWorker.parse(with("--slots", "0"), env, 2))
                .hasMessage("--slots must be a whole number of at least 1");
    }

    @Test
    void without_a_token_the_worker_exits_with_2_and_a_message_not_a_stack_trace() throws Exception {
        String out = exitsWith2(Map.of(), "--server", "http://127.0.0.1:9");
        assertThat(out).startsWith("sweeplab-worker: no worker token: set " + RemoteWorker.TOKEN_ENV);
    }

    @Test
    void with_more_threads_than_cores_the_worker_exits_with_2_naming_the_flags() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        String out = exitsWith2(
                Map.of(RemoteWorker.TOKEN_ENV, "swl_env"),
                "--server",
                "http://127.0.0.1:9",
                "--threads",
                Integer.toString(cores + 1));
        assertThat(out)
                .startsWith("sweeplab-worker: SWL-WORKER-003 --slots 1 x --threads " + (cores + 1) + " = " + (cores + 1)
                        + " threads would oversubscribe the " + cores + " cores");
    }

    /** Runs the worker; asserts it exits with 2 and a message and the usage, no stack trace; its output. */
    static String exitsWith2(Map<String, String> env, String... args) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(
                List.of(javaBin, "-cp", System.getProperty("java.class.path"), RemoteWorker.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove(RemoteWorker.TOKEN_ENV);
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isEqualTo(2);
        assertThat(out).contains("usage:").doesNotContain("Exception").doesNotContain("\tat ");
        return out;
    }
}
