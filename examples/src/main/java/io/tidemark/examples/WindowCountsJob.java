package io.tidemark.examples;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.tidemark.engine.api.Durations;
import io.tidemark.engine.api.JobContext;
import io.tidemark.engine.api.StreamJob;
import io.tidemark.connector.log.LogSerializer;
import io.tidemark.connector.log.LogSink;
import io.tidemark.connector.log.LogSource;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.engine.window.WindowResult;
import io.tidemark.log.IsolationLevel;
import io.tidemark.log.topic.LogManager;

/**
 * The built-in job {@code window-counts}: records of a topic counted per key in tumbling
 * event-time windows, written exactly once to another topic.
 *
 * <p>Arguments: {@code INPUT OUTPUT [WINDOW] [OUT-OF-ORDERNESS]}, durations such as
 * {@code 500ms}, {@code 1s} or {@code 5m} ({@link Durations}; both 1 s by default). It reads every partition of
 * {@code INPUT} from its start, committed transactions only; a record's key (as UTF-8 text, or
 * its value if it has no key) is what it is counted under, and its log timestamp is its event
 * time. A window is emitted once the watermark (the newest timestamp seen less the
 * out-of-orderness bound, per partition, the least over partitions) passes its end; a record
 * that arrives after that is late and dropped. A partition without records for
 * {@value #IDLE_SECONDS} s stops holding the watermark back, so a quiet partition does not
 * stall the job. Each result is one record of {@code OUTPUT} (created with the input's
 * partition count if missing), keyed by the key, valued {@code key,windowStart,windowEnd,count}
 * (epoch milliseconds), written in one transaction per checkpoint under transactional ids that
 * start with the job's id: a {@code read_committed} reader sees every window once, also after
 * the server was killed.
 */
public final class WindowCountsJob implements StreamJob
{
    /** How long a partition may go without records before it stops holding the watermark back. */
    static final int IDLE_SECONDS = 5;

    private static final Duration DEFAULT_WINDOW = Duration.ofSeconds(1);
    private static final Duration DEFAULT_OUT_OF_ORDERNESS = Duration.ofSeconds(1);

    @Override
    public void define(final JobContext context)
    {
        final List<String> args = context.args();
        if (args.size() < 2 || args.size() > 4)
        {
            throw new IllegalArgumentException("window-counts takes INPUT OUTPUT [WINDOW] [OUT-OF-ORDERNESS], got " + args.size() + " argument"
                + (args.size() == 1 ? "" : "s"));
        }
        final String input = args.get(0);
        final String output = args.get(1);
        final Duration window = args.size() > 2 ? duration(args.get(2), "WINDOW") : DEFAULT_WINDOW;
        final Duration outOfOrderness = args.size() > 3 ? duration(args.get(3), "OUT-OF-ORDERNESS") : DEFAULT_OUT_OF_ORDERNESS;
        if (window.isZero())
        {
            throw new IllegalArgumentException("WINDOW must be longer than 0 ms: '" + args.get(2) + "'");
        }
        final LogManager logs = context.logs();
        if (!logs.listTopics().contains(input))
        {
            throw new IllegalArgumentException("no topic '" + input + "' to read");
        }
        logs.createTopicIfMissing(output, logs.partitions(input).size(), Map.of());

        final LogSource<String> records = LogSource.unbounded(logs, input,
                (key, value) -> key != null ? new String(key, StandardCharsets.UTF_8) : value == null ? null : new String(value, StandardCharsets.UTF_8))
            .withIsolationLevel(IsolationLevel.READ_COMMITTED);
        context.env()
            .fromSource(records, WatermarkStrategy.<String>forBoundedOutOfOrderness(outOfOrderness).withIdleness(Duration.ofSeconds(IDLE_SECONDS)), input)
            .keyBy(key -> key)
            .window(TumblingEventTimeWindows.of(window))
            .aggregate(AggregateFunctions.<String>count())
            .name("counts per key and window")
            .sinkTo(LogSink.exactlyOnce(logs, context.transactions(), output,
                LogSerializer.keyed(result -> result.key().getBytes(StandardCharsets.UTF_8), WindowCountsJob::format), context.jobId()));
    }

    @Override
    public String description()
    {
        return "Counts the records of INPUT per key in tumbling event-time windows into OUTPUT, exactly once: "
            + "INPUT OUTPUT [WINDOW, default 1s] [OUT-OF-ORDERNESS, default 1s]";
    }

    /**
     * @param result a window's count.
     * @return the output record's value: {@code key,windowStart,windowEnd,count}.
     */
    static byte[] format(final WindowResult<String, Long> result)
    {
        return (result.key() + "," + result.windowStart() + "," + result.windowEnd() + "," + result.value()).getBytes(StandardCharsets.UTF_8);
    }

    private static Duration duration(final String text, final String name)
    {
        final Duration duration;
        try
        {
            duration = Durations.parse(text);
        }
        catch (final IllegalArgumentException e)
        {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
        if (duration.isNegative())
        {
            throw new IllegalArgumentException(name + " must not be negative: '" + text + "'");
        }
        return duration;
    }
}
