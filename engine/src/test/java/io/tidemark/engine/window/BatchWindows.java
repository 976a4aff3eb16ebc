package io.tidemark.engine.window;

import io.tidemark.engine.functions.AggregateFunction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Windows computed in one batch over all events, the answer that streamed window results
 * are checked against: per key and window, the count and the sum of the values.
 */
public final class BatchWindows
{
    /**
     * Which window, for which key.
     *
     * @param key   the key.
     * @param start the window's start; {@link Long#MIN_VALUE} for the global window.
     * @param end   the window's end; {@link Long#MAX_VALUE} for the global window.
     */
    public record WindowKey(String key, long start, long end)
    {
    }

    /** Counts and sums in one pass, so that both are checked. */
    public static final class CountAndSum implements AggregateFunction<Event, long[], List<Long>>
    {
        @Override
        public long[] createAccumulator()
        {
            return new long[2];
        }

        @Override
        public long[] add(final Event value, final long[] accumulator)
        {
            accumulator[0]++;
            accumulator[1] += value.value();
            return accumulator;
        }

        @Override
        public List<Long> getResult(final long[] accumulator)
        {
            return List.of(accumulator[0], accumulator[1]);
        }

        @Override
        public long[] merge(final long[] a, final long[] b)
        {
            a[0] += b[0];
            a[1] += b[1];
            return a;
        }
    }

    private BatchWindows()
    {
    }

    /**
     * @param events the events.
     * @param size   the windows' size.
     * @param slide  their slide; the size for tumbling windows.
     * @return count and sum of every tumbling or hopping window.
     */
    public static Map<WindowKey, List<Long>> sliding(final List<Event> events, final long size, final long slide)
    {
        final Map<WindowKey, long[]> sums = new HashMap<>();
        for (final Event event : events)
        {
            for (long start = Math.floorDiv(event.time(), slide) * slide; start > event.time() - size; start -= slide)
            {
                add(sums, new WindowKey(event.key(), start, start + size), event);
            }
        }
        return results(sums);
    }

    /**
     * @param events the events.
     * @param gap    the session gap: windows that overlap or touch are one session.
     * @return count and sum of every session.
     */
    public static Map<WindowKey, List<Long>> sessions(final List<Event> events, final long gap)
    {
        final Map<String, List<Event>> byKey = new HashMap<>();
        events.forEach(e -> byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e));
        final Map<WindowKey, long[]> sums = new HashMap<>();
        byKey.forEach((key, ofKey) ->
        {
            ofKey.sort(Comparator.comparingLong(Event::time));
            final List<Event> session = new ArrayList<>();
            long end = Long.MIN_VALUE;
            for (final Event event : ofKey)
            {
                if (!session.isEmpty() && event.time() > end)
                {
                    addSession(sums, key, session, end);
                    session.clear();
                }
                session.add(event);
                end = Math.max(end, event.time() + gap);
            }
            addSession(sums, key, session, end);
        });
        return results(sums);
    }

    /**
     * @param events the events.
     * @return count and sum of each key's global window.
     */
    public static Map<WindowKey, List<Long>> global(final List<Event> events)
    {
        final Map<WindowKey, long[]> sums = new HashMap<>();
        events.forEach(e -> add(sums, new WindowKey(e.key(), Long.MIN_VALUE, Long.MAX_VALUE), e));
        return results(sums);
    }

    private static void addSession(final Map<WindowKey, long[]> sums, final String key, final List<Event> session, final long end)
    {
        final WindowKey window = new WindowKey(key, session.get(0).time(), end);
        session.forEach(e -> add(sums, window, e));
    }

    private static void add(final Map<WindowKey, long[]> sums, final WindowKey window, final Event event)
    {
        final long[] sum = sums.computeIfAbsent(window, w -> new long[2]);
        sum[0]++;
        sum[1] += event.value();
    }

    private static Map<WindowKey, List<Long>> results(final Map<WindowKey, long[]> sums)
    {
        final Map<WindowKey, List<Long>> results = new HashMap<>();
        sums.forEach((window, sum) -> results.put(window, List.of(sum[0], sum[1])));
        return results;
    }
}
