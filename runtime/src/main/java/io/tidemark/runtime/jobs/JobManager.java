package io.tidemark.runtime.jobs;

import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.checkpoint.CheckpointConfig;
import io.tidemark.engine.checkpoint.CheckpointStorage;
import io.tidemark.engine.checkpoint.CompletedCheckpoint;
import io.tidemark.engine.checkpoint.DeliveryGuarantee;
import io.tidemark.engine.task.ExecutionConfig;
import io.tidemark.engine.task.JobHandle;
import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.topic.LogManager;
import io.tidemark.log.txn.TransactionCoordinator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's jobs: submits, lists, cancels and resumes them, and keeps each one's
 * submission, jar and checkpoints under {@code jobs/} of the data directory ({@link JobStore}),
 * so that a server started again resumes every job that was running from its last completed
 * checkpoint.
 *
 * <p>A job is defined on a fresh environment ({@link ServerJobContext}) with the submission's
 * parallelism; if it did not enable checkpointing itself, the server enables it with the
 * submission's interval and guarantee (1 s and exactly once by default); either way its
 * checkpoints go to its own directory. The submission's {@link RestartPolicy} (else
 * {@link RestartPolicy#DEFAULT}) replaces any restart strategy the job set. Whatever a job
 * throws, when it is defined or while it runs, fails that job only, never the server.
 */
public final class JobManager implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(JobManager.class);
    /** The longest {@link #close} waits for one job's tasks to stop. */
    private static final long CLOSE_WAIT_SECONDS = 10;
    /** The checkpoint interval of a job that does not choose one. */
    private static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    private final JobStore store;
    private final JobClasses classes;
    private final LogManager logs;
    private final GroupCoordinator groups;
    private final TransactionCoordinator transactions;
    private final Map<String, ServerJob> jobs = new ConcurrentHashMap<>();
    private final int resumed;
    private final Object lifecycle = new Object();
    private boolean closed;

    private JobManager(final JobStore store, final LogManager logs, final GroupCoordinator groups, final TransactionCoordinator transactions)
    {
        this.store = store;
        this.classes = new JobClasses(JobManager.class.getClassLoader());
        this.logs = logs;
        this.groups = groups;
        this.transactions = transactions;
        this.resumed = resumeAll();
    }

    /**
     * Opens the jobs of a data directory and resumes those that were running.
     *
     * @param dataDir      the server's data directory.
     * @param logs         the server's log.
     * @param groups       its group coordinator.
     * @param transactions its transaction coordinator.
     * @return the job manager.
     * @throws java.io.UncheckedIOException if the jobs' directory cannot be made or read.
     */
    public static JobManager open(final Path dataDir, final LogManager logs, final GroupCoordinator groups, final TransactionCoordinator transactions)
    {
        return new JobManager(new JobStore(dataDir), logs, groups, transactions);
    }

    private int resumeAll()
    {
        final List<JobRecord> records;
        try
        {
            records = store.readAll();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read the jobs of the data directory: " + e.getMessage(), e);
        }
        int count = 0;
        for (final JobRecord record : records)
        {
            final ServerJob job = new ServerJob(store, record);
            jobs.put(record.id(), job);
            if (record.state().live())
            {
                try
                {
                    start(job, null);
                    count++;
                    LOG.info("resumed job {} ({})", record.id(), record.name());
                }
                catch (final JobSubmissionException e)
                {
                    LOG.error("cannot resume job {} ({}): {}", record.id(), record.name(), e.getMessage());
                    job.update(record.in(JobState.FAILED, e.getMessage()));
                }
            }
        }
        return count;
    }

    /**
     * @return how many jobs {@link #open} resumed.
     */
    public int resumed()
    {
        return resumed;
    }

    /**
     * @return the built-in jobs: name and description.
     */
    public List<BuiltinJob> builtins()
    {
        return classes.builtins();
    }

    /**
     * Stores an uploaded jar in the data directory.
     *
     * @param jar the jar's bytes.
     * @return its id, to submit a class of it with.
     * @throws JobSubmissionException if it is not a jar.
     * @throws UncheckedIOException if it cannot be stored.
     */
    public String storeJar(final InputStream jar)
    {
        try
        {
            return store.storeJar(jar);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot store the jar: " + e.getMessage(), e);
        }
    }

    /**
     * Defines and starts a job. A refused submission leaves nothing behind.
     *
     * @param submission what to run.
     * @return its status, RUNNING.
     * @throws JobSubmissionException if it cannot be defined.
     */
    public JobStatus submit(final JobSubmission submission)
    {
        check(submission);
        final String id;
        try
        {
            id = store.newJob();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot make a job directory: " + e.getMessage(), e);
        }
        try
        {
            if (submission.jar() != null)
            {
                store.copyJar(id, submission.jar());
            }
            final String name = submission.name() != null ? submission.name()
                : submission.builtin() != null ? submission.builtin() : submission.className().substring(submission.className().lastIndexOf('.') + 1);
            final ServerJob job = new ServerJob(store, new JobRecord(id, name, submission, JobState.RUNNING, null, System.currentTimeMillis(),
                submission.fromSavepoint()));
            start(job, submission.fromSavepoint());
            LOG.info("submitted job {} ({})", id, name);
            return job.status(System.currentTimeMillis());
        }
        catch (final IOException | RuntimeException e)
        {
            store.delete(id);
            if (e instanceof JobSubmissionException refusal)
            {
                throw refusal;
            }
            throw new JobSubmissionException("cannot submit the job: " + ServerJob.message(e), e);
        }
    }

    private static void check(final JobSubmission submission)
    {
        if ((submission.builtin() == null) == (submission.jar() == null))
        {
            throw new JobSubmissionException("a submission names a built-in job or a jar, not " + (submission.builtin() == null ? "neither" : "both"));
        }
        if (submission.jar() != null && submission.className() == null)
        {
            throw new JobSubmissionException("a jar submission needs the name of its class implementing StreamJob");
        }
        if (submission.parallelism() != null && submission.parallelism() < 1)
        {
            throw new JobSubmissionException("the parallelism must be positive: " + submission.parallelism());
        }
        if (submission.checkpointInterval() != null && (submission.checkpointInterval().isZero() || submission.checkpointInterval().isNegative()))
        {
            throw new JobSubmissionException("the checkpoint interval must be positive: " + submission.checkpointInterval());
        }
        if (submission.restart() != null)
        {
            try
            {
                submission.restart().strategy();
            }
            catch (final IllegalArgumentException e)
            {
                throw new JobSubmissionException("bad restart policy: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Defines a job and starts a run of it, from {@code savepoint} if given, else from the
     * newer of its latest checkpoint and the savepoint it last started from or took.
     */
    private void start(final ServerJob job, final Path savepoint)
    {
        // One lock with close(): a run starts, and its job is listed, wholly before close() looks at the jobs, or not at all.
        synchronized (lifecycle)
        {
            if (closed)
            {
                throw new JobSubmissionException(JobSubmissionException.Kind.CONFLICT, "the server is stopping: no job starts", null);
            }
            final JobRecord record = job.record();
            final JobSubmission submission = record.submission();
            final JobClasses.Loaded loaded = submission.builtin() != null ? classes.builtin(submission.builtin())
                : classes.fromJar(store.jar(record.id()), submission.className());
            try
            {
                final StreamExecutionEnvironment env = define(record, loaded);
                final ExecutionConfig config = env.getConfig();
                final CheckpointConfig own = config.checkpointConfig();
                final CheckpointConfig checkpoints = own != null ? own
                    : CheckpointConfig.every(submission.checkpointInterval() == null ? DEFAULT_CHECKPOINT_INTERVAL : submission.checkpointInterval())
                    .withGuarantee(submission.guarantee() == null ? DeliveryGuarantee.EXACTLY_ONCE : submission.guarantee());
                config.checkpointing(checkpoints.withDirectory(store.checkpoints(record.id())));
                config.restartStrategy((submission.restart() == null ? RestartPolicy.DEFAULT : submission.restart()).strategy());
                config.restoreFrom(savepoint != null ? savepoint : restorePoint(record, checkpoints.guarantee()));
                final JobHandle handle = env.executeAsync(record.name() + " [" + record.id() + "]");
                job.started(handle, loaded, System.currentTimeMillis(), (savepoint == null ? record : record.withSavepoint(savepoint)).in(JobState.RUNNING, null));
                jobs.put(record.id(), job);
            }
            catch (final RuntimeException | Error e)
            {
                loaded.close();
                if (e instanceof JobSubmissionException refusal)
                {
                    throw refusal;
                }
                throw new JobSubmissionException("job " + record.id() + " (" + record.name() + ") cannot start: " + ServerJob.message(e), e);
            }
        }
    }

    private StreamExecutionEnvironment define(final JobRecord record, final JobClasses.Loaded loaded)
    {
        final JobSubmission submission = record.submission();
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment()
            .setParallelism(submission.parallelism() == null ? 1 : submission.parallelism());
        final Thread thread = Thread.currentThread();
        final ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loaded.job().getClass().getClassLoader());
        try
        {
            loaded.job().define(new ServerJobContext(env, logs, groups, transactions, submission.args() == null ? List.of() : submission.args(), record.id()));
        }
        catch (final Exception | Error e)
        {
            throw new JobSubmissionException("job " + record.name() + " cannot be defined: " + ServerJob.message(e), e);
        }
        finally
        {
            thread.setContextClassLoader(previous);
        }
        return env;
    }

    /**
     * The savepoint a run starts from when none is given: the one the job last started from or
     * took, if it is newer than the job's latest checkpoint (else the engine takes that
     * checkpoint). At most once never restores one: its sources resume their recorded positions.
     */
    private Path restorePoint(final JobRecord record, final DeliveryGuarantee guarantee)
    {
        if (record.savepoint() == null || guarantee == DeliveryGuarantee.AT_MOST_ONCE)
        {
            return null;
        }
        final long checkpointId;
        try
        {
            checkpointId = CheckpointStorage.open(store.checkpoints(record.id()), CheckpointConfig.DEFAULT_RETAINED).latest().map(CompletedCheckpoint::id).orElse(0L);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read the checkpoints of job " + record.id() + ": " + e.getMessage(), e);
        }
        try
        {
            return CheckpointStorage.load(record.savepoint()).id() > checkpointId ? record.savepoint() : null;
        }
        catch (final IOException e)
        {
            if (checkpointId > 0)
            {
                LOG.warn("job {} resumes its checkpoint {}: its savepoint {} cannot be read: {}", record.id(), checkpointId, record.savepoint(), e.getMessage());
                return null;
            }
            throw new UncheckedIOException("cannot read the savepoint " + record.savepoint() + ": " + e.getMessage(), e);
        }
    }

    /**
     * @return every job the server knows, running or not, oldest first.
     */
    public List<JobStatus> list()
    {
        final long now = System.currentTimeMillis();
        return oldestFirst().map(job -> job.status(now)).toList();
    }

    private Stream<ServerJob> oldestFirst()
    {
        return jobs.values().stream().sorted(Comparator.comparingLong((ServerJob job) -> job.record().createdAtMillis()).thenComparing(ServerJob::id));
    }

    /**
     * @return the latest run in this process of every job that has one, by job id, oldest job
     *         first: its operators' metrics and checkpoint statistics are what the job's status
     *         reports, read where the engine writes them.
     */
    public Map<String, JobHandle> runs()
    {
        final Map<String, JobHandle> runs = new LinkedHashMap<>();
        oldestFirst().forEach(job ->
        {
            final JobHandle run = job.handle();
            if (run != null)
            {
                runs.put(job.id(), run);
            }
        });
        return runs;
    }

    /**
     * @param jobId a job's id.
     * @return the job with its graph, or empty if there is no such job.
     */
    public Optional<JobDetail> detail(final String jobId)
    {
        return Optional.ofNullable(jobs.get(jobId)).map(job -> job.detail(System.currentTimeMillis()));
    }

    private ServerJob job(final String jobId)
    {
        final ServerJob job = jobs.get(jobId);
        if (job == null)
        {
            throw new JobSubmissionException(JobSubmissionException.Kind.UNKNOWN_JOB, "no job '" + jobId + "'", null);
        }
        return job;
    }

    private ServerJob running(final String jobId, final String action)
    {
        final ServerJob job = job(jobId);
        if (!job.running())
        {
            throw new JobSubmissionException(JobSubmissionException.Kind.CONFLICT, "job " + jobId + " is " + job.record().state() + ", not running: cannot " + action, null);
        }
        return job;
    }

    /**
     * Takes a savepoint of a running job.
     *
     * @param jobId     a job's id.
     * @param directory where to write it, or {@code null} for {@code savepoints/} of the job's directory.
     * @return the savepoint, once written.
     * @throws JobSubmissionException if there is no such running job, or the directory is not empty.
     */
    public CompletableFuture<JobStatus.CheckpointSummary> savepoint(final String jobId, final Path directory)
    {
        final ServerJob job = running(jobId, "take a savepoint");
        final Path target = directory != null ? directory : store.savepoints(jobId).resolve("savepoint-" + System.currentTimeMillis());
        final CompletableFuture<CompletedCheckpoint> taken;
        try
        {
            taken = job.handle().triggerSavepoint(target);
        }
        catch (final RuntimeException e)
        {
            throw new JobSubmissionException("cannot take a savepoint of job " + jobId + ": " + ServerJob.message(e), e);
        }
        // Not on the engine's thread, which completes the future holding its lock.
        return taken.thenApplyAsync(savepoint ->
        {
            job.savepointTaken(savepoint.directory());
            return ServerJob.summary(savepoint);
        });
    }

    /**
     * Cancels a job, first taking a savepoint if asked.
     *
     * @param jobId         a job's id.
     * @param withSavepoint whether to take a savepoint first (the job is cancelled only if it
     *                      succeeds).
     * @return the savepoint if one was asked for (else {@code null}), once the job has stopped.
     * @throws JobSubmissionException if there is no such job, or it is not running.
     */
    public CompletableFuture<JobStatus.CheckpointSummary> cancel(final String jobId, final boolean withSavepoint)
    {
        final ServerJob job = running(jobId, "cancel it");
        if (withSavepoint)
        {
            return savepoint(jobId, null).thenCompose(savepoint -> job.stop(true).thenApply(stopped -> savepoint));
        }
        return job.stop(true).thenApply(stopped -> null);
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
        final ServerJob job = job(jobId);
        synchronized (job)
        {
            if (job.running())
            {
                throw new JobSubmissionException(JobSubmissionException.Kind.CONFLICT, "job " + jobId + " is running; cancel it before resuming it", null);
            }
            start(job, savepoint);
        }
        LOG.info("resumed job {} ({}){}", jobId, job.record().name(), savepoint == null ? "" : " from " + savepoint);
        return job.status(System.currentTimeMillis());
    }

    /**
     * Stops every job without cancelling it: a job running now is resumed when the server
     * starts again.
     */
    @Override
    public void close()
    {
        final List<ServerJob> known;
        synchronized (lifecycle)
        {
            closed = true;
            known = List.copyOf(jobs.values());
        }
        final List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (final ServerJob job : known)
        {
            if (job.running())
            {
                stopping.add(job.stop(false));
            }
        }
        for (final CompletableFuture<Void> stopped : stopping)
        {
            try
            {
                stopped.get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                return;
            }
            catch (final ExecutionException | TimeoutException e)
            {
                LOG.warn("a job did not stop within {} s; the server closes anyway", CLOSE_WAIT_SECONDS);
            }
        }
        if (!stopping.isEmpty())
        {
            LOG.info("stopped {} job(s); they resume when the server starts again", stopping.size());
        }
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
