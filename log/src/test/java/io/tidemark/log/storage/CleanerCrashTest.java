package io.tidemark.log.storage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A child JVM ({@link CleaningChild}) appends rounds of every key and cleans after each, and is
 * killed with SIGKILL at a random moment, in the middle of a cleaning round more often than not;
 * the log then opens whole: every key's latest value is there, from the same round, no earlier
 * than the last acknowledged one, and every record read sits at the offset it was written at.
 *
 * <p>Set {@code -Dtidemark.crash.seed=N} to replay the kill timings; the seed is in every message.
 */
@Timeout(value = 150, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CleanerCrashTest
{
    private static final int KILLS = 6;

    @TempDir
    Path dir;

    @Test
    void aKillAtAnyPointOfACleaningRoundLosesNoKeysLatestValueAndMovesNoOffset() throws Exception
    {
        final long seed = Long.getLong("tidemark.crash.seed", System.nanoTime());
        final Random random = new Random(seed);
        final Path partition = dir.resolve("partition");
        long lastAcked = -1;
        for (int kill = 0; kill < KILLS; kill++)
        {
            final String where = "seed " + seed + ", kill " + kill;
            final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            final Process process = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), CleaningChild.class.getName(), partition.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
            try
            {
                final BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                final int acksBeforeKill = 1 + random.nextInt(8);
                for (int i = 0; i < acksBeforeKill; i++)
                {
                    final String line = lines.readLine();
                    assertTrue(line != null && line.startsWith("ACK "), "the child acknowledged a round; " + where + ": " + line);
                    lastAcked = Long.parseLong(line.substring(4));
                }
                // Somewhere in the roll, the cleaning round or the next append.
                Thread.sleep(random.nextInt(30));
                assertTrue(process.toHandle().destroyForcibly(), "SIGKILL sent; " + where);
                assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the child died; " + where);
                for (String line = lines.readLine(); line != null; line = lines.readLine())
                {
                    lastAcked = Long.parseLong(line.substring(4));
                }
            }
            finally
            {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            check(partition, lastAcked, where);
        }
    }

    private static void check(final Path partition, final long lastAcked, final String where)
    {
        try (SegmentedLog log = SegmentedLog.open(CleaningChild.TP, partition, CleaningChild.config(), SystemEpochClock.INSTANCE))
        {
            final List<LogFixtures.Stored> records = CompactionFixtures.readFromStart(log);
            final Map<String, Long> latestRound = new HashMap<>();
            long previous = -1;
            for (final LogFixtures.Stored record : records)
            {
                final long round = CleaningChild.roundOf(record.value());
                final int key = Integer.parseInt(record.key().substring(4));
                assertEquals(round * CleaningChild.KEYS + key, record.offset(), "the record keeps its offset; " + where);
                assertEquals(CleaningChild.value(round, key), record.value(), where);
                assertTrue(record.offset() > previous, "offsets increase; " + where);
                previous = record.offset();
                latestRound.merge(record.key(), round, Math::max);
            }
            assertEquals(CleaningChild.KEYS, latestRound.size(), "every key is there; " + where);
            final long newest = latestRound.values().iterator().next();
            for (final Map.Entry<String, Long> entry : latestRound.entrySet())
            {
                assertEquals(newest, entry.getValue(), "every key's latest value is from the last round written; " + where + ": " + entry);
            }
            assertTrue(newest >= lastAcked, "the last acknowledged round " + lastAcked + " is there, found " + newest + "; " + where);
            assertEquals((newest + 1) * CleaningChild.KEYS, log.logEndOffset(), where);
        }
    }
}
