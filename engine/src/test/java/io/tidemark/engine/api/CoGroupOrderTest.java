package io.tidemark.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.functions.CoGroupFunction;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.LongKeySelector;
import io.tidemark.engine.sink.CollectSink;
import io.tidemark.engine.source.CollectionSource;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.EventTimeSessionWindows;
import io.tidemark.engine.window.SlidingEventTimeWindows;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.engine.window.Window;
import io.tidemark.engine.window.WindowAssigner;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A co-group hands each side's records of a window to its function in the order they arrived,
 * as Flink does, whatever the windows; and the lists are the function's own.
 */
class CoGroupOrderTest
{
    /** A record of key 1: its price names it, its time places it. */
    record Ev(long price, long time) implements Serializable
    {
    }

    @Test
    void aTumblingCoGroupGivesEachSideInArrivalOrder()
    {
        final List<String> results = coGroup(List.of(new Ev(1, 7), new Ev(2, 2)), TumblingEventTimeWindows.of(Duration.ofMillis(10)), Duration.ZERO,
            CoGroupOrderTest::emit);
        assertEquals(List.of("[]/[1, 2]"), results);
    }

    @Test
    void aHoppingCoGroupGivesEachSideInArrivalOrder()
    {
        // The record at 7 lies in a later slice than the one at 2: merging slices in time order would give [2, 1].
        final List<String> results = coGroup(List.of(new Ev(1, 7), new Ev(2, 2)), SlidingEventTimeWindows.of(Duration.ofMillis(10), Duration.ofMillis(5)),
            Duration.ZERO, CoGroupOrderTest::emit);
        assertEquals(List.of("[]/[2]", "[]/[1, 2]", "[]/[1]"), results);
    }

    @Test
    void aSessionCoGroupGivesEachSideInArrivalOrder()
    {
        // The record at 20 bridges the sessions of 10 and of 30: merging them into either would reorder the side.
        final List<String> results = coGroup(List.of(new Ev(1, 10), new Ev(2, 30), new Ev(3, 20)), EventTimeSessionWindows.withGap(Duration.ofMillis(10)),
            Duration.ZERO, CoGroupOrderTest::emit);
        assertEquals(List.of("[]/[1, 2, 3]"), results);
    }

    @Test
    void aTumblingCoGroupFunctionMayChangeTheListsItIsGivenWithoutChangingTheNextFiring()
    {
        assertFiresAgainWithAllRecordsThoughTheFunctionClearsItsLists(TumblingEventTimeWindows.of(Duration.ofMillis(10)));
    }

    @Test
    void aSessionCoGroupFunctionMayChangeTheListsItIsGivenWithoutChangingTheNextFiring()
    {
        assertFiresAgainWithAllRecordsThoughTheFunctionClearsItsLists(EventTimeSessionWindows.withGap(Duration.ofMillis(5)));
    }

    /** The record at 6 comes after the watermark of 100 fired its window, within the allowed lateness. */
    private static void assertFiresAgainWithAllRecordsThoughTheFunctionClearsItsLists(final WindowAssigner<Object, ? extends Window> assigner)
    {
        final List<String> results = coGroup(List.of(new Ev(1, 5), new Ev(2, 200), new Ev(3, 6)), assigner, Duration.ofSeconds(1), (ones, twos, out) ->
        {
            emit(ones, twos, out);
            ((List<Ev>)twos).clear();
        });
        assertTrue(results.contains("[]/[1]") && results.contains("[]/[1, 3]"), "the late firing sees both records; got " + results);
    }

    private static <W extends Window> List<String> coGroup(final List<Ev> events, final WindowAssigner<Object, W> assigner, final Duration lateness,
        final CoGroupFunction<Ev, Ev, String> function)
    {
        // One source split into both sides at parallelism 1: records reach the co-group in the
        // source's order; the watermark stays 100 behind the last record. Every price goes to
        // the second side.
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(1);
        final DataStream<Ev> all = env.fromSource(CollectionSource.of(events, 1),
            WatermarkStrategy.<Ev>forPunctuated((e, ts) -> ts - 100).withTimestampAssigner((e, ts) -> e.time()), "events");
        final LongKeySelector<Ev> key = e -> 1L;
        final CollectSink<String> sink = new CollectSink<>();
        all.filter(e -> e.price() > 1000).coGroup(all.filter(e -> e.price() < 1000))
            .where(key).equalTo(key)
            .window(assigner)
            .allowedLateness(lateness)
            .apply(function)
            .sinkTo(sink);
        env.execute("co-group order");
        return sink.results();
    }

    private static void emit(final Iterable<Ev> ones, final Iterable<Ev> twos, final Collector<String> out)
    {
        out.collect(describe(ones) + "/" + describe(twos));
    }

    private static String describe(final Iterable<Ev> events)
    {
        final List<Long> prices = new ArrayList<>();
        events.forEach(e -> prices.add(e.price()));
        return prices.toString();
    }
}
