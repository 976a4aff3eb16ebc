package io.tidemark.bench.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.tidemark.bench.Scratch;
import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.api.KeyedStream;
import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.checkpoint.CheckpointConfig;
import io.tidemark.engine.checkpoint.CheckpointStats;
import io.tidemark.engine.checkpoint.DeliveryGuarantee;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.source.GeneratorSource;
import io.tidemark.engine.task.JobHandle;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.EventTimeSessionWindows;
import io.tidemark.engine.window.LateDataPolicy;
import io.tidemark.engine.window.SlidingEventTimeWindows;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.engine.window.WindowResult;

/**
 * The throughput workloads W1-W4 of {@code docs/WORKLOADS.md}, exactly as written there: the
 * generator G(N, users) at parallelism 2, watermarks with a bound of 2 s, then a keyed window
 * per workload, into a sink that sums the results. W4 is W1 and W3C is W3, each with
 * exactly-once checkpoints every second written to a local directory; W1L and W3L are W1 and
 * W3 with allowed lateness and late updates. Each run checks its
 * checksum and fails if it is wrong, so that a fast but wrong engine cannot post a figure.
 */
public enum ThroughputWorkload
{
    /** Tumbling event-time windows of 60 s, count per user; the counts sum to N. */
    W1(10_000, null)
    {
        @Override
        DataStream<WindowResult<Long, Long>> windows(final KeyedStream<Event, Long> events)
        {
            return events.window(TumblingEventTimeWindows.of(Duration.ofSeconds(60))).preAggregation(true).aggregate(AggregateFunctions.count());
        }

        @Override
        long expectedChecksum(final long n)
        {
            return n;
        }
    },

    /** Hopping windows of 300 s sliding by 30 s, sum of values; every event is in 10 windows. */
    W2(10_000, null)
    {
        @Override
        DataStream<WindowResult<Long, Long>> windows(final KeyedStream<Event, Long> events)
        {
            return events.window(SlidingEventTimeWindows.of(Duration.ofSeconds(300), Duration.ofSeconds(30))).aggregate(AggregateFunctions.sumLong(Event::value));
        }

        @Override
        long expectedChecksum(final long n)
        {
            return 10 * Event.valueSum(n);
        }
    },

    /** Session windows with a gap of 30 s over a million users, count per session; the counts sum to N. */
    W3(1_000_000, null)
    {
        @Override
        DataStream<WindowResult<Long, Long>> windows(final KeyedStream<Event, Long> events)
        {
            return events.window(EventTimeSessionWindows.withGap(Duration.ofSeconds(30))).aggregate(AggregateFunctions.count());
        }

        @Override
        long expectedChecksum(final long n)
        {
            return n;
        }
    },

    /**
     * W1 with {@link #LATENESS} of allowed lateness and late updates for as long again: the
     * slicing operator keeps each window's slice that much longer.
     */
    W1L(10_000, null)
    {
        @Override
        DataStream<WindowResult<Long, Long>> windows(final KeyedStream<Event, Long> events)
        {
            return events.window(TumblingEventTimeWindows.of(Duration.ofSeconds(60))).preAggregation(true).allowedLateness(LATENESS)
                .lateDataPolicy(LateDataPolicy.lateUpdate(LATENESS)).aggregate(AggregateFunctions.count());
        }

        @Override
        long expectedChecksum(final long n)
        {
            // No event is later than the watermark's bound: nothing is updated.
            return n;
        }
    },

    /**
     * W3 with {@link #LATENESS} of allowed lateness and late updates for as long again: the
     * session operator keeps each fired session that much longer.
     */
    W3L(1_000_000, null)
    {
        @Override
        DataStream<WindowResult<Long, Long>> windows(final KeyedStream<Event, Long> events)
        {
            return events.window(EventTimeSessionWindows.withGap(Duration.ofSeconds(30))).allowedLateness(LATENESS)
                .lateDataPolicy(LateDataPolicy.lateUpdate(LATENESS)).aggregate(AggregateFunctions.count());
        }

        @Override
        long expectedChecksum(final long n)
        {
            return n;
        }
    },

    /** W1 with exactly-once checkpoints every second. */
    W4(10_000, W1),

    /** W3 with exactly-once checkpoints every second: a million open sessions in every checkpoint. */
    W3C(1_000_000, W3);

    /** The parallelism of every operator. */
    public static final int PARALLELISM = 2;
    /** The watermark bound. */
    public static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(2);
    /** The allowed lateness of W1L and W3L, and their late updates' retention after it. */
    public static final Duration LATENESS = Duration.ofSeconds(5);
    /**
     * The maximum heap the engine figures are measured with, as one sizes a Flink
     * TaskManager's memory: the live state of W1-W3 is well under 200 MB, and with the JVM's
     * default (a quarter of the machine's memory) G1 grows the young generation, and with it
     * the peak RSS, far past what the job needs.
     */
    public static final String HEAP = "768m";
    /** How often the checkpointed workloads checkpoint. */
    public static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    private final long users;
    private final ThroughputWorkload uncheckpointed;

    ThroughputWorkload(final long users, final ThroughputWorkload uncheckpointed)
    {
        this.users = users;
        this.uncheckpointed = uncheckpointed;
    }

    /**
     * What one run produced.
     *
     * @param events      the events generated.
     * @param checksum    the sum of every window result's value.
     * @param windows     the number of window results.
     * @param nanos       wall time from the first event made to the last result.
     * @param checkpoints what each checkpoint of the run cost, oldest first; empty for a
     *                    workload without checkpoints.
     * @param heap        what the heap did during the job: bytes allocated, collections and
     *                    their time.
     */
    public record Result(long events, long checksum, long windows, long nanos, List<CheckpointStats> checkpoints, HeapActivity.Figures heap)
    {
        /**
         * @return events per second.
         */
        public double eventsPerSecond()
        {
            return events * 1e9 / nanos;
        }
    }

    /**
     * @return the number of users of this workload's generator.
     */
    public long users()
    {
        return users;
    }

    /**
     * @return the workload this one checkpoints, or null if it does not checkpoint.
     */
    public ThroughputWorkload uncheckpointed()
    {
        return uncheckpointed;
    }

    /**
     * Runs the workload once over {@code n} events and checks its checksum. A checkpointed
     * workload writes its checkpoints to a directory of its own under {@code java.io.tmpdir},
     * deleted after the run.
     *
     * @param n the number of events.
     * @return what the run produced.
     * @throws IllegalStateException if the checksum is wrong.
     * @throws UncheckedIOException  if the checkpoint directory cannot be made or deleted.
     */
    public Result run(final long n)
    {
        return run(n, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * @param n       the number of events.
     * @param scratch where a checkpointed run makes the directory of its checkpoints.
     * @return what the run produced.
     */
    Result run(final long n, final Path scratch)
    {
        if (uncheckpointed == null)
        {
            return execute(n, null);
        }
        try
        {
            final Path directory = Files.createTempDirectory(scratch, "tidemark-" + name() + "-checkpoints");
            try
            {
                return execute(n, directory);
            }
            finally
            {
                Scratch.delete(directory);
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    private Result execute(final long n, final Path checkpoints)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(PARALLELISM);
        if (checkpoints != null)
        {
            env.enableCheckpointing(CheckpointConfig.every(CHECKPOINT_INTERVAL).withGuarantee(DeliveryGuarantee.EXACTLY_ONCE).withDirectory(checkpoints));
        }
        final long userCount = users;
        // One event per source split, filled anew for each index; the channels to the window
        // subtasks recycle their copies, and the key crosses as a long. The run is timed from the
        // first event made, as an anchor is, so that the job's start is in no figure.
        final AtomicLong firstEventNanos = new AtomicLong();
        final DataStream<Event> events = env.fromSource(GeneratorSource.reusing(n, Event::new, (i, event) -> {
                if (i < PARALLELISM)
                {
                    firstEventNanos.compareAndSet(0, System.nanoTime());
                }
                event.fill(i, userCount);
            }),
            WatermarkStrategy.<Event>forBoundedOutOfOrderness(OUT_OF_ORDERNESS).withTimestampAssigner((event, ts) -> event.eventTimeMs()), "events");
        final ChecksumSink sink = new ChecksumSink();
        windows(events.keyByLong(Event::userId)).sinkTo(sink);
        final JobHandle job;
        final long nanos;
        final HeapActivity.Figures heap;
        try (HeapActivity activity = new HeapActivity())
        {
            final long start = System.nanoTime();
            job = env.execute(name());
            nanos = System.nanoTime() - (firstEventNanos.get() == 0 ? start : firstEventNanos.get());
            heap = activity.figures();
        }
        final Result result = new Result(n, sink.checksum(), sink.windows(), nanos, checkpoints == null ? List.of() : job.checkpointStats(), heap);
        final long expected = expectedChecksum(n);
        if (result.checksum() != expected)
        {
            throw new IllegalStateException(name() + " over " + n + " events: checksum " + result.checksum() + ", expected " + expected);
        }
        return result;
    }

    /**
     * @param events the generated events, keyed by user.
     * @return the workload's window results; a checkpointed workload's are those of the one
     * it checkpoints.
     */
    DataStream<WindowResult<Long, Long>> windows(final KeyedStream<Event, Long> events)
    {
        return uncheckpointed.windows(events);
    }

    /**
     * @param n the number of events.
     * @return the sum of every window result's value over {@code n} events.
     */
    long expectedChecksum(final long n)
    {
        return uncheckpointed.expectedChecksum(n);
    }
}
