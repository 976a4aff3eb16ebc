package io.tidemark.runtime.jobs;

import io.tidemark.engine.checkpoint.DeliveryGuarantee;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a user asks the server to run: a built-in job by name, or a class of an uploaded jar,
 * with arguments and how to run it. The server stores it in the job's directory, so that it
 * can define the job again when it restarts.
 *
 * @param name               a display name, or {@code null} for the built-in's or class's name.
 * @param builtin            a built-in job's name, or {@code null} for a jar's class.
 * @param jar                the id of an uploaded jar ({@link JobManager#storeJar}), or {@code null}.
 * @param className          the class in the jar implementing {@link io.tidemark.engine.api.StreamJob}.
 * @param args               the job's arguments.
 * @param parallelism        the environment's default parallelism, or {@code null} for 1.
 * @param guarantee          the guarantee of the job's checkpoints when the job does not set
 *                           one itself, or {@code null} for exactly once.
 * @param checkpointInterval the checkpoint interval when the job does not set one, or {@code null} for 1 s.
 * @param restart            what to do when a task fails, or {@code null} for the server's default.
 * @param fromSavepoint      a savepoint (or retained checkpoint) to start from, or {@code null}.
 */
public record JobSubmission(String name, String builtin, String jar, String className, List<String> args, Integer parallelism, DeliveryGuarantee guarantee,
    Duration checkpointInterval, RestartPolicy restart, Path fromSavepoint)
{
    /**
     * @param builtin a built-in job's name.
     * @param args    its arguments.
     * @return a submission of it with the server's defaults.
     */
    public static JobSubmission builtin(final String builtin, final List<String> args)
    {
        return new JobSubmission(null, builtin, null, null, List.copyOf(args), null, null, null, null, null);
    }
}
