package io.sweeplab.launcher.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.WorkerLauncher.State;
import io.sweeplab.plugin.api.WorkerLauncher.WorkerStatus;
import io.sweeplab.plugin.api.WorkerRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher against stand-ins for Slurm's commands (shell scripts that record what they were given and answer as
 * Slurm 22.05 does), for what a one-node cluster cannot show: GPU requests, partitions, the secret's path, states.
 * {@code SlurmLauncherIT} in the platform runs the real Slurm.
 */
class SlurmLauncherTest {

    private static final String TOKEN = "swl_0123456789abcdefghijklmnopqrstuvwxyzABCDEF";

    @TempDir
    Path bin;

    private final SlurmLauncher launcher = new SlurmLauncher();

    @BeforeEach
    void fakeSlurm() throws Exception {
        // sbatch records its arguments, its whole environment and its script, and answers a job id
        script(
                "sbatch",
                "printf '%s\\n' \"$@\" > \"$(dirname \"$0\")/sbatch.args\"\n"
                        + "env > \"$(dirname \"$0\")/sbatch.env\"\ncat > \"$(dirname \"$0\")/sbatch.script\"\necho '4242;sweeplab'");
        script(
                "squeue",
                "printf '%s\\n' \"$@\" > \"$(dirname \"$0\")/squeue.args\"\n"
                        + "printf '7|PENDING|Resources\\n8|RUNNING|None\\n9|COMPLETED|None\\n99|RUNNING|None\\n'");
        // accounting disabled: sacct -X fails, the completion log (-c) knows job 10
        script(
                "sacct",
                "case \"$*\" in *-X*) echo 'Slurm accounting storage is disabled' >&2; exit 1;; esac\n"
                        + "printf '10|PREEMPTED\\n'");
        script("scancel", "printf '%s\\n' \"$@\" > \"$(dirname \"$0\")/scancel.args\"");
    }

    private void script(String name, String body) throws Exception {
        Path f = bin.resolve(name);
        Files.writeString(f, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Params params(Map<String, Object> given) {
        Map<String, Object> raw = new HashMap<>(given);
        raw.put("binDir", bin.toString());
        var v = launcher.params().validate(raw);
        assertThat(v.violations()).isEmpty();
        assertThat(launcher.validate(v.params())).isEmpty();
        return v.params();
    }

    private static WorkerRequest request(WorkerRequest.Kind kind, int gpus, Duration limit) {
        return new WorkerRequest(
                17,
                kind,
                gpus,
                2,
                6144,
                limit,
                List.of("/usr/lib/jvm/java-17/bin/java", "-jar", "/opt/sweeplab worker.jar"),
                List.of("--server", "http://platform:8080", "--idle-exit", "2m"),
                Map.of(WorkerRequest.TOKEN_ENV, TOKEN));
    }

    @Test
    void a_gpu_worker_is_submitted_with_its_gres_partition_and_time_and_its_token_only_in_sbatch_s_environment()
            throws Exception {
        var launched = launcher.launch(
                params(Map.of("partition", "cpu", "gpuPartition", "gpu", "account", "lab", "gpuType", "a100")),
                request(WorkerRequest.Kind.GPU, 2, Duration.ofMinutes(90)));

        assertThat(launched.id()).isEqualTo("4242");
        assertThat(launched.workerName()).isEqualTo("slurm-4242");
        List<String> args = Files.readAllLines(bin.resolve("sbatch.args"));
        assertThat(args)
                .contains(
                        "--parsable",
                        "--job-name=sweeplab-worker",
                        "--gres=gpu:a100:2",
                        "--partition=gpu",
                        "--account=lab",
                        "--cpus-per-task=2",
                        "--mem=6144M",
                        "--time=01:30:00",
                        "--no-requeue")
                .noneMatch(a -> a.contains(TOKEN));
        String script = Files.readString(bin.resolve("sbatch.script"));
        assertThat(script)
                .doesNotContain(TOKEN)
                .contains("SWEEPLAB_WORKER_NAME=\"slurm-${SLURM_JOB_ID}\"")
                .contains("exec /usr/lib/jvm/java-17/bin/java -jar '/opt/sweeplab worker.jar' --server"
                        + " http://platform:8080 --idle-exit 2m");
        List<String> env = Files.readAllLines(bin.resolve("sbatch.env"));
        assertThat(env).contains(WorkerRequest.TOKEN_ENV + "=" + TOKEN);
        // none of the platform's own variables (a database password, say) reaches the job
        assertThat(env.stream().map(l -> l.substring(0, l.indexOf('='))))
                .allMatch(k -> List.of(
                                "PATH",
                                "HOME",
                                "USER",
                                "LOGNAME",
                                "LANG",
                                "LC_ALL",
                                "SLURM_CONF",
                                "PWD",
                                "SHLVL",
                                "_",
                                WorkerRequest.TOKEN_ENV)
                        .contains(k));
    }

    @Test
    void a_cpu_worker_asks_for_no_gpu_and_takes_the_cpu_partition() throws Exception {
        launcher.launch(
                params(Map.of("partition", "cpu", "gpuPartition", "gpu")), request(WorkerRequest.Kind.CPU, 0, null));
        List<String> args = Files.readAllLines(bin.resolve("sbatch.args"));
        assertThat(args).contains("--partition=cpu").noneMatch(a -> a.startsWith("--gres") || a.startsWith("--time"));
    }

    @Test
    void states_come_from_squeue_then_from_the_completion_log_and_unknown_jobs_are_left_out() throws Exception {
        Map<String, WorkerStatus> s = launcher.status(params(Map.of()), List.of("7", "8", "9", "10", "11"));
        assertThat(s.get("7")).isEqualTo(new WorkerStatus(State.PENDING, "PENDING (Resources)"));
        assertThat(s.get("8")).isEqualTo(new WorkerStatus(State.RUNNING, "RUNNING"));
        assertThat(s.get("9").state()).isEqualTo(State.ENDED);
        assertThat(s.get("10")).isEqualTo(new WorkerStatus(State.ENDED, "PREEMPTED"));
        assertThat(s).doesNotContainKeys("11", "99"); // 99 is not ours to report; 11 Slurm forgot
    }

    @Test
    void cancel_runs_scancel_and_refuses_what_is_not_a_job_id() throws Exception {
        launcher.cancel(params(Map.of()), "4242");
        assertThat(Files.readAllLines(bin.resolve("scancel.args"))).containsExactly("4242");
        assertThatThrownBy(() -> launcher.cancel(params(Map.of()), "1; rm -rf /"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bad_settings_are_refused_by_name() {
        var v = launcher.params().validate(Map.of("partition", "a b", "sbatchOptions", "--export=ALL x"));
        assertThat(launcher.validate(v.params()))
                .extracting(p -> p.param())
                .containsExactlyInAnyOrder("partition", "sbatchOptions", "sbatchOptions");
        // options that would make the launcher lose its jobs, share a token between workers, or block it
        for (String bad : new String[] {
            "-Jmine",
            "--job-name=x",
            "--array=1-4",
            "-a",
            "--wait",
            "-W",
            "--requeue",
            "-M",
            "--clusters=b",
            "-o",
            "-N2"
        }) {
            var w = launcher.params().validate(Map.of("sbatchOptions", "--exclusive " + bad));
            assertThat(launcher.validate(w.params()))
                    .as(bad)
                    .extracting(p -> p.param())
                    .containsExactly("sbatchOptions");
        }
        var fine = launcher.params()
                .validate(Map.of("sbatchOptions", "--exclusive --constraint=ib --account=lab --mail-type=END"));
        assertThat(launcher.validate(fine.params())).isEmpty();
    }

    @Test
    void a_slurm_command_that_hangs_is_given_up_after_its_limit() throws Exception {
        script("squeue", "sleep 30");
        long start = System.nanoTime();
        assertThatThrownBy(() -> launcher.status(params(Map.of("commandTimeout", 1)), List.of("7")))
                .hasMessageContaining("squeue did not answer within 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void time_limits_round_up_to_whole_minutes() {
        assertThat(SlurmLauncher.time(Duration.ofSeconds(30))).isEqualTo("00:01:00");
        assertThat(SlurmLauncher.time(Duration.ofHours(50))).isEqualTo("2-02:00:00");
    }
}
