package io.tidemark.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemark.engine.functions.JoinFunction;
import io.tidemark.engine.sink.CollectSink;
import io.tidemark.engine.source.CollectionSource;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.EventTimeSessionWindows;
import io.tidemark.engine.window.SlidingEventTimeWindows;
import io.tidemark.engine.window.TimeWindow;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.engine.window.WindowAssigner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The window join as a job at parallelism 2 against a nested-loop join over the same events,
 * as multisets: random keys and timestamps on both streams, out of order within the
 * watermark's bound (so no record is late), for tumbling, sliding and session windows.
 */
class WindowJoinProperties
{
    /** An event of either stream. */
    record Event(int key, long time, int id) implements java.io.Serializable
    {
    }

    /** The kinds of window, each with its own oracle of which windows a pair shares. */
    enum Kind
    {
        TUMBLING, SLIDING, SESSION
    }

    private static final long SIZE = 10;
    private static final long SLIDE = 4;
    private static final long GAP = 3;

    /** Names a pair by the events' ids. */
    static final class Ids implements JoinFunction<Event, Event, String>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public String join(final Event first, final Event second)
        {
            return first.id() + "-" + second.id();
        }
    }

    @Property(tries = 8)
    void tumbling(@ForAll final long seed, @ForAll @IntRange(min = 0, max = 60) final int count, @ForAll @IntRange(min = 0, max = 12) final int bound)
    {
        check(Kind.TUMBLING, seed, count, bound);
    }

    @Property(tries = 8)
    void sliding(@ForAll final long seed, @ForAll @IntRange(min = 0, max = 60) final int count, @ForAll @IntRange(min = 0, max = 12) final int bound)
    {
        check(Kind.SLIDING, seed, count, bound);
    }

    @Property(tries = 8)
    void sessions(@ForAll final long seed, @ForAll @IntRange(min = 0, max = 60) final int count, @ForAll @IntRange(min = 0, max = 12) final int bound)
    {
        check(Kind.SESSION, seed, count, bound);
    }

    private static void check(final Kind kind, final long seed, final int count, final int bound)
    {
        final Random random = new Random(seed);
        final List<Event> first = new ArrayList<>();
        final List<Event> second = new ArrayList<>();
        long clock = 0;
        for (int i = 0; i < count; i++)
        {
            clock += random.nextInt(3);
            final Event event = new Event(random.nextInt(3), clock - random.nextInt(bound + 1), i);
            (random.nextBoolean() ? first : second).add(event);
        }
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        final CollectSink<String> sink = new CollectSink<>();
        // A record at most `bound` behind the largest before it is never at or behind this watermark.
        final WatermarkStrategy<Event> strategy = WatermarkStrategy.<Event>forPunctuated((e, ts) -> ts - bound - 1).withTimestampAssigner((e, ts) -> e.time());
        env.fromSource(CollectionSource.of(first, 2), strategy, "first")
            .join(env.fromSource(CollectionSource.of(second, 2), strategy, "second"))
            .where(Event::key).equalTo(Event::key)
            .window(assigner(kind))
            .apply(new Ids())
            .sinkTo(sink);
        env.execute("window join " + kind);
        final List<String> actual = new ArrayList<>(sink.results());
        final List<String> expected = nestedLoop(kind, first, second);
        Collections.sort(actual);
        Collections.sort(expected);
        assertEquals(expected, actual);
    }

    private static WindowAssigner<Object, TimeWindow> assigner(final Kind kind)
    {
        return switch (kind)
        {
            case TUMBLING -> TumblingEventTimeWindows.of(Duration.ofMillis(SIZE));
            case SLIDING -> SlidingEventTimeWindows.of(Duration.ofMillis(SIZE), Duration.ofMillis(SLIDE));
            case SESSION -> EventTimeSessionWindows.withGap(Duration.ofMillis(GAP));
        };
    }

    /** Every pair of the same key, once per window both are in. */
    private static List<String> nestedLoop(final Kind kind, final List<Event> first, final List<Event> second)
    {
        final List<String> pairs = new ArrayList<>();
        for (final Event a : first)
        {
            for (final Event b : second)
            {
                if (a.key() != b.key())
                {
                    continue;
                }
                final int shared = switch (kind)
                {
                    case TUMBLING -> Math.floorDiv(a.time(), SIZE) == Math.floorDiv(b.time(), SIZE) ? 1 : 0;
                    case SLIDING -> sharedSlidingWindows(a.time(), b.time());
                    case SESSION -> sameSession(a, b, first, second) ? 1 : 0;
                };
                for (int i = 0; i < shared; i++)
                {
                    pairs.add(a.id() + "-" + b.id());
                }
            }
        }
        return pairs;
    }

    /** Windows [start, start + SIZE) with start a multiple of SLIDE that hold both times. */
    private static int sharedSlidingWindows(final long t1, final long t2)
    {
        int shared = 0;
        final long lo = Math.min(t1, t2);
        final long hi = Math.max(t1, t2);
        for (long start = Math.floorDiv(hi, SLIDE) * SLIDE; start > hi - SIZE; start -= SLIDE)
        {
            if (start <= lo)
            {
                shared++;
            }
        }
        return shared;
    }

    /** Same session: windows [t, t + GAP) that overlap or touch are one, so no two consecutive times of the key (both streams together) between the two are more than GAP apart. */
    private static boolean sameSession(final Event a, final Event b, final List<Event> first, final List<Event> second)
    {
        final List<Long> times = new ArrayList<>();
        for (final Event e : first)
        {
            if (e.key() == a.key())
            {
                times.add(e.time());
            }
        }
        for (final Event e : second)
        {
            if (e.key() == a.key())
            {
                times.add(e.time());
            }
        }
        Collections.sort(times);
        final long lo = Math.min(a.time(), b.time());
        final long hi = Math.max(a.time(), b.time());
        for (int i = 1; i < times.size(); i++)
        {
            if (times.get(i - 1) >= lo && times.get(i) <= hi && times.get(i) - times.get(i - 1) > GAP)
            {
                return false;
            }
        }
        return true;
    }
}
