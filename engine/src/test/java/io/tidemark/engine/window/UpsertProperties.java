package io.tidemark.engine.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tidemark.engine.operator.OneInputOperator;
import io.tidemark.engine.testing.OneInputOperatorHarness;
import io.tidemark.engine.window.BatchWindows.CountAndSum;
import io.tidemark.engine.window.BatchWindows.WindowKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The emitted results applied to a table as upserts and deletes keyed by
 * {@code (key, start, end)}, as an upsert sink applies them, end equal to the batch answer
 * over every record, for random streams whose records arrive out of order and behind the
 * watermark, but never by more than the allowed lateness (plus the retention under late
 * updates): every window kind, every operator that computes it, every late-data policy.
 */
class UpsertProperties
{
    /** Which operator computes the windows. */
    enum Kind
    {
        /** Session windows in the general operator, with lateness. */
        SESSION,
        /** Session windows in the array-based session operator, with lateness. */
        SESSION_FAST,
        /** Tumbling windows in the general operator, with lateness. */
        TUMBLING,
        /** Hopping windows in the general operator, with lateness. */
        SLIDING,
        /** Hopping windows in slices, with lateness. */
        SLIDING_SLICED,
        /** The global window, firing at every record. */
        GLOBAL
    }

    @Property(tries = 300)
    void appliedAsUpsertsAndDeletesTheResultsEqualTheBatchAnswer(
        @ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 300) final int count,
        @ForAll @LongRange(min = 0, max = 3_000) final long bound,
        @ForAll @LongRange(min = 0, max = 3_000) final long lateness,
        @ForAll @IntRange(min = 0, max = 2) final int policyKind,
        @ForAll @LongRange(min = 1, max = 3_000) final long retention,
        @ForAll final Kind kind,
        @ForAll final boolean coarse) throws Exception
    {
        // Times, bound, lateness and sizes in multiples of half a second: records then meet
        // the ends of fired sessions and windows exactly.
        final int grain = coarse ? 500 : 1;
        final boolean global = kind == Kind.GLOBAL;
        final long allowedLateness = global ? 0 : lateness / grain * grain;
        final LateDataPolicy policy = switch (policyKind)
        {
            case 0 -> LateDataPolicy.drop();
            case 1 -> LateDataPolicy.sideOutput(OperatorRuns.LATE);
            default -> global ? LateDataPolicy.drop() : LateDataPolicy.lateUpdate(Duration.ofMillis(Math.max(grain, retention / grain * grain)));
        };
        final long extra = policy.kind() == LateDataPolicy.Kind.LATE_UPDATE ? policy.retentionMillis() : 0;
        // Records arrive at most bound + lateness (+ retention) after their time, and the
        // watermark trails the largest time seen by bound + 1: none is later than allowed.
        final long watermarkBound = bound / grain * grain;
        final List<WindowProperties.Arrival> arrivals = WindowProperties.stream(seed, count, watermarkBound + allowedLateness + extra, grain);
        final long size = (1_000 + Math.floorMod(seed, 4_000)) / grain * grain;
        final OneInputOperator<Event, WindowResult<String, List<Long>>> operator = operator(kind, size, allowedLateness, policy);
        final var h = OneInputOperatorHarness.forKeyedOperator(operator, Event::key);
        final Map<WindowKey, List<Long>> table = new HashMap<>();
        long maxSeen = Long.MIN_VALUE;
        for (final WindowProperties.Arrival arrival : arrivals)
        {
            h.processElement(arrival.event(), arrival.event().time());
            maxSeen = Math.max(maxSeen, arrival.event().time());
            h.processWatermark(maxSeen - watermarkBound - 1);
            apply(h.takeOutput(), table);
        }
        h.processWatermark(Long.MAX_VALUE);
        apply(h.takeOutput(), table);

        final Map<WindowKey, List<Long>> expected = switch (kind)
        {
            case SESSION, SESSION_FAST -> BatchWindows.sessions(WindowProperties.events(arrivals), size);
            case TUMBLING -> BatchWindows.sliding(WindowProperties.events(arrivals), size, size);
            case SLIDING, SLIDING_SLICED -> BatchWindows.sliding(WindowProperties.events(arrivals), 3 * size, size);
            case GLOBAL -> BatchWindows.global(WindowProperties.events(arrivals));
        };
        assertEquals(expected, table);
        assertEquals(0, h.metrics().lateRecordsDropped() + h.sideOutput(OperatorRuns.LATE).size(), "no record is later than allowed");
    }

    private static OneInputOperator<Event, WindowResult<String, List<Long>>> operator(final Kind kind, final long size, final long lateness,
        final LateDataPolicy policy)
    {
        final Duration length = Duration.ofMillis(size);
        return switch (kind)
        {
            case SESSION -> configured(EventTimeSessionWindows.withGap(length), lateness, policy).aggregate(new CountAndSum());
            case SESSION_FAST -> configured(EventTimeSessionWindows.withGap(length), lateness, policy).aggregateInSessions(new CountAndSum());
            case TUMBLING -> configured(TumblingEventTimeWindows.of(length), lateness, policy).aggregate(new CountAndSum());
            case SLIDING -> configured(SlidingEventTimeWindows.of(length.multipliedBy(3), length), lateness, policy).aggregate(new CountAndSum());
            case SLIDING_SLICED -> configured(SlidingEventTimeWindows.of(length.multipliedBy(3), length), lateness, policy)
                .aggregateInSlices(new CountAndSum());
            case GLOBAL -> new WindowOperatorBuilder<String, Event, GlobalWindow>(GlobalWindows.create()).trigger(CountTrigger.of(1))
                .aggregate(new CountAndSum());
        };
    }

    private static WindowOperatorBuilder<String, Event, TimeWindow> configured(final WindowAssigner<Object, TimeWindow> assigner, final long lateness,
        final LateDataPolicy policy)
    {
        return new WindowOperatorBuilder<String, Event, TimeWindow>(assigner).allowedLateness(Duration.ofMillis(lateness)).lateDataPolicy(policy);
    }

    /** Upserts each result's row, deletes the row of each retraction, which must exist. */
    private static void apply(final List<WindowResult<String, List<Long>>> results, final Map<WindowKey, List<Long>> table)
    {
        for (final WindowResult<String, List<Long>> result : results)
        {
            final WindowKey row = new WindowKey(result.key(), result.windowStart(), result.windowEnd());
            if (result.retraction())
            {
                assertNull(result.value(), "a retraction carries no value");
                assertNotNull(table.remove(row), "a retraction withdraws a row that was emitted: " + result);
            }
            else
            {
                table.put(row, result.value());
            }
        }
    }
}
