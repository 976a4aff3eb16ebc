package io.tidemark.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.functions.JoinFunction;
import io.tidemark.engine.graph.StreamNode;
import io.tidemark.engine.operator.OneInputOperator;
import io.tidemark.engine.sink.CollectSink;
import io.tidemark.engine.source.CollectionSource;
import io.tidemark.engine.testing.OneInputOperatorHarness;
import io.tidemark.engine.time.Watermark;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.EventTimeSessionWindows;
import io.tidemark.engine.window.SlidingEventTimeWindows;
import io.tidemark.engine.window.TimeWindow;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.engine.window.WindowAssigner;
import io.tidemark.engine.window.WindowOperator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The window join as a job at parallelism 2 against a nested-loop join over the same events,
 * as multisets: random keys and timestamps on both streams, out of order within the
 * watermark's bound (so no record is late), for tumbling, sliding and session windows.
 *
 * <p>A session that has fired is final (a join cannot withdraw its pairs): a record at its
 * end that comes once the watermark has reached its last millisecond opens a session of its
 * own, as in Flink, so which pairs a session join makes depends on the watermark each record
 * meets. In a job that depends on how the inputs' threads interleave; so the job's pairs must
 * each be a pair of the sessions of all records, made at most once, and the job's window
 * operator, fed the records in the order they were made with the watermark after each, must
 * make exactly the pairs of sessions computed by the same rule.
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
        throws Exception
    {
        check(Kind.TUMBLING, seed, count, bound);
    }

    @Property(tries = 8)
    void sliding(@ForAll final long seed, @ForAll @IntRange(min = 0, max = 60) final int count, @ForAll @IntRange(min = 0, max = 12) final int bound)
        throws Exception
    {
        check(Kind.SLIDING, seed, count, bound);
    }

    @Property(tries = 8)
    void sessions(@ForAll final long seed, @ForAll @IntRange(min = 0, max = 60) final int count, @ForAll @IntRange(min = 0, max = 12) final int bound)
        throws Exception
    {
        check(Kind.SESSION, seed, count, bound);
    }

    /** A record at the end of a session that the watermark just fired: it opens a session of its own, and no pair comes twice. */
    @Example
    void aSessionThatFiredIsFinal() throws Exception
    {
        check(Kind.SESSION, 30387, 28, 1);
    }

    private static void check(final Kind kind, final long seed, final int count, final int bound) throws Exception
    {
        final Random random = new Random(seed);
        final List<Event> first = new ArrayList<>();
        final List<Event> second = new ArrayList<>();
        final List<TaggedUnion<Event, Event>> arrivals = new ArrayList<>();
        long clock = 0;
        for (int i = 0; i < count; i++)
        {
            clock += random.nextInt(3);
            final Event event = new Event(random.nextInt(3), clock - random.nextInt(bound + 1), i);
            if (random.nextBoolean())
            {
                first.add(event);
                arrivals.add(TaggedUnion.one(event));
            }
            else
            {
                second.add(event);
                arrivals.add(TaggedUnion.two(event));
            }
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
        final List<String> byWatermark = kind == Kind.SESSION ? inOrder(windowOperator(env), arrivals, bound) : null;
        env.execute("window join " + kind);
        final List<String> actual = new ArrayList<>(sink.results());
        final List<String> expected = nestedLoop(kind, first, second);
        Collections.sort(actual);
        Collections.sort(expected);
        if (kind != Kind.SESSION)
        {
            assertEquals(expected, actual);
            return;
        }
        final List<String> missing = new ArrayList<>(expected);
        for (final String pair : actual)
        {
            assertTrue(missing.remove(pair), () -> "the job made " + pair + " more often than the sessions of all records have it: " + actual);
        }
        final List<String> expectedByWatermark = sessionsByWatermark(arrivals, bound);
        Collections.sort(byWatermark);
        Collections.sort(expectedByWatermark);
        assertEquals(expectedByWatermark, byWatermark);
    }

    /** @return a new instance of the job's window operator, the one the join runs on. */
    @SuppressWarnings("unchecked")
    private static OneInputOperator<TaggedUnion<Event, Event>, String> windowOperator(final StreamExecutionEnvironment env)
    {
        for (final StreamNode node : env.graph().nodes())
        {
            if (!node.isSource() && !node.isSink() && node.createOperator() instanceof WindowOperator<?, ?, ?, ?, ?> window)
            {
                return (OneInputOperator<TaggedUnion<Event, Event>, String>)(OneInputOperator<?, ?>)window;
            }
        }
        throw new AssertionError("the join has no window operator");
    }

    /** @return the pairs the operator makes of the records in arrival order, the punctuated watermark after each. */
    private static List<String> inOrder(final OneInputOperator<TaggedUnion<Event, Event>, String> operator, final List<TaggedUnion<Event, Event>> arrivals,
        final int bound) throws Exception
    {
        final OneInputOperatorHarness<TaggedUnion<Event, Event>, String> harness = OneInputOperatorHarness.forKeyedOperator(operator, a -> event(a).key());
        long watermark = Watermark.NONE;
        for (final TaggedUnion<Event, Event> arrival : arrivals)
        {
            harness.processElement(arrival, event(arrival).time());
            watermark = Math.max(watermark, event(arrival).time() - bound - 1);
            harness.processWatermark(watermark);
        }
        harness.processWatermark(Watermark.END);
        return harness.takeOutput();
    }

    /**
     * Sessions by Flink's rule, driven by the watermark as {@link #inOrder} drives the operator:
     * a key's session fires, and is final, when the watermark reaches its last millisecond; a
     * record merges only with the sessions still open that its window overlaps or touches.
     */
    private static List<String> sessionsByWatermark(final List<TaggedUnion<Event, Event>> arrivals, final int bound)
    {
        final List<String> pairs = new ArrayList<>();
        final List<Session> open = new ArrayList<>();
        long watermark = Watermark.NONE;
        for (final TaggedUnion<Event, Event> arrival : arrivals)
        {
            final Event event = event(arrival);
            final Session merged = new Session(event.key(), event.time(), event.time() + GAP);
            merged.add(arrival);
            for (final Iterator<Session> it = open.iterator(); it.hasNext(); )
            {
                final Session session = it.next();
                if (session.key == merged.key && session.start <= merged.end && merged.start <= session.end)
                {
                    merged.absorb(session);
                    it.remove();
                }
            }
            open.add(merged);
            watermark = Math.max(watermark, event.time() - bound - 1);
            fire(open, watermark, pairs);
        }
        fire(open, Watermark.END, pairs);
        return pairs;
    }

    private static void fire(final List<Session> open, final long watermark, final List<String> pairs)
    {
        for (final Iterator<Session> it = open.iterator(); it.hasNext(); )
        {
            final Session session = it.next();
            if (session.end - 1 <= watermark)
            {
                for (final Event a : session.ones)
                {
                    for (final Event b : session.twos)
                    {
                        pairs.add(a.id() + "-" + b.id());
                    }
                }
                it.remove();
            }
        }
    }

    private static Event event(final TaggedUnion<Event, Event> arrival)
    {
        return arrival.isOne() ? arrival.getOne() : arrival.getTwo();
    }

    /** A key's session [start, end) and its records by side. */
    private static final class Session
    {
        private final int key;
        private long start;
        private long end;
        private final List<Event> ones = new ArrayList<>();
        private final List<Event> twos = new ArrayList<>();

        Session(final int key, final long start, final long end)
        {
            this.key = key;
            this.start = start;
            this.end = end;
        }

        void add(final TaggedUnion<Event, Event> arrival)
        {
            if (arrival.isOne())
            {
                ones.add(arrival.getOne());
            }
            else
            {
                twos.add(arrival.getTwo());
            }
        }

        void absorb(final Session other)
        {
            start = Math.min(start, other.start);
            end = Math.max(end, other.end);
            ones.addAll(other.ones);
            twos.addAll(other.twos);
        }
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
