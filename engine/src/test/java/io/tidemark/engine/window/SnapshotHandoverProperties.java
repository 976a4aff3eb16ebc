package io.tidemark.engine.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemark.engine.checkpoint.OperatorSnapshot;
import io.tidemark.engine.functions.KeySelector;
import io.tidemark.engine.operator.OneInputOperator;
import io.tidemark.engine.testing.OneInputOperatorHarness;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * The copy-on-write handover of the array window operators: what {@code snapshot(id)}
 * captures on the task thread and writes later on the checkpoint writer's thread is, byte for
 * byte, what {@code snapshotState} writes at the moment of the handover, however the operator
 * goes on (records that grow, merge and open sessions or slices, watermarks that fire and
 * discard them, later handovers).
 */
class SnapshotHandoverProperties
{
    private static final KeySelector<Event, Long> LONG_KEY = e -> (long)e.key().hashCode();

    /** Which array operator. */
    enum Kind
    {
        /** Slices of tumbling windows. */
        TUMBLING,
        /** Slices of hopping windows. */
        HOPPING,
        /** Sessions. */
        SESSIONS
    }

    /** A handover and the bytes {@code snapshotState} wrote at that moment. */
    private record Handover(OperatorSnapshot snapshot, byte[] expected)
    {
    }

    @Property(tries = 200)
    void aSnapshotWrittenLaterHasTheBytesOfTheStateAtTheHandover(
        @ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 300) final int count,
        @ForAll @LongRange(min = 0, max = 3_000) final long bound,
        @ForAll @LongRange(min = 1, max = 5_000) final long length,
        @ForAll @IntRange(min = 1, max = 6) final int keys,
        @ForAll final boolean longKeys,
        @ForAll final Kind kind,
        @ForAll final WindowProperties.Aggregate aggregate,
        @ForAll @IntRange(min = 1, max = 4) final int handovers) throws Exception
    {
        final List<Event> arrivals = OperatorRuns.outOfOrder(seed, count, keys, bound);
        final OneInputOperator<Event, ?> operator = operator(kind, length, aggregate);
        final var h = OneInputOperatorHarness.forKeyedOperator(operator, longKeys ? LONG_KEY : Event::key);
        final Random random = new Random(seed);
        final List<Handover> taken = new ArrayList<>();
        long maxSeen = Long.MIN_VALUE;
        for (final Event event : arrivals)
        {
            if (taken.size() < handovers && random.nextInt(count) < handovers)
            {
                taken.add(new Handover(operator.snapshot(taken.size() + 1), h.snapshot()));
            }
            h.processElement(event, event.time());
            maxSeen = Math.max(maxSeen, event.time());
            h.processWatermark(maxSeen - bound - 1);
        }
        taken.add(new Handover(operator.snapshot(taken.size() + 1), h.snapshot()));
        h.processWatermark(Long.MAX_VALUE);
        for (final Handover handover : taken)
        {
            assertArrayEquals(handover.expected(), written(handover.snapshot()));
        }
    }

    @Test
    void anAccumulatorMutatedAfterTheHandoverDoesNotLeakIntoTheSnapshot() throws Exception
    {
        for (final Kind kind : Kind.values())
        {
            final OneInputOperator<Event, ?> operator = operator(kind, 10_000, WindowProperties.Aggregate.COUNT_AND_SUM);
            final var h = OneInputOperatorHarness.forKeyedOperator(operator, Event::key);
            h.processElement(new Event("a", 1_000, 5), 1_000);
            final byte[] before = h.snapshot();
            final OperatorSnapshot snapshot = operator.snapshot(1);
            // The object accumulator {count, sum} is mutated in place by add.
            h.processElement(new Event("a", 2_000, 7), 2_000);
            assertArrayEquals(before, written(snapshot), kind + ": the snapshot holds one record, not two");

            final var restored = OneInputOperatorHarness.forKeyedOperator(operator(kind, 10_000, WindowProperties.Aggregate.COUNT_AND_SUM), Event::key);
            restored.restore(written(snapshot));
            restored.processWatermark(Long.MAX_VALUE);
            final List<?> results = restored.takeOutput();
            assertEquals(kind == Kind.HOPPING ? 3 : 1, results.size(), kind + ": " + results);
            for (final Object result : results)
            {
                assertEquals(List.of(1L, 5L), ((WindowResult<?, ?>)result).value(), kind + ": every window holds the one record before the handover");
            }
        }
    }

    private static OneInputOperator<Event, ?> operator(final Kind kind, final long length, final WindowProperties.Aggregate aggregate)
    {
        return switch (kind)
        {
            case TUMBLING -> new WindowOperatorBuilder<Object, Event, TimeWindow>(TumblingEventTimeWindows.of(Duration.ofMillis(length)))
                .aggregateInSlices(aggregate.newFunction());
            case HOPPING -> new WindowOperatorBuilder<Object, Event, TimeWindow>(SlidingEventTimeWindows.of(Duration.ofMillis(3 * length), Duration.ofMillis(length)))
                .aggregateInSlices(aggregate.newFunction());
            case SESSIONS -> new WindowOperatorBuilder<Object, Event, TimeWindow>(EventTimeSessionWindows.withGap(Duration.ofMillis(length)))
                .aggregateInSessions(aggregate.newFunction());
        };
    }

    private static byte[] written(final OperatorSnapshot snapshot) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        snapshot.writeTo(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }
}
