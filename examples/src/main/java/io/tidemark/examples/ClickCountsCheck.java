package io.tidemark.examples;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tidemark.log.IsolationLevel;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.consumer.Consumer;
import io.tidemark.log.consumer.ConsumerConfig;
import io.tidemark.log.consumer.ConsumerRecord;
import io.tidemark.log.consumer.OffsetReset;
import io.tidemark.log.topic.LogManager;

/**
 * The output of {@link ClickCounts} held against the same counts computed in one batch from
 * its input: how many windows the batch has, how many results a {@code read_committed}
 * reader of the output topic sees, what differs, and how many rows of the table differ.
 *
 * @param windows       the windows of the batch result.
 * @param results       the results in the output topic, retractions aside.
 * @param lostWindows   batch windows without a result of the batch count.
 * @param duplicates    results beyond the first of the same window.
 * @param unexpected    windows in the output that the batch does not have (at most once:
 *                      what is left of a session cut by a crash).
 * @param overcounted   results that count more clicks than the user made in the window:
 *                      clicks counted twice.
 * @param retractions   sessions withdrawn after they were emitted (none without late clicks).
 * @param clicks        the clicks of the input.
 * @param clicksLost    the clicks no result counts (each window counted once, by its largest
 *                      result).
 * @param unstable      records of the output topic a {@code read_committed} reader cannot see
 *                      yet, held back by a transaction left open.
 * @param tableMismatches rows of the table missing, with another count than the batch's, or
 *                      of a window the batch does not have.
 */
public record ClickCountsCheck(int windows, int results, int lostWindows, int duplicates, int unexpected, int overcounted, int retractions, long clicks,
                               long clicksLost, long unstable, int tableMismatches)
{
    /** One window's result in the output topic; a retraction has the count {@link #RETRACTION}. */
    record WindowCount(String user, long start, long end, long count)
    {
        /** The count of a retraction. */
        static final long RETRACTION = -1;

        /** @return the window without the count. */
        WindowKey key()
        {
            return new WindowKey(user, start, end);
        }
    }

    /** A user's window. */
    record WindowKey(String user, long start, long end)
    {
    }

    /**
     * @param logs     the log holding the input and output topics; the job must not be running.
     * @param settings what the job ran.
     * @return the comparison.
     * @throws SQLException if the table cannot be read.
     */
    public static ClickCountsCheck of(final LogManager logs, final ClickCounts.Settings settings) throws SQLException
    {
        final Map<String, long[]> clicks = clicksByUser(logs);
        final Map<WindowKey, Long> batch = batch(clicks, settings.windows());
        final List<WindowCount> output = new ArrayList<>();
        readToStableEnd(logs, ClickCounts.OUTPUT_TOPIC, record -> output.add(parse(record)));
        return compare(clicks, batch, output, unstable(logs, ClickCounts.OUTPUT_TOPIC), tableMismatches(table(settings.database()), batch));
    }

    /**
     * @return whether a {@code read_committed} reader sees each window of the batch exactly
     * once with the batch count, and nothing else, and the table holds exactly the batch result.
     */
    public boolean exact()
    {
        return lostWindows == 0 && duplicates == 0 && unexpected == 0 && overcounted == 0 && retractions == 0 && unstable == 0 && results == windows
            && tableMismatches == 0;
    }

    /** @return the table's rows, none if there is no database yet. */
    private static Map<WindowKey, Long> table(final Path database) throws SQLException
    {
        final Map<WindowKey, Long> rows = new HashMap<>();
        if (!Files.exists(database))
        {
            return rows;
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath());
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT user, window_start, window_end, clicks FROM " + ClickCounts.TABLE))
        {
            while (row.next())
            {
                rows.put(new WindowKey(row.getString(1), row.getLong(2), row.getLong(3)), row.getLong(4));
            }
        }
        return rows;
    }

    private static int tableMismatches(final Map<WindowKey, Long> table, final Map<WindowKey, Long> batch)
    {
        int mismatches = 0;
        for (final Map.Entry<WindowKey, Long> window : batch.entrySet())
        {
            mismatches += window.getValue().equals(table.get(window.getKey())) ? 0 : 1;
        }
        for (final WindowKey row : table.keySet())
        {
            mismatches += batch.containsKey(row) ? 0 : 1;
        }
        return mismatches;
    }

    /**
     * The batch result: each user's clicks sorted by time and cut into windows.
     *
     * @param clicks  each user's click times, sorted.
     * @param windows the windows.
     * @return the count of each window.
     */
    static Map<WindowKey, Long> batch(final Map<String, long[]> clicks, final ClickCounts.Windows windows)
    {
        final Map<WindowKey, Long> counts = new HashMap<>();
        clicks.forEach((user, times) ->
        {
            if (windows == ClickCounts.Windows.TUMBLING)
            {
                final long size = windows.sizeMillis();
                for (final long time : times)
                {
                    final long start = time - Math.floorMod(time, size);
                    counts.merge(new WindowKey(user, start, start + size), 1L, Long::sum);
                }
            }
            else
            {
                // A click within the gap of the session's last click (its window touches the session's) joins it.
                final long gap = windows.sessionGapMillis();
                int first = 0;
                for (int i = 1; i <= times.length; i++)
                {
                    if (i == times.length || times[i] > times[i - 1] + gap)
                    {
                        counts.put(new WindowKey(user, times[first], times[i - 1] + gap), (long)(i - first));
                        first = i;
                    }
                }
            }
        });
        return counts;
    }

    private static ClickCountsCheck compare(final Map<String, long[]> clicks, final Map<WindowKey, Long> batch, final List<WindowCount> output,
        final long unstable, final int tableMismatches)
    {
        final Map<WindowKey, List<Long>> results = new HashMap<>();
        int overcounted = 0;
        int retractions = 0;
        int counted = 0;
        for (final WindowCount result : output)
        {
            if (result.count() == WindowCount.RETRACTION)
            {
                retractions++;
                continue;
            }
            counted++;
            results.computeIfAbsent(result.key(), k -> new ArrayList<>()).add(result.count());
            if (result.count() > clicksIn(clicks.get(result.user()), result.start(), result.end()))
            {
                overcounted++;
            }
        }
        int lostWindows = 0;
        for (final Map.Entry<WindowKey, Long> window : batch.entrySet())
        {
            final List<Long> counts = results.get(window.getKey());
            if (counts == null || !counts.contains(window.getValue()))
            {
                lostWindows++;
            }
        }
        int duplicates = 0;
        int unexpected = 0;
        long clicksCounted = 0;
        for (final Map.Entry<WindowKey, List<Long>> window : results.entrySet())
        {
            duplicates += window.getValue().size() - 1;
            unexpected += batch.containsKey(window.getKey()) ? 0 : 1;
            clicksCounted += window.getValue().stream().mapToLong(Long::longValue).max().orElseThrow();
        }
        final long total = clicks.values().stream().mapToLong(times -> times.length).sum();
        return new ClickCountsCheck(batch.size(), counted, lostWindows, duplicates, unexpected, overcounted, retractions, total, total - clicksCounted,
            unstable, tableMismatches);
    }

    private static long clicksIn(final long[] times, final long start, final long end)
    {
        if (times == null)
        {
            return 0;
        }
        return lowerBound(times, end) - lowerBound(times, start);
    }

    /** @return the index of the first time at or after {@code time}. */
    private static int lowerBound(final long[] times, final long time)
    {
        int low = 0;
        int high = times.length;
        while (low < high)
        {
            final int middle = (low + high) >>> 1;
            if (times[middle] < time)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }

    /** Each user's click times, sorted, as a read_committed reader of the input sees them. */
    private static Map<String, long[]> clicksByUser(final LogManager logs)
    {
        final Map<String, List<Long>> times = new HashMap<>();
        readToStableEnd(logs, ClickCounts.INPUT_TOPIC, record ->
        {
            final String user = new String(record.value(), StandardCharsets.UTF_8);
            if (!user.equals(ClickCounts.END_OF_INPUT))
            {
                times.computeIfAbsent(user, u -> new ArrayList<>()).add(record.timestamp());
            }
        });
        final Map<String, long[]> sorted = new HashMap<>();
        times.forEach((user, list) ->
        {
            final long[] array = list.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(array);
            sorted.put(user, array);
        });
        return sorted;
    }

    private static WindowCount parse(final ConsumerRecord record)
    {
        final String text = new String(record.value(), StandardCharsets.UTF_8);
        final String[] fields = text.split(",");
        if (fields.length != 4)
        {
            throw new IllegalStateException("not a window count at " + record.topicPartition() + " offset " + record.offset() + ": '" + text + "'");
        }
        final long count = fields[3].equals(ClickCounts.RETRACTED) ? WindowCount.RETRACTION : Long.parseLong(fields[3]);
        return new WindowCount(fields[0], Long.parseLong(fields[1]), Long.parseLong(fields[2]), count);
    }

    /** Reads every partition of a topic with read_committed up to its last stable offset. */
    private static void readToStableEnd(final LogManager logs, final String topic, final java.util.function.Consumer<ConsumerRecord> each)
    {
        final ConsumerConfig config = ConsumerConfig.defaults().withAutoOffsetReset(OffsetReset.EARLIEST).withIsolationLevel(IsolationLevel.READ_COMMITTED);
        try (Consumer reader = new Consumer(logs, config))
        {
            final List<PartitionLog> partitions = logs.partitions(topic);
            reader.assign(partitions.stream().map(PartitionLog::topicPartition).toList());
            for (final PartitionLog partition : partitions)
            {
                while (reader.position(partition.topicPartition()) < partition.lastStableOffset())
                {
                    reader.poll(Duration.ofMillis(100)).forEach(each);
                }
            }
        }
    }

    /** @return the records of a topic behind open transactions: log end minus last stable offset, summed. */
    private static long unstable(final LogManager logs, final String topic)
    {
        return logs.partitions(topic).stream().mapToLong(p -> p.logEndOffset() - p.lastStableOffset()).sum();
    }

    @Override
    public String toString()
    {
        return String.format("%,d windows in the batch result, %,d results read_committed: %d windows lost, %,d duplicates, %d unexpected windows, "
                + "%d overcounted, %d retractions; %,d of %,d clicks lost%s", windows, results, lostWindows, duplicates, unexpected, overcounted, retractions,
            clicksLost, clicks,
            unstable == 0 ? "" : String.format("; %,d records behind an open transaction", unstable))
            + String.format("; table: %d rows differ", tableMismatches);
    }
}
