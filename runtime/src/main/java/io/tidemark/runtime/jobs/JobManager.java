package io.tidemark.runtime.jobs;

import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.topic.LogManager;
import io.tidemark.log.txn.TransactionCoordinator;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The server's jobs: submits, lists, cancels and resumes them, and keeps each one's
 * submission, jar and checkpoints under {@code jobs/} of the data directory, so that a server
 * started again resumes every job that was running from its last completed checkpoint.
 */
public final class JobManager implements AutoCloseable
{
    /**
     * Opens the jobs of a data directory and resumes those that were running.
     *
     * @param dataDir      the server's data directory.
     * @param logs         the server's log.
     * @param groups       its group coordinator.
     * @param transactions its transaction coordinator.
     * @return the job manager.
     */
    public static JobManager open(final Path dataDir, final LogManager logs, final GroupCoordinator groups, final TransactionCoordinator transactions)
    {
        throw new UnsupportedOperationException("not built yet");
    }

    /**
     * @return the built-in jobs: name and description.
     */
    public List<BuiltinJob> builtins()
    {
        throw new UnsupportedOperationException("not built yet");
    }

    /**
     * Stores an uploaded jar in the data directory.
     *
     * @param jar the jar's bytes.
     * @return its id, to submit a class of it with.
     * @throws JobSubmissionException if it is not a jar.
     */
    public String storeJar(final InputStream jar)
    {
        throw new UnsupportedOperationException("not built yet");
    }

    /**
     * Defines and starts a job.
     *
     * @param submission what to run.
     * @return its status, RUNNING.
     * @throws JobSubmissionException if it cannot be defined.
     */
    public JobStatus submit(final JobSubmission submission)
    {
        throw new UnsupportedOperationException("not built yet");
    }

    /**
     * @return every job the server knows, running or not, oldest first.
     */
    public List<JobStatus> list()
    {
        throw new UnsupportedOperationException("not built yet");
    }

    /**
     * @param jobId a job's id.
     * @return the job with its graph, or empty if there is no such job.
     */
    public Optional<JobDetail> detail(final String jobId)
    {
        throw new UnsupportedOperationException("not built yet");
    }

    /**
     * Takes a savepoint of a running job.
     *
     * @param jobId     a job's id.
     * @param directory where to write it, or {@code null} for {@code savepoints/} of the job's directory.
     * @return the savepoint, once written.
     * @throws JobSubmissionException if there is no such running job.
     */
    public CompletableFuture<JobStatus.CheckpointSummary> savepoint(final String jobId, final Path directory)
    {
        throw new UnsupportedOperationException("not built yet");
    }

    /**
     * Cancels a job, first taking a savepoint if asked.
     *
     * @param jobId         a job's id.
     * @param withSavepoint whether to take a savepoint first (the job is cancelled only if it
     *                      succeeds).
     * @return the savepoint if one was asked for (else {@code null}), once the job has stopped.
     * @throws JobSubmissionException if there is no such job.
     */
    public CompletableFuture<JobStatus.CheckpointSummary> cancel(final String jobId, final boolean withSavepoint)
    {
        throw new UnsupportedOperationException("not built yet");
    }

    /**
     * Starts a job that is not running again, from a savepoint or retained checkpoint, or from
     * its latest checkpoint if {@code savepoint} is {@code null}.
     *
     * @param jobId     a stopped job's id.
     * @param savepoint the savepoint's directory, or {@code null}.
     * @return its status, RUNNING.
     * @throws JobSubmissionException if there is no such job, it is running, or the savepoint does not fit it.
     */
    public JobStatus resume(final String jobId, final Path savepoint)
    {
        throw new UnsupportedOperationException("not built yet");
    }

    /**
     * Stops every job without cancelling it: a job running now is resumed when the server
     * starts again.
     */
    @Override
    public void close()
    {
        throw new UnsupportedOperationException("not built yet");
    }

    /**
     * A job built into the server.
     *
     * @param name        its name, to submit it by.
     * @param description what it does and its arguments.
     */
    public record BuiltinJob(String name, String description)
    {
    }
}
