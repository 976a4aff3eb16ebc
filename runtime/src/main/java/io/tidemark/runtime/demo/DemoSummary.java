package io.tidemark.runtime.demo;

import io.tidemark.runtime.Plural;
import io.tidemark.runtime.TypedDuration;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The end of a demo run: per event-time minute, the views the generator sent, the first total
 * the job emitted and the last; late views by fate.
 *
 * @param sentPerMinute     views sent, by minute start.
 * @param totals            the job's totals, by minute start.
 * @param late              late views of the per-user windows: {updated, dropped, dead-lettered}.
 * @param totalLate         the same for the per-minute totals.
 * @param queuedWhileOffline views that waited on an offline phone.
 * @param wallTime          the run's wall time ({@link #wallTime}).
 */
public record DemoSummary(Map<Long, Long> sentPerMinute, Map<Long, DemoConsole.MinuteTotal> totals, long[] late, long[] totalLate, long queuedWhileOffline,
    TypedDuration wallTime)
{
    /**
     * @param asked      the {@code --duration} asked for.
     * @param tookMillis how long the run took.
     * @return the duration as typed if the run took that long to the second, as it does unless
     *         stopped early; else what it took, to the second.
     */
    static TypedDuration wallTime(final TypedDuration asked, final long tookMillis)
    {
        final long seconds = Math.round(tookMillis / 1000.0);
        return seconds == Math.round(asked.value().toMillis() / 1000.0) ? asked : TypedDuration.of(Duration.ofSeconds(seconds));
    }

    /**
     * @return views sent.
     */
    public long sent()
    {
        return sentPerMinute.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * @return the sum of the last total of every minute.
     */
    public long counted()
    {
        return totals.values().stream().mapToLong(m -> m.latest).sum();
    }

    /**
     * @return whether every minute's last total equals what was sent in it.
     */
    public boolean totalsMatch()
    {
        final TreeSet<Long> minutes = new TreeSet<>(sentPerMinute.keySet());
        minutes.addAll(totals.keySet());
        for (final Long minute : minutes)
        {
            final DemoConsole.MinuteTotal total = totals.get(minute);
            if (total == null || total.latest != sentPerMinute.getOrDefault(minute, 0L))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return whether every view sent is in a last total, or was dropped or dead-lettered.
     */
    public boolean everyViewAccountedFor()
    {
        return counted() + totalLate[1] + totalLate[2] == sent();
    }

    void print(final PrintWriter out)
    {
        out.println();
        DemoConsole.println(out, "summary after " + wallTime + " of wall time: "
            + Plural.of(sent(), "view") + " sent, " + queuedWhileOffline + " of them queued on an offline phone", 2);
        out.printf(Locale.ROOT, "  %-12s %10s %13s %12s %9s%n", "event minute", "sent", "first total", "last total", "updates");
        final TreeSet<Long> minutes = new TreeSet<>(sentPerMinute.keySet());
        minutes.addAll(totals.keySet());
        for (final Long minute : minutes)
        {
            final DemoConsole.MinuteTotal total = totals.get(minute);
            out.printf(Locale.ROOT, "  %-12s %,10d %,13d %,12d %,9d%n", DemoConsole.minute(minute), sentPerMinute.getOrDefault(minute, 0L),
                total == null ? 0 : total.first, total == null ? 0 : total.latest, total == null ? 0 : total.updates);
        }
        DemoConsole.println(out, String.format(Locale.ROOT, "  late views (per-user windows): %,d updated, %,d dropped, %,d dead-lettered",
            late[0], late[1], late[2]), 4);
        DemoConsole.println(out, "  every view accounted for: " + (everyViewAccountedFor() ? "yes" : "NO"), 4);
        DemoConsole.println(out, String.format(Locale.ROOT, "    %,d in the last totals + %,d dropped + %,d dead-lettered; %,d sent",
            counted(), totalLate[1], totalLate[2], sent()), 4);
        DemoConsole.println(out, "  last totals equal the views sent in every minute: "
            + (totalsMatch() ? "yes" : "no (late views were dropped or dead-lettered)"), 4);
        out.flush();
    }
}
