package io.tidemark.log.storage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.tidemark.log.LogSlice;
import io.tidemark.log.RecoveryReport;
import io.tidemark.log.record.RecordBatchCursor;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Proves the durability promise of {@code flush.messages=1} against real crashes: a child JVM
 * ({@link AppendingChild}) appends and acknowledges, is killed with SIGKILL at a random moment,
 * and the reopened log must hold every acknowledged record, in order and without gaps or
 * duplicates, serve nothing that fails its CRC, and report any cut it made in a well-formed
 * way. The rounds run on the same directory, so each recovery also runs over what the
 * earlier crashes and recoveries left, across many segment rolls.
 *
 * <p>Set {@code -Dtidemark.crash.seed=N} to replay a failing run; the seed is in every message.
 */
@Timeout(value = 150, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CrashRecoveryTest
{
    private static final int ROUNDS = 6;
    private static final int MIN_ACKS = 20;
    private static final int MAX_ACKS = 400;
    private static final int MAX_BATCH = 20;
    private static final long ROUND_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path root;

    @Test
    void everyAcknowledgedRecordSurvivesRepeatedKillNine() throws Exception
    {
        final long seed = Long.getLong("tidemark.crash.seed", System.nanoTime());
        final Random random = new Random(seed);
        final Path dir = root.resolve("partition");
        final TreeMap<Long, Long> acknowledged = new TreeMap<>(); // last offset of an append -> its last sequence
        long logEnd = 0; // as the parent last saw it
        int truncationsSeen = 0;
        int acksAfterKill = 0;

        for (int round = 0; round < ROUNDS; round++)
        {
            final int acksBeforeKill = MIN_ACKS + random.nextInt(MAX_ACKS - MIN_ACKS + 1);
            final Path stderr = root.resolve("child-" + round + ".err");
            final String where = "seed " + seed + ", round " + round + " (kill after " + acksBeforeKill + " acks)";
            final Supplier<String> context = () -> where + ", child stderr: " + read(stderr);
            final long deadline = System.nanoTime() + ROUND_DEADLINE_NANOS;

            final Child child = Child.start(dir, random.nextLong(), stderr);
            try
            {
                final String open = child.nextLine(deadline);
                assertNotNull(open, () -> "the child did not open the log in time: " + context.get());
                final String[] opened = open.split(" ");
                assertEquals("OPEN", opened[0], context);
                assertEquals(logEnd, Long.parseLong(opened[1]), () -> "the child sees the log end the parent left; " + context.get());
                assertEquals(logEnd, Long.parseLong(opened[2]), () -> "the child continues the sequence; " + context.get());
                assertEquals(0, Integer.parseInt(opened[3]), () -> "a cleanly closed log needs no cut; " + context.get());

                long next = logEnd;
                for (int acks = 0; acks < acksBeforeKill; acks++)
                {
                    final String line = child.nextLine(deadline);
                    final int seen = acks;
                    assertNotNull(line, () -> "the child stopped acknowledging after " + seen + " acks: " + context.get());
                    next = acknowledge(line, next, acknowledged, where);
                }

                child.kill(deadline, where);
                // Whole lines the child printed before it died were acknowledgements too.
                for (final String line : child.remainingLines(deadline))
                {
                    next = acknowledge(line, next, acknowledged, where);
                    acksAfterKill++;
                }
            }
            finally
            {
                child.destroy();
            }

            final long lastAcknowledged = acknowledged.isEmpty() ? -1 : acknowledged.lastKey();
            try (SegmentedLog log = SegmentedLog.open(AppendingChild.TP, dir, AppendingChild.config(), SystemEpochClock.INSTANCE))
            {
                final String state = where + ", last ack " + lastAcknowledged + ", report " + log.recoveryReport() + ", log " + log;
                truncationsSeen += checkReport(log, dir, state);

                final long end = log.logEndOffset();
                assertEquals(0, log.logStartOffset(), state);
                assertTrue(lastAcknowledged < end, () -> "an acknowledged record was lost; " + state);
                assertTrue(end - (lastAcknowledged + 1) <= MAX_BATCH,
                    () -> "more survived than the one append in flight at the kill; " + state);

                final List<LogFixtures.Stored> records = LogFixtures.readAll(log, 0);
                assertEquals(end, records.size(), state);
                for (int i = 0; i < records.size(); i++)
                {
                    final LogFixtures.Stored record = records.get(i);
                    final int offset = i;
                    assertEquals(i, record.offset(), () -> "offsets are contiguous from 0; " + state);
                    assertEquals(AppendingChild.value(i), record.value(), () -> "the value at offset " + offset + "; " + state);
                    assertEquals("k" + i, record.key(), () -> "the key at offset " + offset + "; " + state);
                }
                acknowledged.forEach((offset, sequence) -> assertEquals(AppendingChild.value(sequence), records.get((int)(long)offset).value(),
                    () -> "acknowledged offset " + offset + "; " + state));
                checkMappedReads(log, state);
                assertEquals(0, log.read(end, 1024).sizeInBytes(), state);
                logEnd = end;
            }
        }

        final long segments;
        try (Stream<Path> files = Files.list(dir))
        {
            segments = files.filter(f -> Segment.parseBaseOffset(f.getFileName().toString()) >= 0).count();
        }
        assertTrue(segments >= 2, "the log rolled during the test (seed " + seed + "): " + segments + " segments");
        assertTrue(acknowledged.size() >= ROUNDS * MIN_ACKS, "seed " + seed);
        System.out.printf("CrashRecoveryTest: seed %d, %d rounds, %d acks (%d read after the kill), %d records, %d segments, %d torn tails cut%n",
            seed, ROUNDS, acknowledged.size(), acksAfterKill, logEnd, segments, truncationsSeen);
    }

    /**
     * Parses one {@code ACK first last lastSequence} line, checks that it continues the
     * offsets and that the sequence tracks the offset, and records it.
     *
     * @return the offset the next acknowledgement must start at.
     */
    private static long acknowledge(final String line, final long expectedFirst, final TreeMap<Long, Long> acknowledged, final String where)
    {
        final String[] parts = line.split(" ");
        assertEquals(4, parts.length, () -> "a whole ACK line: '" + line + "', " + where);
        assertEquals("ACK", parts[0], where);
        final long first = Long.parseLong(parts[1]);
        final long last = Long.parseLong(parts[2]);
        final long lastSequence = Long.parseLong(parts[3]);
        assertEquals(expectedFirst, first, () -> "acknowledged offsets are contiguous: " + line + ", " + where);
        assertTrue(last >= first && last - first < MAX_BATCH, () -> line + ", " + where);
        assertEquals(last, lastSequence, () -> "the child's sequence equals the offset: " + line + ", " + where);
        acknowledged.put(last, lastSequence);
        return last + 1;
    }

    /**
     * Checks that the recovery report is well formed: a kill can only tear the tail of the
     * last segment (sealed ones were forced before the roll), and a cut names that segment,
     * keeps exactly the bytes left in its file, and drops from the new log end.
     *
     * @return how many cuts were reported.
     */
    private static int checkReport(final SegmentedLog log, final Path dir, final String state) throws IOException
    {
        final RecoveryReport report = log.recoveryReport();
        final List<Long> bases;
        try (Stream<Path> files = Files.list(dir))
        {
            bases = files.map(f -> Segment.parseBaseOffset(f.getFileName().toString())).filter(b -> b >= 0).sorted().toList();
        }
        assertFalse(bases.isEmpty(), state);
        assertEquals(bases.size(), log.segmentCount(), state);
        final long lastBase = bases.get(bases.size() - 1);
        assertTrue(report.truncations().size() <= 1, () -> "at most the active segment is cut; " + state);
        for (final RecoveryReport.Truncation truncation : report.truncations())
        {
            assertEquals(lastBase, truncation.segmentBaseOffset(), () -> "only the active segment can be torn by a kill; " + state);
            assertTrue(truncation.droppedBytes() > 0, state);
            assertTrue(truncation.validBytes() >= 0, state);
            assertEquals(Files.size(dir.resolve(Segment.fileName(lastBase))), truncation.validBytes(),
                () -> "the file was cut to the valid bytes; " + state);
            assertEquals(log.logEndOffset(), truncation.firstDroppedOffset(), state);
            assertFalse(truncation.reason() == null || truncation.reason().isBlank(), state);
        }
        for (final long rebuilt : report.rebuiltIndexes())
        {
            assertTrue(bases.contains(rebuilt), () -> "rebuilt index of an existing segment: " + rebuilt + "; " + state);
        }
        return report.truncations().size();
    }

    /** Reads the whole log again through the zero-copy view and checks it matches a copy, CRC included. */
    private static void checkMappedReads(final SegmentedLog log, final String state) throws IOException
    {
        final RecordBatchCursor cursor = new RecordBatchCursor();
        long next = log.logStartOffset();
        while (next < log.logEndOffset())
        {
            final LogSlice slice = log.read(next, 16 * 1024);
            final ByteBuffer copy = ByteBuffer.allocate(slice.sizeInBytes());
            slice.readInto(copy);
            final ByteBuffer mapped = slice.buffer();
            assertEquals(copy.flip(), mapped, () -> "the mapped view holds the file's bytes; " + state);
            cursor.wrap(mapped, true);
            final long before = next;
            while (cursor.next())
            {
                next = cursor.batch().lastOffset() + 1;
            }
            assertTrue(next > before, () -> "a read at " + before + " made progress; " + state);
        }
        assertEquals(log.logEndOffset(), next, state);
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.exists(file) ? Files.readString(file) : "(none)";
        }
        catch (final IOException e)
        {
            return "(unreadable: " + e + ")";
        }
    }

    /** The child process, with a thread turning its stdout into whole lines. */
    private static final class Child
    {
        private static final String END = new String("<end of output>");

        private final Process process;
        private final Thread reader;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        private Child(final Process process)
        {
            this.process = process;
            this.reader = new Thread(this::pump, "child-stdout");
            this.reader.setDaemon(true);
            this.reader.start();
        }

        static Child start(final Path dir, final long seed, final Path stderr) throws IOException
        {
            final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            final Process process = new ProcessBuilder(java,
                "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
                "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                AppendingChild.class.getName(), dir.toString(), Long.toString(seed), Integer.toString(MAX_BATCH))
                .redirectError(stderr.toFile())
                .start();
            return new Child(process);
        }

        /** Queues each line ended by a newline; a fragment cut off by the kill is not a line. */
        private void pump()
        {
            final ByteArrayOutputStream line = new ByteArrayOutputStream();
            try (InputStream in = process.getInputStream())
            {
                final byte[] chunk = new byte[4096];
                for (int n; (n = in.read(chunk)) >= 0; )
                {
                    for (int i = 0; i < n; i++)
                    {
                        if (chunk[i] == '\n')
                        {
                            lines.add(line.toString(StandardCharsets.UTF_8));
                            line.reset();
                        }
                        else
                        {
                            line.write(chunk[i]);
                        }
                    }
                }
            }
            catch (final IOException ignored)
            {
                // the stream closes when the child dies
            }
            finally
            {
                lines.add(END);
            }
        }

        /** @return the next whole line, or null if the output ended or the deadline passed. */
        String nextLine(final long deadline) throws InterruptedException
        {
            final String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == END)
            {
                lines.add(END); // stays ended
                return null;
            }
            return line;
        }

        /**
         * Sends SIGKILL and waits for the process to die of it. Through the process handle, which
         * sends the same signal as {@link Process#destroyForcibly()} but, unlike it, does not close
         * our end of the child's stdout: acknowledgements still in the pipe must be read, not lost.
         */
        void kill(final long deadline, final String where) throws InterruptedException
        {
            assertTrue(process.toHandle().destroyForcibly(), "SIGKILL sent; " + where); // no shutdown hook, no close, no flush
            assertTrue(process.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS), "the child died; " + where);
            assertEquals(128 + 9, process.exitValue(), "the child was killed by SIGKILL, not exited on its own; " + where);
        }

        /** @return the whole lines printed before the child died and not read yet. */
        List<String> remainingLines(final long deadline) throws InterruptedException
        {
            reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (reader.isAlive())
            {
                fail("the child's output did not end after it died");
            }
            return lines.stream().filter(l -> l != END).toList();
        }

        void destroy() throws InterruptedException
        {
            if (process.isAlive())
            {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
