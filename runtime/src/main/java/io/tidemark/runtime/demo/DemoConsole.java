package io.tidemark.runtime.demo;

import io.tidemark.engine.api.Durations;
import io.tidemark.engine.window.WindowResult;
import io.tidemark.runtime.Plural;
import io.tidemark.runtime.TerminalText;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * What the demo shows: window results gathered from the job's result topics and printed once a
 * second, a few lines per window rather than a line per result (totals, and the top users),
 * marked as on time or as a late update; and the per-minute totals kept for the summary.
 *
 * <p>Every line fits 80 columns ({@link TerminalText}). Two clocks appear side by side and
 * are never confused: a second's block starts with the wall clock ({@code wall 12:00:03}),
 * and every time a view or window carries is labelled as event time ({@code event 10:04:55}).
 *
 * <p>A user's first result for a window that was already shown is late too: that user's
 * views all came after the window fired for everyone else (within the allowed lateness), so
 * the engine emits a first result, not an update; it is printed as late, not as on time. The
 * job's parallel subtasks fire one window at nearly the same moment, but their results can
 * straddle two polls of the result topics: first results within {@link #SAME_FIRING_MILLIS}
 * of the window's first shown result belong to the same firing and are on time.
 */
final class DemoConsole
{
    /** Where the text after a line's tag starts: {@code "wall 12:00:03  "} and {@code "  LATE UPDATE  "}. */
    static final int INDENT = 15;

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter PRECISE = DateTimeFormatter.ofPattern("HH:mm:ss.S").withZone(ZoneId.systemDefault());
    private static final int TOP_USERS = 3;
    /** How long after a window was first shown its other first results still count as on time, wall ms. */
    static final long SAME_FIRING_MILLIS = 2_000;

    private final Queue<WindowResult<String, Long>> userResults = new ConcurrentLinkedQueue<>();
    private final Queue<WindowResult<String, Long>> totalResults = new ConcurrentLinkedQueue<>();
    private final Map<Long, MinuteTotal> minutes = new TreeMap<>();
    /** Starts of the per-user windows already printed, and when (wall ms) they first were. */
    private final Map<Long, Long> shownUserWindows = new HashMap<>();
    private final PrintWriter out;
    private final boolean sessions;
    private final LongSupplier wallClock;

    /** The per-minute total as first emitted and as last revised. */
    static final class MinuteTotal
    {
        long first;
        long latest;
        int updates;
    }

    DemoConsole(final PrintWriter out, final boolean sessions)
    {
        this(out, sessions, System::currentTimeMillis);
    }

    /**
     * @param out       where to print.
     * @param sessions  whether the per-user windows are sessions.
     * @param wallClock the wall clock, ms, which tells a late first result from one of the same
     *                  firing polled a little later.
     */
    DemoConsole(final PrintWriter out, final boolean sessions, final LongSupplier wallClock)
    {
        this.out = out;
        this.sessions = sessions;
        this.wallClock = wallClock;
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
     * Prints a line of text, broken to fit 80 columns.
     *
     * @param line   the text.
     * @param indent spaces before its continuation lines.
     */
    void println(final String line, final int indent)
    {
        println(out, line, indent);
    }

    /**
     * @param out    where.
     * @param line   the text, broken to fit 80 columns.
     * @param indent spaces before its continuation lines.
     */
    static void println(final PrintWriter out, final String line, final int indent)
    {
        TerminalText.wrap(line, indent).forEach(out::println);
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
                result("on time", span(total) + " total: " + Plural.of(total.value(), "view"));
            }
            minute.latest = total.value();
        }
        for (final Map.Entry<Long, long[]> entry : revised.entrySet())
        {
            final long latest = minutes.get(entry.getKey()).latest;
            result("LATE UPDATE", span(entry.getKey(), entry.getKey() + 60_000) + " total: " + Plural.of(latest, "view")
                + String.format(Locale.ROOT, " (%+,d in %s)", latest - entry.getValue()[0], Plural.of(entry.getValue()[1], "update")));
        }
        final List<WindowResult<String, Long>> onTime = new ArrayList<>();
        final List<WindowResult<String, Long>> lateFirsts = new ArrayList<>();
        final List<WindowResult<String, Long>> updates = new ArrayList<>();
        final List<WindowResult<String, Long>> retractions = new ArrayList<>();
        WindowResult<String, Long> result;
        while ((result = userResults.poll()) != null)
        {
            if (result.retraction())
            {
                // A late view bridged this session and another: the merged session's result follows.
                retractions.add(result);
            }
            else if (result.update())
            {
                updates.add(result);
            }
            else
            {
                final Long shown = shownUserWindows.get(result.windowStart());
                (!sessions && shown != null && wallClock.getAsLong() - shown > SAME_FIRING_MILLIS ? lateFirsts : onTime).add(result);
            }
        }
        printPerUser(onTime);
        if (!sessions)
        {
            final long now = wallClock.getAsLong();
            onTime.forEach(window -> shownUserWindows.putIfAbsent(window.windowStart(), now));
        }
        if (!lateFirsts.isEmpty())
        {
            final WindowResult<String, Long> example = lateFirsts.get(lateFirsts.size() - 1);
            result("LATE FIRST", Plural.of(lateFirsts.size(), "user") + " first counted late; " + example.key() + ", " + span(example) + ": "
                + Plural.of(example.value(), "view"));
        }
        if (!retractions.isEmpty())
        {
            final WindowResult<String, Long> example = retractions.get(retractions.size() - 1);
            result("LATE UPDATE", Plural.of(retractions.size(), "session") + " merged away; " + example.key() + ", " + span(example));
        }
        if (!updates.isEmpty())
        {
            final WindowResult<String, Long> example = updates.get(updates.size() - 1);
            result("LATE UPDATE", (sessions ? Plural.of(updates.size(), "session") : Plural.of(updates.size(), "window")) + " revised; "
                + example.key() + ", " + span(example) + ": now " + Plural.of(example.value(), "view"));
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
            final WindowResult<String, Long> busiest = onTime.stream().max(Comparator.comparingLong(WindowResult::value)).orElseThrow();
            result("on time", Plural.of(onTime.size(), "session") + " closed; " + busiest.key() + ", " + span(busiest) + ": "
                + Plural.of(busiest.value(), "view"));
            return;
        }
        final Map<Long, List<WindowResult<String, Long>>> byWindow = onTime.stream()
            .collect(Collectors.groupingBy(WindowResult::windowStart, TreeMap::new, Collectors.toList()));
        for (final List<WindowResult<String, Long>> window : byWindow.values())
        {
            final List<WindowResult<String, Long>> busiest = window.stream()
                .sorted(Comparator.comparingLong(WindowResult<String, Long>::value).reversed().thenComparing(WindowResult::key))
                .limit(TOP_USERS).toList();
            // As many of the busiest users as fit on the line, at least one.
            // The rest of a firing already shown in part (see the class comment).
            final String users = shownUserWindows.containsKey(window.get(0).windowStart())
                ? Plural.of(window.size(), "more user") : Plural.of(window.size(), "user");
            final StringBuilder line = new StringBuilder(span(window.get(0)) + " per user: " + users + "; top ");
            for (int i = 0; i < busiest.size(); i++)
            {
                final String user = (i == 0 ? "" : ", ") + busiest.get(i).key() + " " + busiest.get(i).value();
                if (i > 0 && INDENT + line.length() + user.length() > TerminalText.COLUMNS)
                {
                    break;
                }
                line.append(user);
            }
            result("on time", line.toString());
        }
    }

    /**
     * Prints the status, which starts the second's block of lines: the wall clock, the
     * per-user operator's watermark against the newest event time sent, views sent and late.
     *
     * @param watermark   the per-user operator's watermark.
     * @param newestEvent the newest event time sent.
     * @param sent        views sent.
     * @param late        late views: updated, dropped, dead-lettered.
     */
    void printStatus(final long watermark, final long newestEvent, final long sent, final long[] late)
    {
        println(wall() + "  watermark " + time(watermark) + ", newest " + time(newestEvent), INDENT);
        final List<String> fates = new ArrayList<>();
        final String[] names = {"updated", "dropped", "dead-lettered"};
        for (int i = 0; i < names.length; i++)
        {
            if (late[i] != 0)
            {
                fates.add(Plural.of(late[i], "late view") + " " + names[i]);
            }
        }
        final String behind = watermark == Long.MIN_VALUE || newestEvent == Long.MIN_VALUE || watermark == Long.MAX_VALUE ? "" :
            Durations.format(Duration.ofMillis(Math.round((newestEvent - watermark) / 100.0) * 100)) + " behind; ";
        println(" ".repeat(INDENT) + behind + Plural.of(sent, "view") + " sent; " + (fates.isEmpty() ? "0 late views" : String.join(", ", fates)),
            INDENT);
    }

    /**
     * @return every minute's totals so far, by minute start.
     */
    Map<Long, MinuteTotal> minutes()
    {
        return minutes;
    }

    /**
     * @return the wall clock now, labelled.
     */
    static String wall()
    {
        return "wall " + CLOCK.format(Instant.now());
    }

    /**
     * @param millis an event time, or {@link Long#MIN_VALUE} for none yet.
     * @return it to a tenth of a second, labelled as event time.
     */
    static String time(final long millis)
    {
        return millis == Long.MIN_VALUE ? "none yet" : millis == Long.MAX_VALUE ? "at the end" : "event " + PRECISE.format(Instant.ofEpochMilli(millis));
    }

    /**
     * @param minute the start of an event-time minute.
     * @return it as {@code 10:04}.
     */
    static String minute(final long minute)
    {
        return MINUTE.format(Instant.ofEpochMilli(minute));
    }

    static String span(final WindowResult<?, ?> result)
    {
        return span(result.windowStart(), result.windowEnd());
    }

    /**
     * @return the window labelled as event time, in minutes when it starts and ends on one.
     */
    private static String span(final long start, final long end)
    {
        final DateTimeFormatter format = start % 60_000 == 0 && end % 60_000 == 0 ? MINUTE : CLOCK;
        return "event " + format.format(Instant.ofEpochMilli(start)) + "-" + format.format(Instant.ofEpochMilli(end));
    }

    private void result(final String tag, final String text)
    {
        println(String.format(Locale.ROOT, "  %-13s%s", tag, text), INDENT);
    }
}
