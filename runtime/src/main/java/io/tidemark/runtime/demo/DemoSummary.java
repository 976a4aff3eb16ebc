package io.tidemark.runtime.demo;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
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
 * @param seconds           the run's wall time.
 */
public record DemoSummary(Map<Long, Long> sentPerMinute, Map<Long, DemoConsole.MinuteTotal> totals, long[] late, long[] totalLate, long queuedWhileOffline, double seconds)
{
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

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
        out.printf(Locale.ROOT, "summary after %.0f s: %,d views sent (%,d of them waited on an offline phone)%n", seconds, sent(), queuedWhileOffline);
        out.printf(Locale.ROOT, "  %-7s %10s %14s %12s %9s%n", "minute", "sent", "first total", "last total", "updates");
        final TreeSet<Long> minutes = new TreeSet<>(sentPerMinute.keySet());
        minutes.addAll(totals.keySet());
        for (final Long minute : minutes)
        {
            final DemoConsole.MinuteTotal total = totals.get(minute);
            out.printf(Locale.ROOT, "  %-7s %,10d %,14d %,12d %9d%n", MINUTE.format(Instant.ofEpochMilli(minute)), sentPerMinute.getOrDefault(minute, 0L),
                total == null ? 0 : total.first, total == null ? 0 : total.latest, total == null ? 0 : total.updates);
        }
        out.printf(Locale.ROOT, "  late views (per-user windows): %,d updated, %,d dropped, %,d dead-lettered%n", late[0], late[1], late[2]);
        out.printf(Locale.ROOT, "  every view accounted for: %s (%,d in the last totals + %,d dropped + %,d dead-lettered; %,d sent)%n",
            everyViewAccountedFor() ? "yes" : "NO", counted(), totalLate[1], totalLate[2], sent());
        out.printf(Locale.ROOT, "  last totals equal the views sent in every minute: %s%n", totalsMatch() ? "yes" : "no (late views were dropped or dead-lettered)");
        out.flush();
    }
}
