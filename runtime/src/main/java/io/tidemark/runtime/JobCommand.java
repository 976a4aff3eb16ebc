package io.tidemark.runtime;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidemark.engine.checkpoint.DeliveryGuarantee;
import io.tidemark.runtime.jobs.JobSubmission;
import io.tidemark.runtime.jobs.RestartPolicy;
import io.tidemark.runtime.jobs.SubmissionJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark job}: the jobs of a running server, over its HTTP API
 * ({@code docs/HTTP-API.md}). Each subcommand is one call (two for a jar: the upload, then the
 * submission) and prints what the server answered; a refusal or an unreachable server is one
 * line on stderr and exit code 1.
 */
@Command(name = "job", mixinStandardHelpOptions = true,
    description = "Submit, list, describe, cancel, savepoint and resume the jobs of a running server (over its HTTP API).",
    subcommands = {JobCommand.Submit.class, JobCommand.ListJobs.class, JobCommand.Describe.class, JobCommand.Cancel.class,
        JobCommand.Savepoint.class, JobCommand.Resume.class, JobCommand.Builtins.class},
    footer = {"", "Example:", "  tidemark job submit click-counts && tidemark job list"})
final class JobCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        CommandErrors.print(spec.commandLine().getErr(),
            "tidemark job: name a command: submit, list, describe, cancel, savepoint, resume or builtins (try 'tidemark job --help')");
        return ExitCode.USAGE;
    }

    /** A subcommand that calls the server: {@code --server}, and the call, whose failure is one line and exit code 1. */
    abstract static class ServerCall implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Mixin
        private JobServerOption server;

        @Override
        public final Integer call()
        {
            request(server.client(spec), spec.commandLine().getOut());
            return ExitCode.OK;
        }

        /**
         * Makes the subcommand's call and prints the answer.
         *
         * @param client the server's API.
         * @param out    where to print.
         */
        abstract void request(ApiClient client, PrintWriter out);
    }

    /** {@code tidemark job submit}. */
    @Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Submit a built-in job by name, or a class of a jar; the server starts it and keeps it running across its own restarts.",
        footer = {"", "Examples:", "  tidemark job submit --parallelism 2 click-counts",
            "  tidemark job submit --jar my-jobs.jar --class com.example.UpperCase -- lines upper-lines",
            "", "Put -- before the job's arguments if one of them starts with -."})
    static final class Submit extends ServerCall
    {
        @Option(names = "--name", paramLabel = "NAME", description = "A display name (default: the built-in's or the class's name).")
        private String name;

        @Option(names = "--parallelism", paramLabel = "P", description = "The job's default parallelism (default: 1).")
        private Integer parallelism;

        @Option(names = "--guarantee", paramLabel = "G",
            description = "exactly-once, at-least-once or at-most-once, unless the job chooses itself (default: exactly-once).")
        private String guarantee;

        @Option(names = "--checkpoint-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Checkpoint interval, unless the job chooses itself: 500ms, 1s, 5m (default: 1s).")
        private Duration checkpointInterval;

        @Option(names = "--restart-attempts", paramLabel = "N", description = "Restarts in a row after failures before the job fails (default: the server's).")
        private Integer restartAttempts;

        @Option(names = "--restart-delay", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --restart-attempts: the pause before the first restart (default: the server's, 1s).")
        private Duration restartDelay;

        @Option(names = "--restart-backoff", paramLabel = "MULT",
            description = "With --restart-attempts: each further pause is this times longer, 1 or more (default: the server's, 2).")
        private Double restartBackoff;

        @Option(names = "--from", paramLabel = "SAVEPOINT", description = "Start from a savepoint's (or retained checkpoint's) directory.")
        private Path from;

        @Option(names = "--jar", paramLabel = "FILE", description = "A jar to upload; --class names the job's class in it.")
        private Path jar;

        @Option(names = "--class", paramLabel = "CLASS", description = "The class in the jar that implements io.tidemark.engine.api.StreamJob.")
        private String className;

        @Parameters(paramLabel = "BUILTIN | ARGS", description = "Without --jar: the built-in job's name, then its arguments; with --jar: the job's arguments.")
        private List<String> positional = new ArrayList<>();

        @Override
        void request(final ApiClient client, final PrintWriter out)
        {
            final List<String> args = new ArrayList<>(positional);
            final String builtin = builtin(args);
            final DeliveryGuarantee chosen = guarantee == null ? null : guarantee();
            CommandErrors.check(spec, parallelism == null || (parallelism >= 1 && parallelism <= 1024), "--parallelism", parallelism, "from 1 to 1024");
            CommandErrors.check(spec, checkpointInterval == null || checkpointInterval.toMillis() >= 1, "--checkpoint-interval", checkpointInterval, "at least 1ms");
            final RestartPolicy restart = restart();
            // Every option is checked before anything is sent: the jar is uploaded last.
            final String jarId = jar == null ? null : client.postFile("/jars", jar).path("jar").asText();
            final JobSubmission submission = new JobSubmission(name, builtin, jarId, className, List.copyOf(args), parallelism, chosen, checkpointInterval,
                restart, from == null ? null : from.toAbsolutePath());
            final JsonNode job = client.post("/jobs", SubmissionJson.write(submission));
            out.println("submitted job " + job.path("id").asText() + " (" + job.path("name").asText() + ")");
        }

        /** Checks --jar and --class, or takes the built-in's name from the front of {@code args}; null for a jar's class. */
        private String builtin(final List<String> args)
        {
            if (jar != null)
            {
                CommandErrors.check(spec, Files.isRegularFile(jar), "--jar", jar, "no such file");
                CommandErrors.check(spec, className != null, "--jar", jar, "--class must name the job's class in it");
                return null;
            }
            CommandErrors.check(spec, className == null, "--class", className, "give --jar too");
            CommandErrors.check(spec, !args.isEmpty(), "BUILTIN", "", "name a built-in job ('tidemark job builtins' lists them) or give --jar and --class");
            return args.remove(0);
        }

        private DeliveryGuarantee guarantee()
        {
            for (final DeliveryGuarantee candidate : DeliveryGuarantee.values())
            {
                if (SubmissionJson.name(candidate).equals(guarantee))
                {
                    return candidate;
                }
            }
            throw CommandErrors.invalid(spec, "--guarantee", guarantee, "exactly-once, at-least-once or at-most-once");
        }

        /** The restart options as a policy whose unset parts stay the server's, or null for the server's policy. */
        private RestartPolicy restart()
        {
            CommandErrors.check(spec, restartAttempts != null || restartDelay == null, "--restart-delay", restartDelay, "give --restart-attempts too");
            CommandErrors.check(spec, restartAttempts != null || restartBackoff == null, "--restart-backoff", restartBackoff, "give --restart-attempts too");
            if (restartAttempts == null)
            {
                return null;
            }
            CommandErrors.check(spec, restartAttempts >= 0, "--restart-attempts", restartAttempts, "0 or more");
            CommandErrors.check(spec, restartDelay == null || !restartDelay.isNegative(), "--restart-delay", restartDelay, "0 or more");
            CommandErrors.check(spec, restartBackoff == null || restartBackoff >= 1, "--restart-backoff", restartBackoff, "1 or more");
            return new RestartPolicy(restartAttempts, restartDelay, restartBackoff == null ? 0 : restartBackoff, null, null);
        }
    }

    /** {@code tidemark job list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the server's jobs, each with its operators' watermark lag.",
        footer = {"", "Example:", "  tidemark job list --server http://127.0.0.1:8081"})
    static final class ListJobs extends ServerCall
    {
        @Override
        void request(final ApiClient client, final PrintWriter out)
        {
            final JsonNode jobs = client.get("/jobs").path("jobs");
            if (jobs.isEmpty())
            {
                out.println("no jobs");
                return;
            }
            final long now = System.currentTimeMillis();
            final JobText.Table table = new JobText.Table()
                .row("ID", "NAME", "STATE", "UPTIME", "RECORDS-IN", "RECORDS-OUT", "RESTARTS", "LAST-CHECKPOINT");
            for (final JsonNode job : jobs)
            {
                table.row(job.path("id").asText(), job.path("name").asText(), job.path("state").asText(),
                    job.path("uptimeMs").asLong() == 0 ? "-" : JobText.duration(job.path("uptimeMs").asLong()),
                    JobText.count(job.path("recordsIn").asLong()), JobText.count(job.path("recordsOut").asLong()),
                    Integer.toString(job.path("restarts").asInt()), JobText.checkpoint(job.get("lastCheckpoint"), now));
            }
            final List<String> lines = table.lines(0);
            out.println(lines.get(0));
            int row = 1;
            for (final JsonNode job : jobs)
            {
                out.println(lines.get(row++));
                final JobText.Table operators = new JobText.Table();
                for (final JsonNode operator : job.path("operators"))
                {
                    final JsonNode lag = operator.get("watermarkLagMs");
                    operators.row("- " + operator.path("name").asText(), "x" + operator.path("parallelism").asInt(),
                        "watermark lag " + (lag == null || lag.isNull() ? "-" : JobText.duration(lag.asLong())));
                }
                operators.lines(2).forEach(out::println);
            }
        }
    }

    /** A subcommand about one job: the server, and the job's id, checked before any call. */
    abstract static class OneJob extends ServerCall
    {
        @Parameters(index = "0", paramLabel = "ID", description = "The job's id.")
        private String id;

        @Override
        final void request(final ApiClient client, final PrintWriter out)
        {
            CommandErrors.check(spec, id.matches("[0-9a-f]{8}"), "ID", id, "a job id: 8 lowercase hex characters, as 'tidemark job list' shows");
            request(client, id, out);
        }

        /**
         * Makes the subcommand's call and prints the answer.
         *
         * @param client the server's API.
         * @param jobId  the job's id.
         * @param out    where to print.
         */
        abstract void request(ApiClient client, String jobId, PrintWriter out);

        /**
         * @param field the request's one field.
         * @param path  a path on this machine, or null.
         * @return {@code {field: the absolute path}} (the server resolves paths on its own file
         *         system, from its own working directory), or {@code {}} for null.
         */
        static ObjectNode pathRequest(final String field, final Path path)
        {
            final ObjectNode request = ApiClient.object();
            return path == null ? request : request.put(field, path.toAbsolutePath().toString());
        }
    }

    /** {@code tidemark job describe}. */
    @Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Show a job: its submission, state, operators, graph and latest checkpoints.",
        footer = {"", "Example:", "  tidemark job describe 3fa2c1d0"})
    static final class Describe extends OneJob
    {
        @Override
        void request(final ApiClient client, final String jobId, final PrintWriter out)
        {
            JobDetailText.print(client.get("/jobs/" + jobId), System.currentTimeMillis(), out);
        }
    }

    /** {@code tidemark job cancel}. */
    @Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel a job, with a savepoint first if asked (the job is then cancelled only if the savepoint succeeds).",
        footer = {"", "Example:", "  tidemark job cancel --savepoint 3fa2c1d0"})
    static final class Cancel extends OneJob
    {
        @Option(names = "--savepoint", description = "Take a savepoint before cancelling.")
        private boolean savepoint;

        @Override
        void request(final ApiClient client, final String jobId, final PrintWriter out)
        {
            final JsonNode taken = client.post("/jobs/" + jobId + "/cancel", ApiClient.object().put("savepoint", savepoint)).path("savepoint");
            out.println("cancelled job " + jobId + (taken.isObject() ? "; savepoint " + taken.path("id").asLong() + " in " + taken.path("path").asText() : ""));
        }
    }

    /** {@code tidemark job savepoint}. */
    @Command(name = "savepoint", mixinStandardHelpOptions = true,
        description = "Take a savepoint of a running job: its state, to resume it (or a new job) from.",
        footer = {"", "Example:", "  tidemark job savepoint 3fa2c1d0 --dir /backups/clicks"})
    static final class Savepoint extends OneJob
    {
        @Option(names = "--dir", paramLabel = "DIR", description = "Where to write it (default: savepoints/ of the job's directory on the server).")
        private Path dir;

        @Override
        void request(final ApiClient client, final String jobId, final PrintWriter out)
        {
            final JsonNode taken = client.post("/jobs/" + jobId + "/savepoints", pathRequest("directory", dir));
            out.println("savepoint " + taken.path("id").asLong() + " of job " + jobId + " in " + taken.path("path").asText() +
                " (" + JobText.size(taken.path("sizeBytes").asLong()) + ")");
        }
    }

    /** {@code tidemark job resume}. */
    @Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Start a stopped job again: from a savepoint, or else from its latest checkpoint.",
        footer = {"", "Example:", "  tidemark job resume 3fa2c1d0 --from /backups/clicks"})
    static final class Resume extends OneJob
    {
        @Option(names = "--from", paramLabel = "SAVEPOINT", description = "A savepoint's directory (default: the job's latest checkpoint).")
        private Path from;

        @Override
        void request(final ApiClient client, final String jobId, final PrintWriter out)
        {
            final JsonNode job = client.post("/jobs/" + jobId + "/resume", pathRequest("from", from));
            out.println("resumed job " + job.path("id").asText() + " (" + job.path("name").asText() + ")");
        }
    }

    /** {@code tidemark job builtins}. */
    @Command(name = "builtins", mixinStandardHelpOptions = true,
        description = "List the jobs built into the server, to submit by name.",
        footer = {"", "Example:", "  tidemark job builtins"})
    static final class Builtins extends ServerCall
    {
        @Override
        void request(final ApiClient client, final PrintWriter out)
        {
            final JobText.Table table = new JobText.Table().row("NAME", "DESCRIPTION");
            client.get("/jobs/builtins").path("builtins").forEach(b -> table.row(b.path("name").asText(), b.path("description").asText()));
            table.lines(0).forEach(out::println);
        }
    }
}
