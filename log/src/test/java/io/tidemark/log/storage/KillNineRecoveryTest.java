package io.tidemark.log.storage;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves the durability promise of {@code flush.messages=1} against a real crash: a child JVM
 * appends and acknowledges, is killed with SIGKILL at a random moment, and the reopened log
 * must hold every acknowledged record, in order, with nothing invalid served. Repeated on the
 * same directory, so recovery also runs over the leftovers of earlier crashes.
 */
class KillNineRecoveryTest
{
    private static final int ROUNDS = 10;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedRecordSurvivesKillNine() throws Exception
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        long acknowledged = -1;
        for (int round = 0; round < ROUNDS; round++)
        {
            final int acksBeforeKill = 20 + random.nextInt(400);
            final Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), KillNineAppender.class.getName(), dir.toString(),
                Long.toString(random.nextLong()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)))
            {
                final String open = out.readLine();
                assertTrue(open != null && open.startsWith("OPEN "), "child opened the log (seed " + seed + "): " + open);
                assertEquals(acknowledged + 1, Long.parseLong(open.substring(5)), "the child found every acknowledged record (seed " + seed + ")");
                // Reading blocks until the child prints: the acks pace the test, no sleeping.
                for (int acks = 0; acks < acksBeforeKill; acks++)
                {
                    final String line = out.readLine();
                    assertTrue(line != null && line.startsWith("ACK "), "child is appending (seed " + seed + "): " + line);
                    acknowledged = Long.parseLong(line.substring(4));
                }
                child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no flush
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                assertEquals(137, child.exitValue(), "killed by signal 9");
            }

            try (SegmentedLog log = SegmentedLog.open(new TopicPartition("crash", 0), dir,
                LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.SEGMENT_BYTES, "65536", LogConfig.INDEX_INTERVAL_BYTES, "1024")),
                SystemEpochClock.INSTANCE))
            {
                final String context = "round " + round + ", seed " + seed + ", report " + log.recoveryReport();
                assertTrue(log.logEndOffset() > acknowledged, "acknowledged " + acknowledged + ", log end " + log.logEndOffset() + "; " + context);
                final List<LogFixtures.Stored> records = LogFixtures.readAll(log, 0);
                assertEquals(log.logEndOffset(), records.size(), context);
                for (int i = 0; i < records.size(); i++)
                {
                    assertEquals(i, records.get(i).offset(), context);
                    assertEquals("v" + i, records.get(i).value(), context);
                }
                // What the kill cut beyond the last ack is the child's next batch, never more.
                acknowledged = log.logEndOffset() - 1;
            }
        }
    }
}
