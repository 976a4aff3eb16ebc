package io.tidemark.engine.window;

import io.tidemark.engine.functions.KeySelector;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.operator.OneInputOperator;
import io.tidemark.engine.testing.OneInputOperatorHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Runs a window operator over a random out-of-order stream and reduces what it did to a
 * comparable {@link Outcome}: how the specialised operators are checked against the general
 * {@link WindowOperator}, and against themselves restored from a snapshot taken midway.
 */
final class OperatorRuns
{
    /** The side output of late records. */
    static final OutputTag<Event> LATE = new OutputTag<>("late");

    private OperatorRuns()
    {
    }

    /**
     * What an operator made of a stream: its results and late records, sorted, and its
     * counters (late records dropped, windows fired, late updates, windows missed by records
     * on time for others).
     */
    record Outcome(List<String> results, List<String> late, long dropped, long firings, long updated, long missed)
    {
    }

    /**
     * @param kind      0 drop, 1 side output {@link #LATE}, else late updates.
     * @param retention the late updates' retention in milliseconds.
     * @return the late-data policy.
     */
    static LateDataPolicy policy(final int kind, final long retention)
    {
        return switch (kind)
        {
            case 0 -> LateDataPolicy.drop();
            case 1 -> LateDataPolicy.sideOutput(LATE);
            default -> LateDataPolicy.lateUpdate(Duration.ofMillis(retention));
        };
    }

    /**
     * @param seed  the random seed.
     * @param count the number of events.
     * @param keys  the number of distinct keys.
     * @param bound the watermark's bound: events arrive up to three times it plus four
     *              seconds late, so some are late and some bridge sessions.
     * @return the events in arrival order.
     */
    static List<Event> outOfOrder(final long seed, final int count, final int keys, final long bound)
    {
        final Random random = new Random(seed);
        final List<Event> events = new ArrayList<>();
        final List<Long> arrival = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final long time = random.nextInt(60_000) - 10_000;
            events.add(new Event("k" + random.nextInt(keys), time, random.nextInt(100)));
            arrival.add(time + (long)(random.nextDouble() * (3 * bound + 4_000)));
        }
        final List<Integer> order = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            order.add(i);
        }
        order.sort(Comparator.comparing(arrival::get));
        return order.stream().map(events::get).toList();
    }

    /**
     * Feeds every event, then a watermark at {@code max seen - bound - 1}, and a final
     * watermark at the end of time; at event {@code snapshotAt} the operator is snapshotted
     * and the run goes on in a fresh operator restored from it.
     *
     * @param operators  makes the operator (twice if there is a snapshot).
     * @param keys       the key selector.
     * @param arrivals   the events in arrival order.
     * @param bound      the watermark's bound.
     * @param snapshotAt where to snapshot and restore, or -1 for never.
     * @param <K>        the key type.
     * @param <OUT>      the output type.
     * @return the outcome.
     * @throws Exception if the operator fails.
     */
    static <K, OUT> Outcome run(final Supplier<OneInputOperator<Event, OUT>> operators, final KeySelector<Event, K> keys, final List<Event> arrivals,
        final long bound, final int snapshotAt) throws Exception
    {
        final List<String> results = new ArrayList<>();
        final List<String> late = new ArrayList<>();
        long dropped = 0;
        long firings = 0;
        long updated = 0;
        long missed = 0;
        var h = OneInputOperatorHarness.forKeyedOperator(operators.get(), keys);
        long maxSeen = Long.MIN_VALUE;
        for (int i = 0; i < arrivals.size(); i++)
        {
            if (i == snapshotAt)
            {
                final byte[] snapshot = h.snapshot();
                h.takeOutput().forEach(r -> results.add(r.toString()));
                h.sideOutput(LATE).forEach(r -> late.add(r.toString()));
                dropped += h.metrics().lateRecordsDropped();
                firings += h.metrics().windowFirings();
                updated += h.metrics().lateRecordsUpdated();
                missed += h.metrics().lateWindowsMissed();
                h = OneInputOperatorHarness.forKeyedOperator(operators.get(), keys);
                h.restore(snapshot);
            }
            final Event event = arrivals.get(i);
            h.processElement(event, event.time());
            maxSeen = Math.max(maxSeen, event.time());
            h.processWatermark(maxSeen - bound - 1);
        }
        h.processWatermark(Long.MAX_VALUE);
        h.takeOutput().forEach(r -> results.add(r.toString()));
        h.sideOutput(LATE).forEach(r -> late.add(r.toString()));
        results.sort(null);
        late.sort(null);
        return new Outcome(results, late, dropped + h.metrics().lateRecordsDropped(), firings + h.metrics().windowFirings(),
            updated + h.metrics().lateRecordsUpdated(), missed + h.metrics().lateWindowsMissed());
    }
}
