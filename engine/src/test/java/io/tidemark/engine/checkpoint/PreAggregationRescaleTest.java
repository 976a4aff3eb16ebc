package io.tidemark.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.graph.JobVertex;
import io.tidemark.engine.sink.CollectSink;
import io.tidemark.engine.task.JobHandle;
import io.tidemark.engine.testing.Poll;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.BatchWindows;
import io.tidemark.engine.window.Event;
import io.tidemark.engine.window.SlidingEventTimeWindows;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.engine.window.WindowResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job that pre-aggregates its windows, resumed from a savepoint at a greater parallelism:
 * the new source subtask inherits no pre-aggregator snapshot, yet the records it reads behind
 * the window's restored watermark must each update their window, as they would without
 * pre-aggregation. Every firing of both runs together is what the records give computed in one
 * batch: on time once with the records before the savepoint, again for each late record, and
 * once at the end for the windows the savepoint had not fired.
 */
class PreAggregationRescaleTest
{
    private static final int SPLITS = 3;
    private static final int KEYS = 4;
    /** Records of each split before the savepoint: event times 0 to 13,000 ms, every key in every second. */
    private static final int BEFORE = 53;
    /** Then per split, records of one key of its own behind the restored watermark, several per slice. */
    private static final int LATE = 8;
    /** Then per split, records of windows the savepoint had not fired. */
    private static final int ON_TIME = 8;
    private static final long BOUND = 2_000;
    /** Where the first run's watermark stops: the greatest event time before the savepoint less the bound. */
    private static final long WATERMARK = 250L * (BEFORE - 1) - BOUND - 1;
    private static final long SECOND = 1_000;
    /** Long enough that every window fired before the savepoint still takes late records. */
    private static final Duration LATENESS = Duration.ofMinutes(1);

    @TempDir
    Path dir;

    /** The two window aggregations' outputs of one run. */
    private record Sinks(CollectSink<WindowResult<String, List<Long>>> tumbling, CollectSink<WindowResult<String, Long>> hopping)
    {
        Sinks()
        {
            this(new CollectSink<>(), new CollectSink<>());
        }
    }

    /**
     * Record {@code i} of split {@code s} (id {@code s * 1_000_000 + i}): before the
     * savepoint, one every 250 ms cycling through the keys; then the late records, of key
     * {@code s} only, so that each key's late updates come in one order (its split's); then
     * records after the first run's last event time.
     */
    static Event eventOf(final long id)
    {
        final int split = (int)(id / 1_000_000);
        final int i = (int)(id % 1_000_000);
        if (i < BEFORE)
        {
            return new Event("k" + (i + split) % KEYS, 250L * i, 1 + i % 5);
        }
        if (i < BEFORE + LATE)
        {
            final int j = i - BEFORE;
            return new Event("k" + split, 9_500 + 100L * j, 10 + j);
        }
        final int j = i - BEFORE - LATE;
        return new Event("k" + (j + split) % KEYS, 13_000 + 250L * j, 1 + j);
    }

    private static JobHandle start(final FeedSource source, final Sinks sinks, final Consumer<StreamExecutionEnvironment> settings)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        settings.accept(env);
        final DataStream<Event> events = env.fromSource(source,
            WatermarkStrategy.<Long>forBoundedOutOfOrderness(Duration.ofMillis(BOUND)).withTimestampAssigner((id, ts) -> eventOf(id).time()), "feed")
            .map(PreAggregationRescaleTest::eventOf);
        // An object accumulator and a long one: the pre-aggregator holds each in its own way.
        events.keyBy(Event::key).window(TumblingEventTimeWindows.of(Duration.ofMillis(SECOND))).allowedLateness(LATENESS).preAggregation(true)
            .aggregate(new BatchWindows.CountAndSum()).name("count and sum").sinkTo(sinks.tumbling()).name("tumbling");
        events.keyBy(Event::key).window(SlidingEventTimeWindows.of(Duration.ofMillis(2 * SECOND), Duration.ofMillis(SECOND))).allowedLateness(LATENESS)
            .preAggregation(true).aggregate(AggregateFunctions.sumLong(Event::value)).name("sum").sinkTo(sinks.hopping()).name("hopping");
        return env.executeAsync("pre-aggregation rescaled");
    }

    @Test
    void recordsOfANewSubtaskBehindTheRestoredWatermarkUpdateTheirWindowsOnceEach() throws Exception
    {
        final FeedSource source = new FeedSource(SPLITS, true);
        final Sinks first = new Sinks();
        final JobHandle firstRun = start(source, first, env -> env.setParallelism(2).enableCheckpointing(CheckpointConfig.every(Duration.ofHours(1))));
        assertTrue(firstRun.graph().vertices().stream().map(JobVertex::name).anyMatch(name -> name.startsWith("feed") && name.contains("pre-aggregate")),
            "pre-aggregated in the sources' tasks");
        for (int split = 0; split < SPLITS; split++)
        {
            source.feed(split, BEFORE);
        }
        final List<Event> before = events(source, 0, BEFORE);
        final List<String> firstTumbling = fired(before, SECOND, SECOND, r -> r);
        final List<String> firstHopping = fired(before, 2 * SECOND, SECOND, r -> r.get(1));
        Poll.until("the windows up to the watermark " + WATERMARK + " to fire",
            () -> first.tumbling().size() >= firstTumbling.size() && first.hopping().size() >= firstHopping.size());
        final Path savepoint = dir.resolve("savepoint");
        firstRun.triggerSavepoint(savepoint).get(20, TimeUnit.SECONDS);
        firstRun.cancel();
        firstRun.awaitTermination();
        assertEquals(firstTumbling, describe(first.tumbling()), "tumbling windows fired before the savepoint");
        assertEquals(firstHopping, describe(first.hopping()), "hopping windows fired before the savepoint");

        for (int split = 0; split < SPLITS; split++)
        {
            source.feed(split, LATE + ON_TIME);
            source.end(split);
        }
        final Sinks second = new Sinks();
        // Subtask 2 reads split 2 and inherits no pre-aggregator snapshot (subtasks 0 and 1
        // inherit those of the old 0 and 1). The sources emit no watermark before their end,
        // so that each late record meets the restored watermark whatever the timing of the
        // reads: had the new subtask held them, they would reach the window folded.
        final JobHandle secondRun = start(source, second, env ->
        {
            env.setParallelism(3);
            env.getConfig().autoWatermarkInterval(Duration.ofHours(1)).restoreFrom(savepoint);
        });
        secondRun.awaitTermination();
        assertEquals(afterRestore(source, SECOND, SECOND, r -> r), describe(second.tumbling()), "tumbling windows after the restore");
        assertEquals(afterRestore(source, 2 * SECOND, SECOND, r -> r.get(1)), describe(second.hopping()), "hopping windows after the restore");
    }

    /** Records {@code from} to {@code to} (exclusive) of every split, split by split. */
    private static List<Event> events(final FeedSource source, final int from, final int to)
    {
        final List<Event> events = new ArrayList<>();
        for (int split = 0; split < SPLITS; split++)
        {
            source.fed(split).subList(from, to).forEach(id -> events.add(eventOf(id)));
        }
        return events;
    }

    /**
     * @param value the window function's result of a count and a sum.
     * @return the on-time firings up to {@link #WATERMARK} of the windows over the records.
     */
    private static List<String> fired(final List<Event> records, final long size, final long slide, final Function<List<Long>, Object> value)
    {
        final List<String> fired = new ArrayList<>();
        BatchWindows.sliding(records, size, slide).forEach((window, result) ->
        {
            if (window.end() - 1 <= WATERMARK)
            {
                fired.add(describe(window, false, value.apply(result)));
            }
        });
        return sorted(fired);
    }

    /**
     * @return what the restored job fires: each late record updates every fired window it
     * falls in with all its key's records so far; at the end every window not yet fired fires
     * once with all its records.
     */
    private static List<String> afterRestore(final FeedSource source, final long size, final long slide, final Function<List<Long>, Object> value)
    {
        final List<String> fires = new ArrayList<>();
        final List<Event> seen = new ArrayList<>(events(source, 0, BEFORE));
        for (final Event late : events(source, BEFORE, BEFORE + LATE))
        {
            seen.add(late);
            final Map<BatchWindows.WindowKey, List<Long>> now = BatchWindows.sliding(seen, size, slide);
            for (long start = Math.floorDiv(late.time(), slide) * slide; start > late.time() - size; start -= slide)
            {
                final BatchWindows.WindowKey window = new BatchWindows.WindowKey(late.key(), start, start + size);
                if (window.end() - 1 <= WATERMARK)
                {
                    fires.add(describe(window, true, value.apply(now.get(window))));
                }
            }
        }
        BatchWindows.sliding(events(source, 0, BEFORE + LATE + ON_TIME), size, slide).forEach((window, result) ->
        {
            if (window.end() - 1 > WATERMARK)
            {
                fires.add(describe(window, false, value.apply(result)));
            }
        });
        return sorted(fires);
    }

    private static String describe(final BatchWindows.WindowKey window, final boolean update, final Object value)
    {
        return window.key() + " " + window.start() + "-" + window.end() + (update ? " update " : " ") + value;
    }

    private static List<String> describe(final CollectSink<? extends WindowResult<String, ?>> sink)
    {
        return sorted(sink.results().stream().map(r -> describe(new BatchWindows.WindowKey(r.key(), r.windowStart(), r.windowEnd()), r.update(), r.value())).toList());
    }

    private static List<String> sorted(final List<String> lines)
    {
        return lines.stream().sorted().toList();
    }
}
