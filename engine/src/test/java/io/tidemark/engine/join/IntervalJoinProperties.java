package io.tidemark.engine.join;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.ProcessJoinFunction;
import io.tidemark.engine.testing.TwoInputOperatorHarness;
import io.tidemark.engine.time.Watermark;
import io.tidemark.engine.window.LateDataPolicy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The interval join against a nested-loop join over the same events, as multisets: random keys
 * and timestamps on both sides, intervals narrower and wider than the operator looks up one
 * timestamp at a time, arriving out of order within a bound, with a watermark of
 * (largest timestamp seen - bound) after every record, so none is late; and optionally a
 * snapshot and restore into a new operator half way. At the end the state is empty.
 */
class IntervalJoinProperties
{
    /** An event of either side. */
    record Event(int key, long time, int id) implements java.io.Serializable
    {
    }

    /** Emits "leftId-rightId@timestamp". */
    static final class Pairs extends ProcessJoinFunction<Event, Event, String>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(final Event left, final Event right, final Context ctx, final Collector<String> out)
        {
            out.collect(left.id() + "-" + right.id() + "@" + ctx.getTimestamp());
        }
    }

    @Property(tries = 200)
    void outputEqualsTheNestedLoopJoin(@ForAll final long seed, @ForAll @IntRange(min = 0, max = 80) final int count, @ForAll @LongRange(min = -30, max = 10) final long lower,
        @ForAll @LongRange(min = 0, max = 100) final long width, @ForAll @IntRange(min = 0, max = 20) final int bound, @ForAll final boolean restoreHalfway) throws Exception
    {
        final long upper = lower + width;
        final Random random = new Random(seed);
        final List<Event> events = new ArrayList<>();
        final List<Boolean> sides = new ArrayList<>();
        long clock = 0;
        for (int i = 0; i < count; i++)
        {
            clock += random.nextInt(4);
            events.add(new Event(random.nextInt(3), clock - random.nextInt(bound + 1), i));
            sides.add(random.nextBoolean());
        }
        var h = harness(lower, upper);
        final List<String> output = new ArrayList<>();
        long maxSeen = Long.MIN_VALUE;
        for (int i = 0; i < count; i++)
        {
            final Event e = events.get(i);
            if (sides.get(i))
            {
                h.processElement1(e, e.time());
            }
            else
            {
                h.processElement2(e, e.time());
            }
            maxSeen = Math.max(maxSeen, e.time());
            h.processWatermark(maxSeen - bound - 1);
            if (restoreHalfway && i == count / 2)
            {
                final byte[] snapshot = h.snapshot();
                output.addAll(h.takeOutput());
                h = harness(lower, upper);
                h.restore(snapshot);
            }
        }
        h.processWatermark(Watermark.END);
        output.addAll(h.takeOutput());
        assertEquals(0, h.metrics().lateRecordsDropped(), "the watermark's bound keeps every record on time");

        final List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < count; j++)
            {
                final Event a = events.get(i);
                final Event b = events.get(j);
                if (sides.get(i) && !sides.get(j) && a.key() == b.key() && a.time() + lower <= b.time() && b.time() <= a.time() + upper)
                {
                    expected.add(a.id() + "-" + b.id() + "@" + Math.max(a.time(), b.time()));
                }
            }
        }
        Collections.sort(expected);
        Collections.sort(output);
        assertEquals(expected, output);
        assertEquals(0, ((IntervalJoinOperator<?, ?, ?, ?>)h.operator()).bufferedEntries(), "the final watermark clears every buffer and timer");
    }

    static TwoInputOperatorHarness<Event, Event, String> harness(final long lower, final long upper) throws Exception
    {
        return TwoInputOperatorHarness.forKeyedOperator(new IntervalJoinOperator<Integer, Event, Event, String>(lower, upper, LateDataPolicy.drop(), LateDataPolicy.drop(), new Pairs()),
            Event::key, Event::key);
    }
}
