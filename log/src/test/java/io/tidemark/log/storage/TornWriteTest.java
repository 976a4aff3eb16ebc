package io.tidemark.log.storage;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import io.tidemark.log.AppendResult;
import io.tidemark.log.LogConfig;
import io.tidemark.log.RecoveryReport;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.record.RecordBatchLayout;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static io.tidemark.log.storage.LogFixtures.batch;
import static io.tidemark.log.storage.LogFixtures.batchOf;
import static io.tidemark.log.storage.LogFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves that opening a log whose segment files were damaged the ways crashes and bad disks
 * damage them (cut at any byte, one byte flipped, garbage or a replayed batch after the end, a
 * cut inside a sealed segment) keeps exactly the longest valid prefix of the damaged segment
 * and every other segment, serves only records that pass their CRC, reports the cut with its
 * exact sizes (or nothing when the damage removed nothing), and leaves a log that takes
 * appends with contiguous offsets and reopens clean.
 *
 * <p>Set {@code -Dtidemark.tornwrite.seed=N} to replay a failing run; the seed is in every
 * message. The log that is damaged is always the same one (written from a fixed seed).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TornWriteTest
{
    private static final TopicPartition TP = new TopicPartition("torn", 0);
    private static final Map<String, String> CONFIG = Map.of(LogConfig.SEGMENT_BYTES, "2048", LogConfig.INDEX_INTERVAL_BYTES, "256");
    private static final int TRIALS = 40;
    /** Offsets from a batch boundary where the recovery code changes its mind. */
    private static final int[] EDGES = {-1, 0, 1, RecordBatchLayout.LOG_OVERHEAD - 1, RecordBatchLayout.LOG_OVERHEAD,
        RecordBatchLayout.HEADER_SIZE - 1, RecordBatchLayout.HEADER_SIZE};

    /** One batch as written: its segment, its bytes in the segment file and its offsets. */
    private record Batch(int segment, int start, int end, long firstOffset, long lastOffset)
    {
    }

    /**
     * What a damage must leave: the damaged segment keeps its first {@code keptBatches}
     * batches, and recovery must cut its file from {@code sizeAfterDamage} bytes to them.
     */
    private record Damage(int segment, int keptBatches, long sizeAfterDamage, String what)
    {
    }

    @TempDir
    Path root;

    private final long seed = Long.getLong("tidemark.tornwrite.seed", System.nanoTime());
    private Path pristine;
    private final List<Long> segmentBases = new ArrayList<>();
    private final List<List<Batch>> segmentBatches = new ArrayList<>();
    private final List<LogFixtures.Stored> written = new ArrayList<>();
    private long logEnd;
    private int trials;

    @BeforeEach
    void writeAKnownLog() throws IOException
    {
        pristine = root.resolve("pristine");
        final Random random = new Random(20_240_611L);
        try (SegmentedLog log = open(pristine))
        {
            int segment = 0;
            int position = 0;
            segmentBases.add(0L);
            segmentBatches.add(new ArrayList<>());
            while (segmentBases.size() < 5 || segmentBatches.get(segment).size() < 8)
            {
                final int count = 1 + random.nextInt(6);
                final String prefix = "b" + written.size() + "-" + "p".repeat(random.nextInt(40)) + "-";
                final long[] timestamps = new long[count];
                for (int i = 0; i < count; i++)
                {
                    timestamps[i] = 1_000 + log.logEndOffset() + i;
                }
                final ByteBuffer bytes = batch(prefix, timestamps);
                final int size = bytes.remaining();
                final AppendResult result = log.append(bytes);
                if (log.segmentCount() > segmentBases.size())
                {
                    segment++;
                    position = 0;
                    segmentBases.add(result.firstOffset());
                    segmentBatches.add(new ArrayList<>());
                }
                segmentBatches.get(segment).add(new Batch(segment, position, position + size, result.firstOffset(), result.lastOffset()));
                position += size;
                for (int i = 0; i < count; i++)
                {
                    written.add(new LogFixtures.Stored(result.firstOffset() + i, timestamps[i], "k" + i, prefix + i));
                }
            }
            logEnd = log.logEndOffset();
        }
        // The recorded layout is the one on disk, and the pristine log reopens clean.
        try (Stream<Path> files = Files.list(pristine))
        {
            assertEquals(segmentBases, files.map(f -> Segment.parseBaseOffset(f.getFileName().toString())).filter(b -> b >= 0).sorted().toList());
        }
        for (int s = 0; s < segmentBases.size(); s++)
        {
            final List<Batch> batches = segmentBatches.get(s);
            assertEquals(batches.get(batches.size() - 1).end(), Files.size(segmentFile(pristine, s)), "segment " + s);
        }
        try (SegmentedLog log = open(pristine))
        {
            assertTrue(log.recoveryReport().isClean(), log.recoveryReport().toString());
            assertEquals(written, readAll(log, 0));
        }
    }

    @Test
    void aCutAnywhereInTheActiveSegmentKeepsTheBatchesBeforeIt() throws IOException
    {
        final Random random = new Random(seed);
        final int last = segmentBases.size() - 1;
        for (int trial = 0; trial < TRIALS; trial++)
        {
            final Path dir = copyOfPristine();
            final int size = (int)Files.size(segmentFile(dir, last));
            final int cut = cutPosition(random, last, size);
            truncate(segmentFile(dir, last), cut);
            check(dir, damageUpTo(last, cut, cut, "active segment cut at " + cut + " of " + size));
        }
    }

    @Test
    void aCutAtEveryBatchEdgeOfTheActiveSegmentKeepsTheBatchesBeforeIt() throws IOException
    {
        final int last = segmentBases.size() - 1;
        final int size = segmentBatches.get(last).get(segmentBatches.get(last).size() - 1).end();
        for (final int cut : edgePositions(last, size))
        {
            final Path dir = copyOfPristine();
            truncate(segmentFile(dir, last), cut);
            check(dir, damageUpTo(last, cut, cut, "active segment cut at edge " + cut + " of " + size));
        }
    }

    @Test
    void aFlippedByteInTheActiveSegmentDropsItsBatchAndEverythingAfter() throws IOException
    {
        final Random random = new Random(seed);
        final int last = segmentBases.size() - 1;
        final List<Batch> batches = segmentBatches.get(last);
        for (int trial = 0; trial < TRIALS; trial++)
        {
            final Path dir = copyOfPristine();
            final int size = (int)Files.size(segmentFile(dir, last));
            final int position;
            if (random.nextBoolean())
            {
                position = random.nextInt(size);
            }
            else
            {
                // The fields the CRC does not cover: base offset, length, leader epoch, magic, the CRC itself.
                position = batches.get(random.nextInt(batches.size())).start() + random.nextInt(RecordBatchLayout.ATTRIBUTES_OFFSET);
            }
            final int mask = 1 + random.nextInt(255);
            flip(segmentFile(dir, last), position, mask);
            check(dir, damageUpTo(last, position, size, "byte " + position + " of " + size + " flipped with " + mask));
        }
    }

    @Test
    void aFlipInEveryHeaderByteOfABatchIsCaughtEvenWhereTheCrcDoesNotReach() throws IOException
    {
        final int last = segmentBases.size() - 1;
        final List<Batch> batches = segmentBatches.get(last);
        final int size = batches.get(batches.size() - 1).end();
        for (final Batch target : List.of(batches.get(0), batches.get(batches.size() / 2), batches.get(batches.size() - 1)))
        {
            for (int field = 0; field < RecordBatchLayout.HEADER_SIZE; field++)
            {
                // Both ends of the byte where the CRC does not reach, one bit where it does.
                final int[] masks = field < RecordBatchLayout.ATTRIBUTES_OFFSET ? new int[] {0x01, 0x80} : new int[] {1 << (field % 8)};
                for (final int mask : masks)
                {
                    final Path dir = copyOfPristine();
                    final int position = target.start() + field;
                    flip(segmentFile(dir, last), position, mask);
                    check(dir, damageUpTo(last, position, size, "header byte " + field + " of the batch at " + target.start() + " flipped with " + mask));
                }
            }
        }
    }

    @Test
    void garbageOrAReplayedBatchAfterTheEndIsCutOff() throws IOException
    {
        final Random random = new Random(seed);
        final int last = segmentBases.size() - 1;
        final List<Batch> batches = segmentBatches.get(last);
        final Batch lastBatch = batches.get(batches.size() - 1);
        final int size = lastBatch.end();
        for (int trial = 0; trial < TRIALS; trial++)
        {
            final Path dir = copyOfPristine();
            final Path file = segmentFile(dir, last);
            final byte[] tail;
            final String what;
            switch (random.nextInt(4))
            {
                case 0 ->
                {
                    tail = new byte[1 + random.nextInt(300)];
                    random.nextBytes(tail);
                    what = tail.length + " random bytes";
                }
                case 1 ->
                {
                    tail = new byte[1 + random.nextInt(300)]; // a file extended with zeros by a crash
                    what = tail.length + " zero bytes";
                }
                case 2 ->
                {
                    tail = Arrays.copyOfRange(Files.readAllBytes(file), lastBatch.start(), lastBatch.end());
                    what = "the last batch written again, unchanged (valid CRC, offsets do not continue)";
                }
                default ->
                {
                    tail = replayOfLastBatch(file, lastBatch, 1 + random.nextInt(Integer.MAX_VALUE - 1));
                    what = "the last batch written again with continuing offsets and a foreign leader epoch (valid CRC)";
                }
            }
            Files.write(file, tail, StandardOpenOption.APPEND);
            check(dir, damageUpTo(last, size, size + tail.length, what));
        }
    }

    /**
     * The positive control of the replay case above: the same continuing batch with the log's
     * own leader epoch is valid and is kept, so only the epoch check rejected the other one.
     */
    @Test
    void aReplayedBatchThatContinuesTheOffsetsWithTheRightEpochIsKept() throws IOException
    {
        final int last = segmentBases.size() - 1;
        final Batch lastBatch = segmentBatches.get(last).get(segmentBatches.get(last).size() - 1);
        final Path dir = copyOfPristine();
        final Path file = segmentFile(dir, last);
        Files.write(file, replayOfLastBatch(file, lastBatch, SegmentedLog.LEADER_EPOCH), StandardOpenOption.APPEND);
        try (SegmentedLog log = open(dir))
        {
            assertTrue(log.recoveryReport().truncations().isEmpty(), log.recoveryReport().toString());
            final int count = (int)(lastBatch.lastOffset() - lastBatch.firstOffset() + 1);
            assertEquals(logEnd + count, log.logEndOffset());
            final List<LogFixtures.Stored> replayed = readAll(log, logEnd);
            final List<LogFixtures.Stored> original = written.subList(written.size() - count, written.size());
            for (int i = 0; i < count; i++)
            {
                assertEquals(new LogFixtures.Stored(logEnd + i, original.get(i).timestamp(), original.get(i).key(), original.get(i).value()),
                    replayed.get(i));
            }
        }
    }

    @Test
    void aCutInASealedSegmentKeepsItsValidPrefixAndEveryLaterSegment() throws IOException
    {
        final Random random = new Random(seed);
        for (int trial = 0; trial < TRIALS; trial++)
        {
            final Path dir = copyOfPristine();
            final int segment = random.nextInt(segmentBases.size() - 1);
            final int size = (int)Files.size(segmentFile(dir, segment));
            final int cut = cutPosition(random, segment, size);
            truncate(segmentFile(dir, segment), cut);
            check(dir, damageUpTo(segment, cut, cut, "sealed segment " + segment + " cut at " + cut + " of " + size));
        }
    }

    /**
     * The baseline of every trial above is a clean reopen; this one holds it for sealed segments
     * too small to get an index entry (the default {@code index.interval.bytes} is 4096).
     */
    @Test
    void aCleanlyClosedLogWhoseSealedSegmentsHaveNoIndexEntryReopensClean()
    {
        final Path dir = root.resolve("no-index-entries");
        final LogConfig config = LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.SEGMENT_BYTES, "1024"));
        try (SegmentedLog log = SegmentedLog.open(TP, dir, config, new CachedEpochClock()))
        {
            for (int i = 0; i < 30; i++)
            {
                log.append(batchOf("v" + i + "-", 2, 1));
            }
            assertTrue(log.segmentCount() >= 3, log.toString());
        }
        try (SegmentedLog log = SegmentedLog.open(TP, dir, config, new CachedEpochClock()))
        {
            assertTrue(log.recoveryReport().isClean(), () -> "a clean close needs no repair: " + log.recoveryReport());
            assertEquals(60, readAll(log, 0).size());
        }
    }

    /** The damage that keeps the batches of {@code segment} ending at or before {@code validUpTo}. */
    private Damage damageUpTo(final int segment, final long validUpTo, final long sizeAfterDamage, final String what)
    {
        final int kept = (int)segmentBatches.get(segment).stream().filter(b -> b.end() <= validUpTo).count();
        return new Damage(segment, kept, sizeAfterDamage, what);
    }

    /** Opens the damaged copy in {@code dir} and checks everything recovery promises. */
    private void check(final Path dir, final Damage damage) throws IOException
    {
        final int trial = trials++;
        final int last = segmentBases.size() - 1;
        final long base = segmentBases.get(damage.segment());
        final List<Batch> batches = segmentBatches.get(damage.segment());
        final Batch lastKept = damage.keptBatches() == 0 ? null : batches.get(damage.keptBatches() - 1);
        final long keptBytes = lastKept == null ? 0 : lastKept.end();
        final long droppedBytes = damage.sizeAfterDamage() - keptBytes;
        final long firstDropped = lastKept == null ? base : lastKept.lastOffset() + 1;
        final List<LogFixtures.Stored> expected = written.stream().filter(r -> keeps(damage, r.offset())).toList();
        final long expectedEnd = damage.segment() == last ? firstDropped : logEnd;

        final List<LogFixtures.Stored> appended = new ArrayList<>();
        try (SegmentedLog log = open(dir))
        {
            final RecoveryReport report = log.recoveryReport();
            final String context = "seed " + seed + ", trial " + trial + ": " + damage.what() + " in segment " + damage.segment() +
                " (base " + base + "), expecting " + damage.keptBatches() + " of " + batches.size() + " batches kept, " + keptBytes +
                " bytes kept, " + droppedBytes + " dropped; report " + report + ", log " + log;

            if (droppedBytes == 0 && (damage.keptBatches() == batches.size() || damage.segment() == last))
            {
                // A no-op, or an active segment cut between batches: a log that ends there is valid.
                assertTrue(report.truncations().isEmpty(), () -> "nothing to cut; " + context);
                if (damage.keptBatches() == batches.size())
                {
                    assertTrue(report.isClean(), () -> "the damage changed nothing; " + context);
                }
            }
            else if (droppedBytes == 0)
            {
                // A sealed segment cut between batches: no byte is invalid, so nothing is cut, and
                // today the report says nothing of the offsets lost before the next segment. Should
                // recovery come to report them, it must be as a cut of zero bytes at the right place.
                for (final RecoveryReport.Truncation truncation : report.truncations())
                {
                    assertEquals(new RecoveryReport.Truncation(base, keptBytes, 0, firstDropped, truncation.reason()), truncation, context);
                }
            }
            else
            {
                assertEquals(1, report.truncations().size(), () -> "one cut; " + context);
                final RecoveryReport.Truncation truncation = report.truncations().get(0);
                assertEquals(base, truncation.segmentBaseOffset(), () -> "the damaged segment; " + context);
                assertEquals(keptBytes, truncation.validBytes(), () -> "the bytes kept; " + context);
                assertEquals(droppedBytes, truncation.droppedBytes(), () -> "the bytes dropped; " + context);
                assertEquals(firstDropped, truncation.firstDroppedOffset(), () -> "the first offset dropped; " + context);
                assertFalse(truncation.reason() == null || truncation.reason().isBlank(), () -> "a reason; " + context);
                assertEquals(droppedBytes, report.droppedBytes(), context);
            }
            if (damage.segment() == last)
            {
                assertTrue(report.rebuiltIndexes().isEmpty(), () -> "the intact sealed segments load from their indexes; " + context);
            }
            else
            {
                assertTrue(List.of(base).containsAll(report.rebuiltIndexes()), () -> "only the damaged segment's indexes are rebuilt; " + context);
                if (droppedBytes > 0)
                {
                    assertEquals(List.of(base), report.rebuiltIndexes(), () -> "a cut sealed segment gets new indexes; " + context);
                }
            }
            assertEquals(keptBytes, Files.size(segmentFile(dir, damage.segment())), () -> "the file is cut to the valid bytes; " + context);
            assertEquals(0, log.logStartOffset(), context);
            assertEquals(expectedEnd, log.logEndOffset(), () -> "the log end; " + context);

            final List<LogFixtures.Stored> records = readAll(log, 0);
            assertEquals(expected, records, () -> "the records served; " + context);
            if (damage.segment() == last)
            {
                for (int i = 0; i < records.size(); i++)
                {
                    final int offset = i;
                    assertEquals(i, records.get(i).offset(), () -> "contiguous offsets at " + offset + "; " + context);
                }
            }

            // The log takes appends again, right after the last record kept.
            for (int i = 0; i < 2; i++)
            {
                final long end = log.logEndOffset();
                final AppendResult result = log.append(batchOf("after" + i + "-", 3, 9_000 + i));
                assertEquals(end, result.firstOffset(), () -> "appends continue at the log end; " + context);
                assertEquals(end + 2, result.lastOffset(), context);
                for (int r = 0; r < 3; r++)
                {
                    appended.add(new LogFixtures.Stored(end + r, 9_000 + i, "k" + r, "after" + i + "-" + r));
                }
            }
            assertEquals(appended, readAll(log, expectedEnd), () -> "the appended records; " + context);
        }

        // What recovery wrote (the cut file, rebuilt indexes) needs no repair the next time.
        try (SegmentedLog log = open(dir))
        {
            final String context = "seed " + seed + ", trial " + trial + ", reopened after " + damage.what() + "; report " + log.recoveryReport();
            assertTrue(log.recoveryReport().isClean(), context);
            final List<LogFixtures.Stored> all = new ArrayList<>(expected);
            all.addAll(appended);
            assertEquals(all, readAll(log, 0), context);
        }
    }

    private boolean keeps(final Damage damage, final long offset)
    {
        final List<Batch> batches = segmentBatches.get(damage.segment());
        final Batch first = batches.get(0);
        final Batch last = batches.get(batches.size() - 1);
        if (offset < first.firstOffset() || offset > last.lastOffset())
        {
            return true; // another segment
        }
        return damage.keptBatches() > 0 && offset <= batches.get(damage.keptBatches() - 1).lastOffset();
    }

    /** A cut position: anywhere in the file, or at or near a batch boundary. */
    private int cutPosition(final Random random, final int segment, final int size)
    {
        if (random.nextBoolean())
        {
            return random.nextInt(size + 1);
        }
        final List<Batch> batches = segmentBatches.get(segment);
        final int boundary = random.nextInt(batches.size() + 1) == 0 ? 0 : batches.get(random.nextInt(batches.size())).end();
        return Math.max(0, Math.min(size, boundary + EDGES[random.nextInt(EDGES.length)]));
    }

    private List<Integer> edgePositions(final int segment, final int size)
    {
        final List<Integer> positions = new ArrayList<>();
        final List<Integer> boundaries = new ArrayList<>(List.of(0));
        segmentBatches.get(segment).forEach(b -> boundaries.add(b.end()));
        for (final int boundary : boundaries)
        {
            for (final int edge : EDGES)
            {
                final int position = boundary + edge;
                if (position >= 0 && position <= size && !positions.contains(position))
                {
                    positions.add(position);
                }
            }
        }
        return positions;
    }

    /** The bytes of {@code batch} with its base offset moved to continue the log and the given leader epoch. */
    private byte[] replayOfLastBatch(final Path file, final Batch batch, final int leaderEpoch) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.wrap(Arrays.copyOfRange(Files.readAllBytes(file), batch.start(), batch.end()));
        bytes.putLong(RecordBatchLayout.BASE_OFFSET_OFFSET, logEnd);
        bytes.putInt(RecordBatchLayout.PARTITION_LEADER_EPOCH_OFFSET, leaderEpoch);
        return bytes.array();
    }

    private Path copyOfPristine() throws IOException
    {
        final Path dir = root.resolve("trial-" + trials);
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(pristine))
        {
            for (final Path file : files.toList())
            {
                Files.copy(file, dir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    private Path segmentFile(final Path dir, final int segment)
    {
        return dir.resolve(Segment.fileName(segmentBases.get(segment)));
    }

    private static SegmentedLog open(final Path dir)
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(1_000_000);
        return SegmentedLog.open(TP, dir, LogConfig.DEFAULTS.withOverrides(CONFIG), clock);
    }

    private static void truncate(final Path file, final long size) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(size);
        }
    }

    private static void flip(final Path file, final long position, final int mask) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(position);
            final int b = raf.read();
            raf.seek(position);
            raf.write(b ^ mask);
        }
    }
}
