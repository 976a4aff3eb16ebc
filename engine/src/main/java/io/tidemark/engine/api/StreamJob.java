package io.tidemark.engine.api;

/**
 * A job a Tidemark server runs: it defines its pipeline on the environment its
 * {@link JobContext} gives it, reading and writing the server's own log in-process, and
 * returns. The server starts the job, checkpoints it into its data directory, restarts it
 * after failures, and resumes it after the server itself restarts; the job never calls
 * {@code execute}.
 *
 * <p>A job is submitted by name (the jobs built into the server, found through
 * {@link java.util.ServiceLoader} and named after their class: {@code ClickCountsJob} is
 * {@code click-counts}) or as a jar and the name of a class in it that implements this
 * interface and has a public no-argument constructor; each jar gets its own class loader.
 *
 * <pre>{@code
 * public final class UpperCase implements StreamJob
 * {
 *     public void define(JobContext context)
 *     {
 *         context.env()
 *             .fromSource(LogSource.unbounded(context.logs(), context.args().get(0), LogDeserializer.utf8Values()),
 *                 WatermarkStrategy.noWatermarks(), "lines")
 *             .map(line -> line.toUpperCase(Locale.ROOT))
 *             .sinkTo(LogSink.exactlyOnce(context.logs(), context.transactions(), context.args().get(1),
 *                 LogSerializer.utf8ToString(), context.jobId()));
 *     }
 * }
 * }</pre>
 */
public interface StreamJob
{
    /**
     * Adds the job's sources, operators and sinks to {@code context.env()}. It is called once
     * per start of the job (on submission, and again when the server restarts) and must define
     * the same pipeline each time, so that the job's checkpoints fit it.
     *
     * @param context the environment, the server's log and the job's arguments.
     * @throws Exception if the job cannot be defined (bad arguments, a missing topic): the
     *                   submission fails with its message.
     */
    void define(JobContext context) throws Exception;

    /**
     * @return one line saying what the job does and which arguments it takes, for
     *         {@code tidemark job builtins}.
     */
    default String description()
    {
        return "";
    }
}
