package io.tidemark.runtime.demo;

import io.tidemark.engine.window.WindowResult;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * What the demo shows: window results gathered from the job's result topics and printed once a
 * second, a few lines per window rather than a line per result (totals, and the top users),
 * marked as on time or as a late update; and the per-minute totals kept for the summary.
 *
 * <p>A user's first result for a window that was already shown is late too: that user's
 * views all came after the window fired for everyone else (within the allowed lateness), so
 * the engine emits a first result, not an update; it is printed as late, not as on time.
 */
final class DemoConsole
{
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter PRECISE = DateTimeFormatter.ofPattern("HH:mm:ss.S").withZone(ZoneId.systemDefault());

    private final Queue<WindowResult<String, Long>> userResults = new ConcurrentLinkedQueue<>();
    private final Queue<WindowResult<String, Long>> totalResults = new ConcurrentLinkedQueue<>();
    private final Map<Long, MinuteTotal> minutes = new TreeMap<>();
    /** Starts of the per-user windows already printed. */
    private final Set<Long> shownUserWindows = new HashSet<>();
    private final PrintWriter out;
    private final boolean sessions;

    /** The per-minute total as first emitted and as last revised. */
    static final class MinuteTotal
    {
        long first;
        long latest;
        int updates;
    }

    DemoConsole(final PrintWriter out, final boolean sessions)
    {
        this.out = out;
        this.sessions = sessions;
    }

    /**
     * @param result a per-user window result, to print at the next {@link #printResults}.
     */
    void addPerUser(final WindowResult<String, Long> result)
    {
        userResults.add(result);
    }

    /**
     * @param result a per-minute total, to print at the next {@link #printResults}.
     */
    void addTotal(final WindowResult<String, Long> result)
    {
        totalResults.add(result);
    }

    /**
     * Prints what arrived since the last call.
     */
    void printResults()
    {
        // Revisions of one minute within one second are printed as one line.
        final Map<Long, long[]> revised = new TreeMap<>();
        WindowResult<String, Long> total;
        while ((total = totalResults.poll()) != null)
        {
            final MinuteTotal minute = minutes.computeIfAbsent(total.windowStart(), start -> new MinuteTotal());
            if (total.update())
            {
                minute.updates++;
                revised.computeIfAbsent(total.windowStart(), start -> new long[] {minute.latest, 0})[1]++;
            }
            else
            {
                minute.first = total.value();
                out.printf(Locale.ROOT, "%s  on time      minute %s  total %,d views%n", CLOCK.format(Instant.now()), span(total), total.value());
            }
            minute.latest = total.value();
        }
        for (final Map.Entry<Long, long[]> entry : revised.entrySet())
        {
            final long latest = minutes.get(entry.getKey()).latest;
            out.printf(Locale.ROOT, "%s  LATE UPDATE  minute %s  total %,d views (+%,d in %d updates)%n", CLOCK.format(Instant.now()),
                minuteSpan(entry.getKey()), latest, latest - entry.getValue()[0], entry.getValue()[1]);
        }
        final List<WindowResult<String, Long>> onTime = new ArrayList<>();
        final List<WindowResult<String, Long>> lateFirsts = new ArrayList<>();
        final List<WindowResult<String, Long>> updates = new ArrayList<>();
        WindowResult<String, Long> result;
        while ((result = userResults.poll()) != null)
        {
            if (result.update())
            {
                updates.add(result);
            }
            else
            {
                (!sessions && shownUserWindows.contains(result.windowStart()) ? lateFirsts : onTime).add(result);
            }
        }
        printPerUser(onTime);
        if (!sessions)
        {
            onTime.forEach(window -> shownUserWindows.add(window.windowStart()));
        }
        if (!lateFirsts.isEmpty())
        {
            final WindowResult<String, Long> example = lateFirsts.get(lateFirsts.size() - 1);
            out.printf(Locale.ROOT, "%s  LATE FIRST   per user: %d user%s counted late in a window already shown, e.g. %s %s: %d%n",
                CLOCK.format(Instant.now()), lateFirsts.size(), lateFirsts.size() == 1 ? "" : "s", example.key(), span(example), example.value());
        }
        if (!updates.isEmpty())
        {
            final WindowResult<String, Long> example = updates.get(updates.size() - 1);
            out.printf(Locale.ROOT, "%s  LATE UPDATE  per user: %d %s revised, e.g. %s %s now %d%n", CLOCK.format(Instant.now()), updates.size(),
                sessions ? "sessions" : "windows", example.key(), span(example), example.value());
        }
    }

    private void printPerUser(final List<WindowResult<String, Long>> onTime)
    {
        if (onTime.isEmpty())
        {
            return;
        }
        if (sessions)
        {
            final WindowResult<String, Long> longest = onTime.stream().max(Comparator.comparingLong(WindowResult::value)).orElseThrow();
            out.printf(Locale.ROOT, "%s  on time      sessions: %d closed, busiest %s with %d views (%s)%n", CLOCK.format(Instant.now()), onTime.size(),
                longest.key(), longest.value(), span(longest));
            return;
        }
        final Map<Long, List<WindowResult<String, Long>>> byWindow = onTime.stream()
            .collect(Collectors.groupingBy(WindowResult::windowStart, TreeMap::new, Collectors.toList()));
        for (final List<WindowResult<String, Long>> window : byWindow.values())
        {
            final String top = window.stream().sorted(Comparator.comparingLong(WindowResult<String, Long>::value).reversed()
                    .thenComparing(WindowResult::key)).limit(3)
                .map(r -> r.key() + " " + r.value()).collect(Collectors.joining(", "));
            out.printf(Locale.ROOT, "%s  on time      per user %s  %d user%s, top: %s%n", CLOCK.format(Instant.now()), span(window.get(0)), window.size(),
                window.size() == 1 ? "" : "s", top);
        }
    }

    /**
     * Prints the status line.
     *
     * @param watermark   the per-user operator's watermark.
     * @param newestEvent the newest event time sent.
     * @param generator   the generator's clock.
     * @param sent        views sent.
     * @param late        late views: updated, dropped, dead-lettered.
     */
    void printStatus(final long watermark, final long newestEvent, final long generator, final long sent, final long[] late)
    {
        final String behind = watermark == Long.MIN_VALUE || newestEvent == Long.MIN_VALUE ? "" :
            String.format(Locale.ROOT, " (watermark %.1f s behind)", (newestEvent - watermark) / 1000.0);
        out.printf(Locale.ROOT, "%s  status       watermark %s | newest event %s%s | event clock %s | views %,d | late: %,d updated, %,d dropped, %,d dead-lettered%n",
            CLOCK.format(Instant.now()), time(watermark), time(newestEvent), behind, time(generator), sent, late[0], late[1], late[2]);
    }

    /**
     * @return every minute's totals so far, by minute start.
     */
    Map<Long, MinuteTotal> minutes()
    {
        return minutes;
    }

    static String time(final long millis)
    {
        return millis == Long.MIN_VALUE ? "none yet" : millis == Long.MAX_VALUE ? "end" : PRECISE.format(Instant.ofEpochMilli(millis));
    }

    private static String minuteSpan(final long start)
    {
        return CLOCK.format(Instant.ofEpochMilli(start)) + "-" + CLOCK.format(Instant.ofEpochMilli(start + 60_000));
    }

    static String span(final WindowResult<?, ?> result)
    {
        return CLOCK.format(Instant.ofEpochMilli(result.windowStart())) + "-" + CLOCK.format(Instant.ofEpochMilli(result.windowEnd()));
    }
}
