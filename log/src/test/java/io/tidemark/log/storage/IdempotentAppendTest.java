package io.tidemark.log.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import io.tidemark.log.AppendResult;
import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.OutOfOrderSequenceException;
import io.tidemark.log.errors.ProducerFencedException;
import io.tidemark.log.errors.UnknownProducerIdException;
import io.tidemark.log.record.CorruptRecordException;
import io.tidemark.log.record.RecordBatchBuilder;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The partition's side of idempotence: duplicates answered, gaps and zombies refused, state kept across restarts. */
class IdempotentAppendTest
{
    private static final long PRODUCER = 4242;

    @TempDir
    Path dir;

    private SegmentedLog open()
    {
        return open(new CachedEpochClock());
    }

    private SegmentedLog open(final CachedEpochClock clock)
    {
        return SegmentedLog.open(new TopicPartition("idem", 0), dir,
            LogConfig.DEFAULTS.withOverrides(Map.of(LogConfig.SEGMENT_BYTES, "1024")), clock);
    }

    private static ByteBuffer batch(final long producerId, final int epoch, final int firstSequence, final int records)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(4096);
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, buffer.capacity())
            .producer(producerId, (short)epoch, firstSequence);
        for (int i = 0; i < records; i++)
        {
            builder.append(1, null, ("s" + (firstSequence + i)).getBytes(StandardCharsets.UTF_8));
        }
        return buffer.limit(builder.finish());
    }

    @Test
    void aRetriedBatchIsAnsweredWithTheOriginalOffsetsAndWrittenOnce()
    {
        try (SegmentedLog log = open())
        {
            final AppendResult first = log.append(batch(PRODUCER, 0, 0, 3));
            final AppendResult second = log.append(batch(PRODUCER, 0, 3, 2));
            assertEquals(first, log.append(batch(PRODUCER, 0, 0, 3)), "retry of an older in-flight batch");
            assertEquals(second, log.append(batch(PRODUCER, 0, 3, 2)), "retry of the last batch");
            assertEquals(5, log.logEndOffset());
            assertEquals(5, LogFixtures.readAll(log, 0).size());
        }
    }

    @Test
    void aGapOrAReorderingIsRefusedAndWritesNothing()
    {
        try (SegmentedLog log = open())
        {
            log.append(batch(PRODUCER, 0, 0, 3));
            final OutOfOrderSequenceException gap = assertThrows(OutOfOrderSequenceException.class, () -> log.append(batch(PRODUCER, 0, 5, 1)));
            assertTrue(gap.getMessage().contains("sequence 5 where 3 was expected"), gap.getMessage());
            assertThrows(OutOfOrderSequenceException.class, () -> log.append(batch(PRODUCER, 0, 1, 1)));
            assertEquals(3, log.logEndOffset());
            log.append(batch(PRODUCER, 0, 3, 1));
            assertEquals(4, log.logEndOffset());
        }
    }

    @Test
    void anOlderEpochIsFencedAndANewEpochStartsAtZero()
    {
        try (SegmentedLog log = open())
        {
            log.append(batch(PRODUCER, 1, 0, 2));
            assertThrows(ProducerFencedException.class, () -> log.append(batch(PRODUCER, 0, 2, 1)));
            assertThrows(OutOfOrderSequenceException.class, () -> log.append(batch(PRODUCER, 2, 7, 1)));
            log.append(batch(PRODUCER, 2, 0, 1));
            assertThrows(ProducerFencedException.class, () -> log.append(batch(PRODUCER, 1, 2, 1)));
            assertEquals(3, log.logEndOffset());
        }
    }

    @Test
    void anUnknownProducerMustStartAtSequenceZero()
    {
        try (SegmentedLog log = open())
        {
            assertThrows(UnknownProducerIdException.class, () -> log.append(batch(7, 0, 12, 1)));
            assertEquals(0, log.logEndOffset());
        }
    }

    @Test
    void anIdempotentAppendHoldsExactlyOneBatch()
    {
        try (SegmentedLog log = open())
        {
            final ByteBuffer a = batch(PRODUCER, 0, 0, 1);
            final ByteBuffer b = batch(PRODUCER, 0, 1, 1);
            final ByteBuffer both = ByteBuffer.allocate(a.remaining() + b.remaining()).put(a).put(b).flip();
            assertThrows(CorruptRecordException.class, () -> log.append(both));
            assertEquals(0, log.logEndOffset());
        }
    }

    @Test
    void theStateSurvivesARestartFromTheSnapshotAndWithoutIt() throws IOException
    {
        AppendResult last;
        try (SegmentedLog log = open())
        {
            for (int i = 0; i < 40; i++)
            {
                log.append(batch(PRODUCER, 0, i * 2, 2)); // several rolls, so snapshots mid-log
            }
            last = log.append(batch(PRODUCER, 0, 80, 2));
            assertTrue(log.segmentCount() > 3);
        }
        try (SegmentedLog log = open())
        {
            assertEquals(last, log.append(batch(PRODUCER, 0, 80, 2)), "duplicate known from the snapshot");
            assertThrows(OutOfOrderSequenceException.class, () -> log.append(batch(PRODUCER, 0, 90, 1)));
            log.append(batch(PRODUCER, 0, 82, 1));
        }
        try (Stream<Path> snapshots = Files.list(dir))
        {
            for (final Path file : snapshots.filter(f -> f.toString().endsWith(".snapshot")).toList())
            {
                Files.delete(file); // as if they were lost: the log itself is the truth
            }
        }
        try (SegmentedLog log = open())
        {
            assertEquals(83, log.logEndOffset());
            assertEquals(new AppendResult(82, 82, -1, 1), log.append(batch(PRODUCER, 0, 82, 1)), "duplicate known from replaying the log");
            assertThrows(OutOfOrderSequenceException.class, () -> log.append(batch(PRODUCER, 0, 84, 1)));
            assertEquals(83, log.append(batch(PRODUCER, 0, 83, 1)).firstOffset());
        }
    }

    @Test
    void aProducerSilentForTheExpirationIsForgottenAcrossRestartsAndAnActiveOneIsKept() throws IOException
    {
        final long other = PRODUCER + 1;
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(1_000);
        try (SegmentedLog log = open(clock))
        {
            log.append(batch(PRODUCER, 0, 0, 2));
            final AppendResult otherFirst = log.append(batch(other, 0, 0, 1));
            clock.update(5_000);
            final AppendResult otherSecond = log.append(batch(other, 0, 1, 1));

            assertEquals(0, log.expireProducers(5_999, 5_000), "silent for 4,999 ms of 5,000");
            assertEquals(1, log.expireProducers(6_000, 5_000));
            final UnknownProducerIdException forgotten = assertThrows(UnknownProducerIdException.class,
                () -> log.append(batch(PRODUCER, 0, 2, 1)));
            assertTrue(forgotten.getMessage().contains("no state for producer " + PRODUCER), forgotten.getMessage());
            clock.update(6_000);
            log.append(batch(PRODUCER, 0, 0, 1)); // starts over, as Kafka's producer does
            assertEquals(otherSecond, log.append(batch(other, 0, 1, 1)), "the active producer is still known");
            assertEquals(otherFirst.firstOffset() + 1, otherSecond.firstOffset());
        }
        clock.update(9_000);
        try (SegmentedLog log = open(clock))
        {
            // The last appends' times came back with the snapshot: the other producer's (5,000) first.
            assertEquals(0, log.expireProducers(9_999, 5_000));
            assertEquals(1, log.expireProducers(10_000, 5_000));
            assertEquals(1, log.expireProducers(11_000, 5_000));
        }
        try (Stream<Path> snapshots = Files.list(dir))
        {
            for (final Path file : snapshots.filter(f -> f.toString().endsWith(".snapshot")).toList())
            {
                Files.delete(file);
            }
        }
        clock.update(20_000);
        try (SegmentedLog log = open(clock))
        {
            // Replayed from the log: both count as seen when the log was opened.
            assertEquals(0, log.expireProducers(24_999, 5_000));
            assertEquals(2, log.expireProducers(25_000, 5_000));
        }
    }
}
