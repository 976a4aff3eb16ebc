package io.tidemark.log.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.tidemark.log.AppendResult;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.record.CompressionCodec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.CachedEpochClock;

import static io.tidemark.log.storage.CompactionFixtures.Write;
import static io.tidemark.log.storage.CompactionFixtures.batch;
import static io.tidemark.log.storage.CompactionFixtures.compacted;
import static io.tidemark.log.storage.CompactionFixtures.readFromStart;
import static io.tidemark.log.storage.CompactionFixtures.readFromStartAsKafka;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * For any sequence of keyed appends (tombstones among them), rolls, cleaning rounds and
 * reopenings, a compacted log read from the start holds exactly the latest record of every key
 * not deleted, at its original offset, in offset order, whatever codec each batch has; and
 * kafka-clients reads the same records from the cleaned log's bytes.
 */
class CompactionProperties
{
    private static final TopicPartition TP = new TopicPartition("compacted", 0);
    private static final long TOMBSTONE_RETENTION_MS = 3_600_000;
    /** Appends pick a codec from the step: a log mixes compressed batches of each codec with uncompressed ones. */
    private static final CompressionCodec[] CODECS = CompressionCodec.values();

    /**
     * Each step is a number: mostly an append of one to three writes to keys k0..k11 (a fifth of
     * them tombstones); now and then a roll, a cleaning round or a reopening.
     */
    @Property(tries = 80)
    void aCleanedLogHoldsTheLatestRecordOfEveryLiveKeyAtItsOffset(
        @ForAll @Size(min = 1, max = 80) final List<@IntRange(max = 9_999) Integer> steps, @ForAll final boolean smallMap)
        throws IOException
    {
        final Path dir = Files.createTempDirectory("compaction-properties");
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(1_000);
        // A map of 8 keys, fewer than the 13 written: each round cleans only up to where it filled.
        final OffsetMap map = smallMap ? new OffsetMap(16 * 24, 0.5) : OffsetMap.withDefaults();
        // Each key's latest write: its offset and value (null for a tombstone).
        final Map<String, LogFixtures.Stored> latest = new LinkedHashMap<>();
        SegmentedLog log = open(dir, clock, map);
        try
        {
            for (final int step : steps)
            {
                clock.advance(1);
                final int kind = step % 20;
                if (kind == 0)
                {
                    log.roll();
                }
                else if (kind == 1)
                {
                    log.clean(clock.time());
                }
                else if (kind == 2)
                {
                    log.close();
                    log = open(dir, clock, map);
                }
                else
                {
                    final List<Write> writes = new ArrayList<>();
                    for (int i = 0; i <= step % 3; i++)
                    {
                        final int pick = (step / 3 + i * 7) % 60;
                        writes.add(new Write("k" + pick % 12, pick % 5 == 0 ? null : "v" + step + "-" + i));
                    }
                    final AppendResult result = log.append(batch(clock.time(), writes, CODECS[step / 20 % CODECS.length]));
                    for (int i = 0; i < writes.size(); i++)
                    {
                        final Write write = writes.get(i);
                        latest.put(write.key(), new LogFixtures.Stored(result.firstOffset() + i, clock.time(), write.key(), write.value()));
                    }
                }
            }
            // Seal everything and clean: the tombstones stay, for the consumers that read the older values.
            final long endBefore = log.logEndOffset();
            log.roll();
            cleanAll(log, dir, clock);
            assertEquals(expected(latest, true), readFromStart(log), "after a round, tombstones kept");
            assertEquals(expected(latest, true), readFromStartAsKafka(log), "every batch, rewritten or not, is valid for kafka-clients");
            // A later round, once delete.retention.ms has passed since: the tombstones go.
            clock.advance(TOMBSTONE_RETENTION_MS + 1);
            final AppendResult marker = log.append(batch(clock.time(), List.of(new Write("z", "end"))));
            log.roll();
            cleanAll(log, dir, clock);
            final List<LogFixtures.Stored> expected = expected(latest, false);
            expected.add(new LogFixtures.Stored(marker.firstOffset(), clock.time(), "z", "end"));
            assertEquals(expected, readFromStart(log), "after delete.retention.ms, tombstones gone");
            assertEquals(expected, readFromStartAsKafka(log), "and valid for kafka-clients");
            assertEquals(endBefore + 1, log.logEndOffset(), "cleaning moves no offset");
            log.close();
            log = open(dir, clock, map);
            assertEquals(expected, readFromStart(log), "the same after reopening");
        }
        finally
        {
            log.close();
            try (Stream<Path> files = Files.walk(dir))
            {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static SegmentedLog open(final Path dir, final CachedEpochClock clock, final OffsetMap map)
    {
        return SegmentedLog.open(TP, dir, compacted(600), clock, new ChannelPool(Integer.MAX_VALUE), map);
    }

    /**
     * Runs rounds until one finds nothing dirty: one with a map that holds every key, one per
     * eight keys or more with the small map (each maps at least a record of eight keys).
     */
    private static void cleanAll(final SegmentedLog log, final Path dir, final CachedEpochClock clock) throws IOException
    {
        final Path checkpoint = dir.resolve(SegmentedLog.CLEANER_CHECKPOINT_FILE);
        for (int round = 0; round < 300; round++)
        {
            log.clean(clock.time());
            // No file after a round: nothing was ever dirty.
            if (!Files.exists(checkpoint) || Long.parseLong(Files.readString(checkpoint).strip()) == log.logEndOffset())
            {
                return;
            }
        }
        throw new AssertionError("300 rounds did not clean the log up to its end");
    }

    private static List<LogFixtures.Stored> expected(final Map<String, LogFixtures.Stored> latest, final boolean withTombstones)
    {
        final List<LogFixtures.Stored> expected = new ArrayList<>();
        for (final LogFixtures.Stored stored : latest.values())
        {
            if (withTombstones || stored.value() != null)
            {
                expected.add(stored);
            }
        }
        expected.sort(Comparator.comparingLong(LogFixtures.Stored::offset));
        return expected;
    }
}
