package io.sweeplab.launcher.slurm;

import io.sweeplab.plugin.api.ParamSchema;
import io.sweeplab.plugin.api.ParamSpec;
import io.sweeplab.plugin.api.ParamViolation;
import io.sweeplab.plugin.api.Params;
import io.sweeplab.plugin.api.WorkerLauncher;
import io.sweeplab.plugin.api.WorkerRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Starts each worker as a Slurm batch job: {@code sbatch} (a GPU worker with {@code --gres=gpu:N}), watched with
 * {@code squeue} (and {@code sacct} once the job has left the queue), cancelled with {@code scancel}. The worker is
 * named {@code slurm-<job id>}. Its token travels in the job's environment: {@code sbatch} runs with an environment
 * of its own (PATH, HOME, the locale, SLURM_CONF and the worker's variables; never the platform's other variables)
 * and exports it to the job; the batch script and the command lines hold no secret. A job cancelled, pre-empted or
 * stopped at its time limit is a dead worker to the platform: its run resumes from its checkpoint on another worker.
 */
public final class SlurmLauncher implements WorkerLauncher {

    /** What every worker job is called in the queue; {@link #status} looks only at these. */
    static final String JOB_NAME = "sweeplab-worker";

    /** Variables of the platform's environment that sbatch itself needs. */
    private static final Set<String> PASSED = Set.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "SLURM_CONF");

    @Override
    public String id() {
        return "slurm";
    }

    @Override
    public String label() {
        return "Slurm";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String description() {
        return "Starts workers as Slurm batch jobs (sbatch; GPU workers with --gres=gpu:N), watches them with squeue"
                + " and sacct and cancels them with scancel; workers are named slurm-<job id>.";
    }

    @Override
    public ParamSchema params() {
        return ParamSchema.of(
                ParamSpec.ofString("partition", "", "the partition of CPU workers (empty: the cluster's default)"),
                ParamSpec.ofString("gpuPartition", "", "the partition of GPU workers (empty: partition)"),
                ParamSpec.ofString("account", "", "the account the jobs are charged to (empty: the user's default)"),
                ParamSpec.ofString("qos", "", "the quality of service (empty: the default)"),
                ParamSpec.ofString(
                        "gpuType", "", "a GPU type for --gres, e.g. a100 gives --gres=gpu:a100:N (empty: any)"),
                ParamSpec.ofString(
                        "sbatchOptions",
                        "",
                        "further sbatch options separated by spaces, values joined by =, e.g. --constraint=ib --exclusive"),
                ParamSpec.ofString(
                        "output",
                        "/tmp/sweeplab-worker-%j.out",
                        "where a worker's output goes on its node (sbatch --output; %j is the job id)"),
                ParamSpec.ofString(
                        "workDir",
                        "",
                        "the worker's own directory on its node (--work-dir; %j is the job id; empty: the worker's"
                                + " default, ~/.sweeplab-worker)"),
                ParamSpec.ofString("binDir", "", "the directory of sbatch, squeue, sacct, scancel (empty: PATH)"),
                ParamSpec.ofInt(
                        "commandTimeout",
                        30,
                        1,
                        50,
                        "seconds a Slurm command may take before it is given up (a call runs at most three)"));
    }

    @Override
    public List<ParamViolation> validate(Params params) {
        List<ParamViolation> v = new ArrayList<>();
        for (String name : List.of("partition", "gpuPartition", "account", "qos", "gpuType")) {
            if (!params.getString(name).matches("[A-Za-z0-9_.,:-]*")) {
                v.add(new ParamViolation(name, "may hold only letters, digits and _ . , : -"));
            }
        }
        for (String o : words(params.getString("sbatchOptions"))) {
            if (!o.startsWith("-")) {
                v.add(new ParamViolation("sbatchOptions", "must be sbatch options, each starting with -; not " + o));
            } else if (reserved(o)) {
                v.add(new ParamViolation(
                        "sbatchOptions",
                        o + " is the launcher's to set (it finds its jobs by name, one worker per job, and waits for"
                                + " no job)"));
            }
        }
        String bin = params.getString("binDir");
        if (!bin.isEmpty() && !Files.isDirectory(Path.of(bin))) {
            v.add(new ParamViolation("binDir", "is not a directory: " + bin));
        }
        return v;
    }

    /**
     * The sbatch options the launcher sets or that would break it: the job's name (it finds its jobs by it), the
     * environment, arrays (one worker per job), waiting for the job, requeueing, holding, other clusters, output.
     */
    private static final List<String> RESERVED_LONG = List.of(
            "--job-name",
            "--export",
            "--wrap",
            "--get-user-env",
            "--array",
            "--wait",
            "--requeue",
            "--no-requeue",
            "--hold",
            "--test-only",
            "--clusters",
            "--cluster",
            "--parsable",
            "--output",
            "--error",
            "--input",
            "--nodes",
            "--ntasks");

    private static final List<String> RESERVED_SHORT =
            List.of("-J", "-a", "-W", "-H", "-M", "-o", "-e", "-i", "-N", "-n");

    static boolean reserved(String option) {
        String o = option.contains("=") ? option.substring(0, option.indexOf('=')) : option;
        if (o.startsWith("--")) {
            return RESERVED_LONG.stream().anyMatch(r -> r.startsWith(o) && o.length() > 3 || o.equals(r));
        }
        return RESERVED_SHORT.stream().anyMatch(option::startsWith);
    }

    @Override
    public Launched launch(Params params, WorkerRequest request) throws Exception {
        List<String> cmd = sbatch(params, request);
        Map<String, String> env = new HashMap<>();
        System.getenv().forEach((k, val) -> {
            if (PASSED.contains(k)) {
                env.put(k, val);
            }
        });
        env.putAll(request.environment());
        Result r = run(params, cmd, env, script(request, params.getString("workDir")));
        if (r.exit() != 0) {
            throw new IOException("sbatch refused the worker (exit " + r.exit() + "): " + r.errOrOut());
        }
        // --parsable: "<job id>" or "<job id>;<cluster>"
        String id = r.out().strip().split(";", 2)[0].strip();
        if (!id.matches("\\d+(_\\d+)?")) {
            throw new IOException("sbatch answered no job id: " + r.errOrOut());
        }
        return new Launched(id, "slurm-" + id);
    }

    /** The sbatch command line: resources, partition, the job's name and output; never a secret. */
    List<String> sbatch(Params params, WorkerRequest request) {
        boolean gpu = request.kind() == WorkerRequest.Kind.GPU;
        List<String> cmd = new ArrayList<>(List.of(
                tool(params, "sbatch"),
                "--parsable",
                "--job-name=" + JOB_NAME,
                "--export=ALL", // sbatch's own environment, which the launcher makes: see the class comment
                "--no-requeue",
                "--nodes=1",
                "--ntasks=1",
                "--cpus-per-task=" + request.cpus(),
                "--mem=" + request.memoryMb() + "M",
                "--output=" + params.getString("output")));
        String partition = gpu && !params.getString("gpuPartition").isEmpty()
                ? params.getString("gpuPartition")
                : params.getString("partition");
        if (!partition.isEmpty()) {
            cmd.add("--partition=" + partition);
        }
        if (!params.getString("account").isEmpty()) {
            cmd.add("--account=" + params.getString("account"));
        }
        if (!params.getString("qos").isEmpty()) {
            cmd.add("--qos=" + params.getString("qos"));
        }
        if (gpu) {
            String type = params.getString("gpuType");
            cmd.add("--gres=gpu:" + (type.isEmpty() ? "" : type + ":") + Math.max(1, request.gpus()));
        }
        if (request.timeLimit() != null) {
            cmd.add("--time=" + time(request.timeLimit()));
        }
        cmd.addAll(words(params.getString("sbatchOptions")));
        return cmd;
    }

    /** The batch script: names the worker after its job and runs it. Quoted for sh; no secret in it. */
    static String script(WorkerRequest request, String workDir) {
        StringBuilder b = new StringBuilder("#!/bin/sh\n");
        b.append("# a Sweeplab worker, launch ").append(request.launch()).append('\n');
        b.append(WorkerRequest.NAME_ENV).append("=\"slurm-${SLURM_JOB_ID}\"\n");
        b.append("export ").append(WorkerRequest.NAME_ENV).append('\n');
        b.append("exec");
        for (String a : request.command()) {
            b.append(' ').append(quote(a));
        }
        if (!workDir.isEmpty()) {
            // in double quotes, so that the job id is filled in by the shell and nothing else is
            String dir = workDir.replace("\\", "\\\\")
                    .replace("\"", "\\\"")
                    .replace("$", "\\$")
                    .replace("`", "\\`");
            b.append(" --work-dir \"")
                    .append(dir.replace("%j", "${SLURM_JOB_ID}"))
                    .append('"');
        }
        return b.append('\n').toString();
    }

    /** Slurm's {@code days-hours:minutes:seconds}, rounded up to whole minutes. */
    static String time(Duration d) {
        long minutes = Math.max(1, (d.toSeconds() + 59) / 60);
        long days = minutes / (24 * 60);
        long h = minutes / 60 % 24;
        long m = minutes % 60;
        return days > 0 ? String.format("%d-%02d:%02d:00", days, h, m) : String.format("%02d:%02d:00", h, m);
    }

    @Override
    public Map<String, WorkerStatus> status(Params params, List<String> ids) throws Exception {
        Map<String, WorkerStatus> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        Set<String> wanted = Set.copyOf(ids);
        // every worker job, ended ones too while Slurm still lists them (MinJobAge): no error for an unknown id
        Result q = run(
                params,
                List.of(
                        tool(params, "squeue"),
                        "-h",
                        "-a",
                        "--me",
                        "-t",
                        "all",
                        "--name=" + JOB_NAME,
                        "-o",
                        "%i|%T|%r"),
                null,
                null);
        if (q.exit() != 0) {
            throw new IOException("squeue failed (exit " + q.exit() + "): " + q.errOrOut());
        }
        for (String line : q.out().split("\n")) {
            String[] f = line.strip().split("\\|", 3);
            if (f.length >= 2 && wanted.contains(f[0])) {
                out.put(f[0], status(f[1], f.length > 2 ? f[2] : ""));
            }
        }
        List<String> gone = ids.stream().filter(i -> !out.containsKey(i)).toList();
        if (!gone.isEmpty()) {
            out.putAll(accounting(params, gone));
        }
        return out;
    }

    /** The final states of jobs Slurm no longer lists: accounting, or the job completion log where it has none. */
    private Map<String, WorkerStatus> accounting(Params params, List<String> ids) throws Exception {
        Map<String, WorkerStatus> out = new LinkedHashMap<>();
        String list = String.join(",", ids);
        for (List<String> flags : List.of(List.of("-X"), List.of("-c"))) {
            List<String> cmd =
                    new ArrayList<>(List.of(tool(params, "sacct"), "-n", "-P", "-j", list, "-o", "JobID,State"));
            cmd.addAll(1, flags);
            Result r = run(params, cmd, null, null);
            if (r.exit() != 0) {
                continue; // no accounting storage: try the completion log
            }
            for (String line : r.out().split("\n")) {
                String[] f = line.strip().split("\\|", 2);
                if (f.length == 2 && ids.contains(f[0])) {
                    out.put(f[0], status(f[1].split(" ")[0], ""));
                }
            }
            if (!out.isEmpty()) {
                break;
            }
        }
        return out; // an id neither knows is taken as ended by the platform
    }

    /** A Slurm job state (and reason) as a worker's state. */
    static WorkerStatus status(String state, String reason) {
        String s = state.strip();
        String detail =
                reason == null || reason.isBlank() || reason.equals("None") ? s : s + " (" + reason.strip() + ")";
        return switch (s) {
            case "PENDING", "CONFIGURING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESIZING" ->
                new WorkerStatus(State.PENDING, detail);
            case "RUNNING", "SUSPENDED", "STOPPED", "SIGNALING", "STAGE_OUT" -> new WorkerStatus(State.RUNNING, detail);
            default ->
                new WorkerStatus(State.ENDED, detail); // COMPLETING, COMPLETED, CANCELLED, PREEMPTED, TIMEOUT, ...
        };
    }

    @Override
    public void cancel(Params params, String id) throws Exception {
        if (!id.matches("\\d+(_\\d+)?")) {
            throw new IllegalArgumentException("not a Slurm job id: " + id);
        }
        Result r = run(params, List.of(tool(params, "scancel"), id), null, null);
        if (r.exit() != 0 && !r.errOrOut().contains("Invalid job id")) {
            throw new IOException("scancel " + id + " failed (exit " + r.exit() + "): " + r.errOrOut());
        }
    }

    private static String tool(Params params, String name) {
        String bin = params.getString("binDir");
        return bin.isEmpty() ? name : Path.of(bin, name).toString();
    }

    private static List<String> words(String text) {
        return text == null || text.isBlank() ? List.of() : List.of(text.strip().split("\\s+"));
    }

    static String quote(String s) {
        return s.matches("[A-Za-z0-9_./:=@%+,-]+") ? s : "'" + s.replace("'", "'\"'\"'") + "'";
    }

    record Result(int exit, String out, String err) {
        String errOrOut() {
            String e = err.strip();
            return (e.isEmpty() ? out.strip() : e)
                    .lines()
                    .limit(5)
                    .reduce((a, b) -> a + " / " + b)
                    .orElse("");
        }
    }

    /** Runs a Slurm command; {@code env} replaces the environment when given, {@code stdin} is its input. */
    private static Result run(Params params, List<String> cmd, Map<String, String> env, String stdin) throws Exception {
        Duration limit = Duration.ofSeconds(params.getInt("commandTimeout"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (env != null) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        // output to files, so that a command that hangs is given up after its limit and never blocks a read
        Path out = Files.createTempFile("sweeplab-slurm", ".out");
        Path err = Files.createTempFile("sweeplab-slurm", ".err");
        try {
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            Process p = pb.start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            try {
                if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new IOException(cmd.get(0) + " did not answer within " + limit.toSeconds() + " s");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly(); // the platform gave up on the call: the command must not go on (a late sbatch)
                throw e;
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
