package io.tidemark.log.storage;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import io.tidemark.log.LogConfig;
import io.tidemark.log.RecoveryReport;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.record.RecordBatchBuilder;
import io.tidemark.log.record.RecordBatchCursor;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.tidemark.log.record.RecordBatchLayout.ATTRIBUTES_OFFSET;
import static io.tidemark.log.record.RecordBatchLayout.OPEN_FLAG_MASK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damages segment files the ways crashes and bad disks do (cut at a random byte, a flipped
 * byte, garbage after the end, a cut inside a sealed segment) and checks that recovery keeps
 * exactly the longest valid prefix of the damaged segment, keeps every other segment, reports
 * the cut with its sizes, and leaves a log that accepts appends.
 */
class TornWriteRecoveryTest
{
    private static final int TRIALS = 150;
    private static final Map<String, String> CONFIG = Map.of(LogConfig.SEGMENT_BYTES, "1024", LogConfig.INDEX_INTERVAL_BYTES, "128");

    /** One batch as it lies in its segment file. */
    private record Extent(int start, int end, long lastOffset)
    {
    }

    @TempDir
    Path root;

    private Path pristine;
    private final List<Long> segmentBases = new ArrayList<>();
    private final List<List<Extent>> extents = new ArrayList<>();
    private long logEnd;

    @BeforeEach
    void writeAPristineLog() throws IOException
    {
        pristine = root.resolve("pristine");
        final Random random = new Random(7);
        try (SegmentedLog log = open(pristine))
        {
            final ByteBuffer buffer = ByteBuffer.allocate(4096);
            final RecordBatchBuilder builder = new RecordBatchBuilder();
            for (int batch = 0; batch < 120; batch++)
            {
                builder.begin(buffer, 0, buffer.capacity());
                final long next = log.logEndOffset();
                final int count = 1 + random.nextInt(5);
                for (int i = 0; i < count; i++)
                {
                    builder.append(1000 + next + i, null, ("v" + (next + i)).getBytes(StandardCharsets.UTF_8));
                }
                log.append(buffer.clear().limit(builder.finish()));
            }
            logEnd = log.logEndOffset();
        }
        try (Stream<Path> files = Files.list(pristine))
        {
            files.map(f -> Segment.parseBaseOffset(f.getFileName().toString())).filter(b -> b >= 0).sorted().forEach(segmentBases::add);
        }
        for (final long base : segmentBases)
        {
            final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segmentFile(pristine, base)));
            final List<Extent> list = new ArrayList<>();
            final RecordBatchCursor cursor = new RecordBatchCursor().wrap(bytes, true);
            int start = 0;
            while (cursor.next())
            {
                list.add(new Extent(start, cursor.position(), cursor.batch().lastOffset()));
                start = cursor.position();
            }
            assertEquals(bytes.capacity(), start, "the pristine segment is whole");
            extents.add(list);
        }
        assertTrue(segmentBases.size() >= 4, "several segments: " + segmentBases);
    }

    private SegmentedLog open(final Path dir)
    {
        return SegmentedLog.open(new TopicPartition("torn", 0), dir, LogConfig.DEFAULTS.withOverrides(CONFIG), new CachedEpochClock());
    }

    private static Path segmentFile(final Path dir, final long base)
    {
        return dir.resolve(Segment.fileName(base));
    }

    @Test
    void recoveryKeepsTheLongestValidPrefixAndSaysWhatItDropped() throws IOException
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        for (int trial = 0; trial < TRIALS; trial++)
        {
            final Path dir = root.resolve("trial-" + trial);
            copy(pristine, dir);
            final int damage = random.nextInt(4);
            final int segment = damage == 3 ? random.nextInt(segmentBases.size() - 1) : segmentBases.size() - 1;
            final Path file = segmentFile(dir, segmentBases.get(segment));
            final int size = (int)Files.size(file);
            final List<Extent> batches = extents.get(segment);

            final int keptBatches;
            final long expectedDropped;
            final String what;
            switch (damage)
            {
                case 0, 3 ->
                {
                    final int cut = random.nextInt(size + 1);
                    truncate(file, cut);
                    keptBatches = (int)batches.stream().filter(e -> e.end() <= cut).count();
                    expectedDropped = cut - (keptBatches == 0 ? 0 : batches.get(keptBatches - 1).end());
                    what = "cut at " + cut;
                }
                case 1 ->
                {
                    final int position = random.nextInt(size);
                    final int mask = 1 + random.nextInt(255);
                    flip(file, position, mask);
                    // Setting the open flag alone (attributes bit 14) on a whole batch is what a crash in the
                    // last store of a seal leaves: recovery clears it, the CRC vouching for the rest.
                    final boolean sealInterrupted = mask == OPEN_FLAG_MASK >> 8 && batches.stream().anyMatch(e -> position == e.start() + ATTRIBUTES_OFFSET);
                    keptBatches = sealInterrupted ? batches.size() : (int)batches.stream().filter(e -> e.end() <= position).count();
                    expectedDropped = sealInterrupted ? 0 : size - (keptBatches == 0 ? 0 : batches.get(keptBatches - 1).end());
                    what = "byte flipped at " + position + " with mask " + mask;
                }
                default ->
                {
                    final byte[] garbage = new byte[1 + random.nextInt(100)];
                    random.nextBytes(garbage);
                    Files.write(file, garbage, java.nio.file.StandardOpenOption.APPEND);
                    keptBatches = batches.size();
                    expectedDropped = garbage.length;
                    what = garbage.length + " garbage bytes appended";
                }
            }
            final String context = "trial " + trial + " (seed " + seed + "): segment " + segmentBases.get(segment) + ", " + what;

            final List<String> expected = expectedValues(segment, keptBatches);
            try (SegmentedLog log = open(dir))
            {
                final RecoveryReport report = log.recoveryReport();
                final List<String> values = LogFixtures.readAll(log, log.logStartOffset()).stream().map(LogFixtures.Stored::value).toList();
                assertEquals(expected, values, context + "; report " + report);
                if (expectedDropped == 0)
                {
                    assertTrue(report.truncations().isEmpty(), context + "; report " + report);
                }
                else
                {
                    assertEquals(1, report.truncations().size(), context + "; report " + report);
                    final RecoveryReport.Truncation truncation = report.truncations().get(0);
                    assertEquals(segmentBases.get(segment), truncation.segmentBaseOffset(), context);
                    assertEquals(keptBatches == 0 ? 0 : batches.get(keptBatches - 1).end(), truncation.validBytes(), context);
                    assertEquals(expectedDropped, truncation.droppedBytes(), context);
                    assertFalse(truncation.reason().isBlank(), context);
                }

                final long end = log.logEndOffset();
                final ByteBuffer buffer = ByteBuffer.allocate(256);
                final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, 256);
                builder.append(1, null, "after".getBytes(StandardCharsets.UTF_8));
                assertEquals(end, log.append(buffer.limit(builder.finish())).firstOffset(), context);
                assertEquals("after", LogFixtures.readAll(log, end).get(0).value(), context);
            }
        }
    }

    /** Values of all records, with the damaged segment reduced to its first {@code kept} batches. */
    private List<String> expectedValues(final int damagedSegment, final int kept)
    {
        final List<String> values = new ArrayList<>();
        for (int s = 0; s < segmentBases.size(); s++)
        {
            final long from = segmentBases.get(s);
            final List<Extent> batches = extents.get(s);
            final long to = s == damagedSegment ? (kept == 0 ? from - 1 : batches.get(kept - 1).lastOffset()) : batches.get(batches.size() - 1).lastOffset();
            for (long offset = from; offset <= to; offset++)
            {
                values.add("v" + offset);
            }
        }
        assertEquals(logEnd, extents.get(extents.size() - 1).get(extents.get(extents.size() - 1).size() - 1).lastOffset() + 1);
        return values;
    }

    private static void truncate(final Path file, final int size) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(size);
        }
    }

    private static void flip(final Path file, final int position, final int mask) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(position);
            final int b = raf.read();
            raf.seek(position);
            raf.write(b ^ mask);
        }
    }

    private static void copy(final Path from, final Path to) throws IOException
    {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from))
        {
            for (final Path file : files.toList())
            {
                Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
