package io.tidemark.engine.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.functions.AggregateFunction;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.operator.OneInputOperator;
import io.tidemark.engine.operator.OperatorException;
import io.tidemark.engine.testing.OneInputOperatorHarness;
import io.tidemark.engine.time.Watermark;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * Window operators over the whole range of a {@code long}: timestamps, watermarks, sizes,
 * slides, gaps and offsets at and near both ends of time, around 0, and anywhere. Every
 * record is accounted for exactly once (in a window, late, or out of range; a record without
 * a timestamp fails with the documented error), every window emitted holds what it should
 * and nothing it should not, allowed lateness and late-update retention saturate at the end
 * of time, and the specialised operators do exactly what the general one does.
 */
class EndsOfTimeProperties
{
    private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /**
     * One input step: a record of key {@code "k" + key} at {@code time}, or a watermark
     * that advances to {@code time} if that is later than the current one.
     */
    record Step(long time, int key, boolean watermark)
    {
    }

    /** Count, earliest and latest timestamp of a window's records. */
    record Span(long count, long min, long max)
    {
    }

    /** Everything an operator did with a stream, comparable between operators. */
    record Run(List<String> results, List<Event> sideOutput, long lateDropped, long lateToSideOutput, long outOfRange, long failed, long recordsIn)
    {
    }

    /** A span aggregate; {@code merge} leaves its second argument alone, as slicing needs. */
    static final class SpanOf implements AggregateFunction<Event, long[], Span>
    {
        @Override
        public long[] createAccumulator()
        {
            return new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE};
        }

        @Override
        public long[] add(final Event value, final long[] accumulator)
        {
            accumulator[0]++;
            accumulator[1] = Math.min(accumulator[1], value.time());
            accumulator[2] = Math.max(accumulator[2], value.time());
            return accumulator;
        }

        @Override
        public Span getResult(final long[] accumulator)
        {
            return new Span(accumulator[0], accumulator[1], accumulator[2]);
        }

        @Override
        public long[] merge(final long[] a, final long[] b)
        {
            a[0] += b[0];
            a[1] = Math.min(a[1], b[1]);
            a[2] = Math.max(a[2], b[2]);
            return a;
        }
    }

    @Provide
    Arbitrary<Long> times()
    {
        return Arbitraries.oneOf(
            Arbitraries.longs().between(Long.MIN_VALUE, Long.MIN_VALUE + 100),
            Arbitraries.longs().between(Long.MAX_VALUE - 100, Long.MAX_VALUE),
            Arbitraries.longs().between(-100, 100),
            Arbitraries.longs());
    }

    @Provide
    Arbitrary<Long> lengths()
    {
        return Arbitraries.oneOf(
            Arbitraries.longs().between(1, 30),
            Arbitraries.longs().between(1, Long.MAX_VALUE),
            Arbitraries.of(7L, Long.MAX_VALUE, Long.MAX_VALUE / 2, Long.MAX_VALUE / 2 + 1, Long.MAX_VALUE - 1));
    }

    @Provide
    Arbitrary<Long> offsets()
    {
        return Arbitraries.oneOf(Arbitraries.longs().between(-30, 30), Arbitraries.longs(), Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE));
    }

    @Provide
    Arbitrary<List<Step>> steps()
    {
        final Arbitrary<Step> step = Combinators.combine(times(), Arbitraries.integers().between(0, 1), Arbitraries.of(false, false, true)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 400)
    void fixedWindowsAccountForEveryRecordAndMatchTheSlices(
        @ForAll("steps") final List<Step> steps,
        @ForAll("lengths") final long slide,
        @ForAll @IntRange(min = 0, max = 4) final int slidesPerWindow,
        @ForAll @DoubleRange(min = 0, max = 1) final double shorten,
        @ForAll("offsets") final long offset,
        @ForAll final boolean tumbling,
        @ForAll final boolean sideOutput) throws Exception
    {
        // At most five windows a record: size up to four slides, minus up to one slide (so
        // not always a multiple of it, and sometimes shorter than the slide, with gaps).
        final long whole = slidesPerWindow == 0 ? slide : slide <= Long.MAX_VALUE / slidesPerWindow ? slide * slidesPerWindow : Long.MAX_VALUE;
        final long size = Math.max(1, whole - (long)((slide - 1) * shorten));
        final WindowAssigner<Object, TimeWindow> assigner = tumbling
            ? TumblingEventTimeWindows.of(Duration.ofMillis(size), Duration.ofMillis(offset))
            : SlidingEventTimeWindows.of(Duration.ofMillis(size), Duration.ofMillis(slide), Duration.ofMillis(offset));
        final long expectedSlide = tumbling ? size : slide;
        final WindowOperatorBuilder<String, Event, TimeWindow> builder = new WindowOperatorBuilder<>(assigner);
        if (sideOutput)
        {
            builder.sideOutputLateData(OperatorRuns.LATE);
        }

        final Run general = run(() -> builder.aggregate(new SpanOf()), steps);
        assertEquals(expected(steps, size, expectedSlide, offset, sideOutput), general);
        if (builder.canAggregateInSlices())
        {
            assertEquals(general, run(() -> builder.aggregateInSlices(new SpanOf()), steps), "slices against the general operator");
        }
    }

    @Provide
    Arbitrary<Long> latenesses()
    {
        return Arbitraries.oneOf(Arbitraries.just(0L), lengths());
    }

    @Property(tries = 300)
    void allowedLatenessAndLateUpdatesNearTheEndsOfTimeAccountForEveryRecord(
        @ForAll("steps") final List<Step> steps,
        @ForAll("lengths") final long slide,
        @ForAll @IntRange(min = 1, max = 3) final int slidesPerWindow,
        @ForAll final boolean tumbling,
        @ForAll("latenesses") final long lateness,
        @ForAll @IntRange(min = 0, max = 2) final int policyKind,
        @ForAll("lengths") final long retention) throws Exception
    {
        final long size = tumbling ? slide : slide <= Long.MAX_VALUE / slidesPerWindow ? slide * slidesPerWindow : Long.MAX_VALUE;
        final WindowAssigner<Object, TimeWindow> assigner = tumbling
            ? TumblingEventTimeWindows.of(Duration.ofMillis(size))
            : SlidingEventTimeWindows.of(Duration.ofMillis(size), Duration.ofMillis(slide));
        final LateDataPolicy policy = switch (policyKind)
        {
            case 0 -> LateDataPolicy.drop();
            case 1 -> LateDataPolicy.sideOutput(OperatorRuns.LATE);
            default -> LateDataPolicy.lateUpdate(Duration.ofMillis(retention));
        };
        final var h = OneInputOperatorHarness.forKeyedOperator(new WindowOperatorBuilder<String, Event, TimeWindow>(assigner)
            .allowedLateness(Duration.ofMillis(lateness)).lateDataPolicy(policy).aggregate(new SpanOf()), Event::key);

        // The fate of each record follows from the watermark at its arrival, with lateness
        // and retention added without overflow: past the end of time is never.
        final Map<String, long[]> windows = new HashMap<>();
        long records = 0;
        long onTime = 0;
        long updated = 0;
        long late = 0;
        long outOfRange = 0;
        long failed = 0;
        long watermark = Watermark.NONE;
        for (final Step step : steps)
        {
            if (step.watermark())
            {
                watermark = feedWatermark(h, step, watermark);
                continue;
            }
            records++;
            final Event event = new Event("k" + step.key(), step.time(), 1);
            if (step.time() == Watermark.NONE)
            {
                assertThrows(OperatorException.class, () -> h.processElement(event, event.time()), "no timestamp");
                failed++;
                continue;
            }
            h.processElement(event, event.time());
            final List<BigInteger> starts = startsOf(step.time(), size, tumbling ? size : slide, 0);
            if (starts == null)
            {
                outOfRange++;
                continue;
            }
            boolean joined = false;
            boolean revised = false;
            for (final BigInteger start : starts)
            {
                final BigInteger lateAt = start.add(BigInteger.valueOf(size)).subtract(BigInteger.ONE).add(BigInteger.valueOf(lateness)).min(MAX);
                final boolean windowLate = lateAt.compareTo(BigInteger.valueOf(watermark)) <= 0;
                if (windowLate && !(policyKind == 2 && lateAt.add(BigInteger.valueOf(retention)).min(MAX).compareTo(BigInteger.valueOf(watermark)) > 0))
                {
                    continue;
                }
                joined |= !windowLate;
                revised |= windowLate;
                addTo(windows, event.key() + " " + start + " " + start.add(BigInteger.valueOf(size)), event.time());
            }
            if (joined)
            {
                onTime++;
            }
            else if (revised)
            {
                updated++;
            }
            else
            {
                late++;
            }
        }
        h.processWatermark(Watermark.END);

        final Map<String, String> lastResults = new HashMap<>();
        for (final WindowResult<String, Span> result : h.takeOutput())
        {
            lastResults.put(result.key() + " " + result.windowStart() + " " + result.windowEnd(), checked(result));
        }
        final Map<String, String> expected = new HashMap<>();
        windows.forEach((window, span) -> expected.put(window, window + " " + span[0] + " " + span[1] + " " + span[2]));
        assertEquals(expected, lastResults, "the last result of each window holds every record that joined it");
        final var m = h.metrics();
        assertEquals(records, m.recordsIn());
        assertEquals(outOfRange, m.outOfRangeRecords());
        assertEquals(updated, m.lateRecordsUpdated());
        assertEquals(late, m.lateRecordsDropped() + m.lateRecordsToSideOutput());
        assertEquals(policyKind == 1 ? late + outOfRange : 0, h.sideOutput(OperatorRuns.LATE).size());
        assertEquals(records, onTime + m.lateRecordsUpdated() + m.lateRecordsToSideOutput() + m.lateRecordsDropped() + m.outOfRangeRecords() + failed,
            "every record exactly once");
    }

    @Property(tries = 400)
    void sessionsAccountForEveryRecordAndMatchTheSessionOperator(
        @ForAll("steps") final List<Step> steps,
        @ForAll("lengths") final long gap,
        @ForAll final boolean sideOutput) throws Exception
    {
        final WindowOperatorBuilder<String, Event, TimeWindow> builder = new WindowOperatorBuilder<>(EventTimeSessionWindows.withGap(Duration.ofMillis(gap)));
        if (sideOutput)
        {
            builder.sideOutputLateData(OperatorRuns.LATE);
        }
        final Run general = run(() -> builder.aggregate(new SpanOf()), steps);
        assertEquals(general, run(() -> builder.aggregateInSessions(new SpanOf()), steps), "the session operator against the general one");

        long records = 0;
        long failed = 0;
        long outOfRange = 0;
        for (final Step step : steps)
        {
            if (!step.watermark())
            {
                records++;
                if (step.time() == Watermark.NONE)
                {
                    failed++;
                }
                else if (BigInteger.valueOf(step.time()).add(BigInteger.valueOf(gap)).compareTo(MAX) > 0)
                {
                    outOfRange++;
                }
            }
        }
        long onTime = 0;
        for (final String result : general.results())
        {
            // key [start, end) count min max
            final String[] fields = result.split(" ");
            final long start = Long.parseLong(fields[1]);
            final long end = Long.parseLong(fields[2]);
            final long count = Long.parseLong(fields[3]);
            final long min = Long.parseLong(fields[4]);
            final long max = Long.parseLong(fields[5]);
            assertTrue(start < end && start == min && max <= Long.MAX_VALUE - gap && end == max + gap, "a session is [first, last + gap): " + result);
            onTime += count;
        }
        assertEquals(records, general.recordsIn());
        assertEquals(failed, general.failed());
        assertEquals(outOfRange, general.outOfRange());
        assertEquals(records, onTime + general.lateDropped() + general.lateToSideOutput() + outOfRange + failed, "every record exactly once: " + general);
        assertEquals(sideOutput ? general.lateToSideOutput() + outOfRange : 0, general.sideOutput().size());
    }

    @Provide
    Arbitrary<Long> longIntervals()
    {
        // At most 16 multiples in the whole range, so that a watermark jump fires a few times, not billions.
        return Arbitraries.oneOf(Arbitraries.longs().between(1L << 60, Long.MAX_VALUE), Arbitraries.of(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2 + 1, Long.MAX_VALUE));
    }

    @Property(tries = 300)
    void theGlobalWindowFiresEarlyOnlyAtTimesThatExist(
        @ForAll("steps") final List<Step> steps,
        @ForAll("longIntervals") final long interval) throws Exception
    {
        final var h = OneInputOperatorHarness.forKeyedOperator(new WindowOperatorBuilder<String, Event, GlobalWindow>(GlobalWindows.create())
            .trigger(ContinuousEventTimeTrigger.of(Duration.ofMillis(interval))).aggregate(AggregateFunctions.<Event>count()), Event::key);
        // Per key: records so far, the pending early firing (the next multiple of the interval
        // after the first record since the last one, if before the end of time), and whether
        // the final firing at the end of time is pending.
        final Map<String, Long> counts = new HashMap<>();
        final Map<String, BigInteger> pending = new HashMap<>();
        final Map<String, Boolean> finalPending = new HashMap<>();
        final BigInteger step = BigInteger.valueOf(interval);
        long watermark = Watermark.NONE;
        for (final Step input : steps)
        {
            final List<String> expected = new ArrayList<>();
            if (input.watermark())
            {
                if (input.time() <= watermark)
                {
                    continue;
                }
                watermark = input.time();
                final BigInteger now = BigInteger.valueOf(watermark);
                for (final Map.Entry<String, BigInteger> entry : pending.entrySet())
                {
                    // Each early firing schedules the next, a multiple of the interval later.
                    BigInteger due = entry.getValue();
                    while (due != null && due.compareTo(now) <= 0)
                    {
                        expected.add(entry.getKey() + " " + counts.get(entry.getKey()));
                        final BigInteger next = due.add(step);
                        due = next.compareTo(MAX) < 0 ? next : null;
                    }
                    entry.setValue(due);
                }
                if (watermark == Watermark.END)
                {
                    finalPending.forEach((key, due) -> expected.add(key + " " + counts.get(key)));
                    finalPending.clear();
                }
                h.processWatermark(watermark);
            }
            else
            {
                final String key = "k" + input.key();
                h.processElement(new Event(key, input.time(), 1), input.time());
                counts.merge(key, 1L, Long::sum);
                if (watermark == Watermark.END)
                {
                    expected.add(key + " " + counts.get(key));
                }
                else
                {
                    finalPending.put(key, true);
                    if (pending.get(key) == null)
                    {
                        final BigInteger time = BigInteger.valueOf(input.time());
                        final BigInteger next = time.subtract(time.mod(step)).add(step);
                        pending.put(key, next.compareTo(MAX) < 0 ? next : null);
                    }
                }
            }
            final List<String> actual = new ArrayList<>();
            h.takeOutput().forEach(result -> actual.add(result.key() + " " + result.value()));
            expected.sort(null);
            actual.sort(null);
            assertEquals(expected, actual, "firings after " + input + " at watermark " + watermark);
        }
    }

    /**
     * Runs an operator over the steps: records (a record without a timestamp must fail with
     * the documented error, and change nothing), then the final watermark.
     */
    private static Run run(final Supplier<OneInputOperator<Event, WindowResult<String, Span>>> operators, final List<Step> steps) throws Exception
    {
        final var h = OneInputOperatorHarness.forKeyedOperator(operators.get(), Event::key);
        long watermark = Watermark.NONE;
        long failed = 0;
        final List<String> results = new ArrayList<>();
        for (final Step step : steps)
        {
            if (step.watermark())
            {
                watermark = feedWatermark(h, step, watermark);
                continue;
            }
            try
            {
                h.processElement(new Event("k" + step.key(), step.time(), 1), step.time());
            }
            catch (final OperatorException e)
            {
                assertTrue(step.time() == Watermark.NONE && e.getCause() instanceof IllegalStateException, "only a record without timestamp fails: " + e);
                failed++;
            }
        }
        h.processWatermark(Watermark.END);
        for (final WindowResult<String, Span> result : h.takeOutput())
        {
            if (result.retraction())
            {
                // A session that merged into another after it fired: its row is withdrawn, its records count in the merged one.
                final String window = result.key() + " " + result.windowStart() + " " + result.windowEnd() + " ";
                assertTrue(results.removeIf(earlier -> earlier.startsWith(window)), "a retraction withdraws a result emitted before it: " + result);
            }
            else
            {
                results.add(checked(result));
            }
        }
        results.sort(null);
        final var m = h.metrics();
        return new Run(results, h.sideOutput(OperatorRuns.LATE), m.lateRecordsDropped(), m.lateRecordsToSideOutput(), m.outOfRangeRecords(), failed, m.recordsIn());
    }

    /**
     * @return the watermark after the step: the harness gets it only if it moves on.
     */
    private static long feedWatermark(final OneInputOperatorHarness<Event, ?> h, final Step step, final long watermark)
    {
        if (step.time() <= watermark)
        {
            return watermark;
        }
        h.processWatermark(step.time());
        return step.time();
    }

    /**
     * @return the result as "key start end count min max", once checked to be a window that
     * holds its records.
     */
    private static String checked(final WindowResult<String, Span> result)
    {
        final Span span = result.value();
        assertTrue(result.windowStart() < result.windowEnd() && result.windowStart() <= span.min() && span.max() < result.windowEnd(),
            "a window holds its records: " + result);
        return result.key() + " " + result.windowStart() + " " + result.windowEnd() + " " + span.count() + " " + span.min() + " " + span.max();
    }

    /** Adds a record at {@code time} to the expected span of a window ("key start end"). */
    private static void addTo(final Map<String, long[]> windows, final String window, final long time)
    {
        final long[] span = windows.computeIfAbsent(window, w -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
        span[0]++;
        span[1] = Math.min(span[1], time);
        span[2] = Math.max(span[2], time);
    }

    /**
     * What the general operator must do with fixed windows, computed without {@code long}
     * arithmetic: a record's windows are every {@code [s, s + size)} with
     * {@code s = offset (mod slide)} that holds it; it is out of range if one of them leaves
     * the range of a long, late if all of them have ended at the watermark.
     */
    private static Run expected(final List<Step> steps, final long size, final long slide, final long offset, final boolean sideOutput)
    {
        final Map<String, long[]> windows = new HashMap<>();
        final List<Event> side = new ArrayList<>();
        long late = 0;
        long outOfRange = 0;
        long failed = 0;
        long records = 0;
        long watermark = Watermark.NONE;
        for (final Step step : steps)
        {
            if (step.watermark())
            {
                watermark = Math.max(watermark, step.time());
                continue;
            }
            records++;
            final Event event = new Event("k" + step.key(), step.time(), 1);
            if (step.time() == Watermark.NONE)
            {
                failed++;
                continue;
            }
            final List<BigInteger> starts = startsOf(step.time(), size, slide, offset);
            if (starts == null)
            {
                outOfRange++;
                if (sideOutput)
                {
                    side.add(event);
                }
                continue;
            }
            boolean joined = false;
            for (final BigInteger start : starts)
            {
                final long end = start.longValueExact() + size;
                if (end - 1 > watermark)
                {
                    joined = true;
                    addTo(windows, event.key() + " " + start + " " + end, event.time());
                }
            }
            if (!joined)
            {
                late++;
                if (sideOutput)
                {
                    side.add(event);
                }
            }
        }
        final List<String> results = new ArrayList<>();
        windows.forEach((window, span) -> results.add(window + " " + span[0] + " " + span[1] + " " + span[2]));
        results.sort(null);
        return new Run(results, side, sideOutput ? 0 : late, sideOutput ? late : 0, outOfRange, failed, records);
    }

    /**
     * @return the starts of the windows that hold {@code time}, or null if one of them does
     * not fit in a long.
     */
    private static List<BigInteger> startsOf(final long time, final long size, final long slide, final long offset)
    {
        final BigInteger t = BigInteger.valueOf(time);
        final BigInteger step = BigInteger.valueOf(slide);
        final BigInteger latest = t.subtract(t.subtract(BigInteger.valueOf(offset)).mod(step));
        final List<BigInteger> starts = new ArrayList<>();
        for (BigInteger start = latest; start.compareTo(t.subtract(BigInteger.valueOf(size))) > 0; start = start.subtract(step))
        {
            if (start.compareTo(MIN) < 0 || start.add(BigInteger.valueOf(size)).compareTo(MAX) > 0)
            {
                return null;
            }
            starts.add(start);
        }
        return starts;
    }
}
