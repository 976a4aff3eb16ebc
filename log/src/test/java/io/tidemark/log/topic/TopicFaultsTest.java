package io.tidemark.log.topic;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.sun.management.UnixOperatingSystemMXBean;
import io.tidemark.log.LogConfig;
import io.tidemark.log.LogSlice;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.InvalidPartitionsException;
import io.tidemark.log.errors.LogStorageException;
import io.tidemark.log.record.Record;
import io.tidemark.log.record.RecordBatch;
import io.tidemark.log.record.RecordBatchBuilder;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a data directory survives: more partitions than descriptors, creations that fail half
 * way, deletions on a full disk or cut short by a crash, and topics damaged on disk.
 */
class TopicFaultsTest
{
    @TempDir
    Path temp;

    private Path mounted;

    private LogManager open(final Path dataDir, final StorageLimits limits)
    {
        return LogManager.open(dataDir, LogConfig.DEFAULTS, SystemEpochClock.INSTANCE, Duration.ofHours(1), Duration.ofHours(1),
            LogManager.DEFAULT_PRODUCER_ID_EXPIRATION, limits);
    }

    private static void append(final PartitionLog log, final String value)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(128 + value.length());
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(buffer, 0, buffer.capacity());
        builder.append(1, null, value.getBytes(StandardCharsets.UTF_8));
        log.append(buffer.limit(builder.finish()));
    }

    private static String valueAt(final PartitionLog log, final long offset) throws IOException
    {
        final LogSlice slice = log.read(offset, 1 << 16);
        final ByteBuffer bytes = ByteBuffer.allocate(slice.sizeInBytes());
        slice.readInto(bytes);
        final Record record = new RecordBatch().wrap(bytes, 0).records();
        while (record.next())
        {
            if (record.offset() == offset)
            {
                return new String(record.value(), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static long openDescriptors()
    {
        return ((UnixOperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean()).getOpenFileDescriptorCount();
    }

    private static List<String> list(final Path dir) throws IOException
    {
        try (Stream<Path> entries = Files.list(dir))
        {
            return entries.map(entry -> entry.getFileName().toString()).sorted().toList();
        }
    }

    /** Mounts a small tmpfs (needs root); the test is skipped where that is not allowed. */
    private Path mountTmpfs(final String options) throws Exception
    {
        final Path point = Files.createDirectory(temp.resolve("mount"));
        final Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", point.toString())
            .redirectErrorStream(true).start();
        final boolean done = mount.waitFor(60, TimeUnit.SECONDS);
        assumeTrue(done && mount.exitValue() == 0, "cannot mount a tmpfs here: " + new String(mount.getInputStream().readAllBytes(),
            StandardCharsets.UTF_8));
        mounted = point;
        return point;
    }

    @AfterEach
    void unmount() throws Exception
    {
        if (mounted != null)
        {
            final Process umount = new ProcessBuilder("umount", "-l", mounted.toString()).redirectErrorStream(true).start();
            assertTrue(umount.waitFor(60, TimeUnit.SECONDS) && umount.exitValue() == 0, "unmounted " + mounted);
        }
    }

    @Test
    void fiveThousandPartitionsOpenAndServeUnderABudgetOfThirtyTwoFiles() throws IOException
    {
        // Every log writes its snapshot and indexes with an fsync when it closes; on tmpfs that
        // costs nothing, so the test measures descriptors, not the disk.
        final Path shm = Path.of("/dev/shm");
        final Path dataDir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "tidemark-wide") :
            temp.resolve("data");
        final int partitions = 5_000;
        final StorageLimits limits = new StorageLimits(StorageLimits.DEFAULT_MAX_PARTITIONS_PER_TOPIC, 32);
        try
        {
            final long before = openDescriptors();
            try (LogManager manager = open(dataDir, limits))
            {
                manager.createTopic("wide", partitions, Map.of());
                for (int p = 0; p < partitions; p++)
                {
                    append(manager.partition(new TopicPartition("wide", p)), "first " + p);
                }
                for (int p = 0; p < partitions; p++)
                {
                    assertEquals("first " + p, valueAt(manager.partition(new TopicPartition("wide", p)), 0));
                }
                assertTrue(openDescriptors() < before + 32 + 16, "descriptors: " + before + " before, " + openDescriptors() + " now");
            }
            try (LogManager manager = open(dataDir, limits))
            {
                assertTrue(openDescriptors() < before + 32 + 16, "descriptors after opening: " + openDescriptors());
                for (int p = 0; p < partitions; p++)
                {
                    final PartitionLog log = manager.partition(new TopicPartition("wide", p));
                    append(log, "second " + p);
                    assertEquals("first " + p, valueAt(log, 0));
                    assertEquals("second " + p, valueAt(log, 1));
                }
                assertTrue(openDescriptors() < before + 32 + 16, "descriptors after serving: " + openDescriptors());
            }
        }
        finally
        {
            DataDirectory.deleteRecursively(dataDir);
        }
    }

    @Test
    void aTopicBeyondThePartitionLimitIsRefusedAndLeavesNothing() throws IOException
    {
        final Path dataDir = temp.resolve("data");
        try (LogManager manager = open(dataDir, new StorageLimits(100, 64)))
        {
            for (final int partitions : new int[] {101, 32_768, 1_000_000})
            {
                final InvalidPartitionsException e = assertThrows(InvalidPartitionsException.class,
                    () -> manager.createTopic("big", partitions, Map.of()));
                assertTrue(e.getMessage().contains("at most 100") && e.getMessage().contains(Integer.toString(partitions)), e.getMessage());
            }
            assertEquals(List.of(), list(dataDir.resolve("topics")));
            assertEquals(List.of(), list(dataDir.resolve("staging")));
            assertEquals(100, manager.createTopic("big", 100, Map.of()).partitions().size());
        }
    }

    @Test
    void aCreationFailingHalfWayLeavesNothingAndTheNextOpenIsClean() throws IOException
    {
        final Path dataDir = temp.resolve("data");
        try (LogManager manager = open(dataDir, StorageLimits.defaults()))
        {
            // Something not a topic's directory stands where the topic must go: the 500
            // partition directories are staged, then the rename into place fails.
            Files.writeString(dataDir.resolve("topics/t"), "not a topic");
            final LogStorageException e = assertThrows(LogStorageException.class, () -> manager.createTopic("t", 500, Map.of()));
            assertTrue(e.getMessage().contains("nothing of it was kept"), e.getMessage());
            assertEquals(List.of(), list(dataDir.resolve("staging")));
            assertEquals(List.of(), manager.listTopics());
            assertEquals("not a topic", Files.readString(dataDir.resolve("topics/t")), "what stood there is untouched");
            Files.delete(dataDir.resolve("topics/t"));
        }
        try (LogManager manager = open(dataDir, StorageLimits.defaults()))
        {
            assertEquals(List.of(), manager.listTopics());
            assertEquals(Map.of(), manager.unopenedTopics());
            manager.createTopic("t", 500, Map.of());
            append(manager.partition(new TopicPartition("t", 499)), "works");
        }
    }

    @Test
    void aCreationThatRunsOutOfInodesHalfWayLeavesNothing() throws Exception
    {
        // Room for the 400 staged partition directories, not for all 400 segment files after.
        final Path dataDir = mountTmpfs("size=16m,nr_inodes=620").resolve("data");
        try (LogManager manager = open(dataDir, StorageLimits.defaults()))
        {
            final LogStorageException e = assertThrows(LogStorageException.class, () -> manager.createTopic("t", 400, Map.of()));
            assertTrue(e.getMessage().contains("nothing of it was kept"), e.getMessage());
            assertEquals(List.of(), manager.listTopics());
            assertEquals(List.of(), list(dataDir.resolve("topics")));
            assertEquals(List.of(), list(dataDir.resolve("staging")));
            assertEquals(List.of(), list(dataDir.resolve("trash")));
            manager.createTopic("small", 10, Map.of());
            append(manager.partition(new TopicPartition("small", 9)), "fits");
        }
        try (LogManager manager = open(dataDir, StorageLimits.defaults()))
        {
            assertEquals(List.of("small"), manager.listTopics());
            assertEquals(Map.of(), manager.unopenedTopics());
            assertEquals("fits", valueAt(manager.partition(new TopicPartition("small", 9)), 0));
        }
    }

    @Test
    void deletingATopicOnAFullDiskFreesItsSpaceForGood() throws Exception
    {
        final Path dataDir = mountTmpfs("size=8m").resolve("data");
        try (LogManager manager = open(dataDir, StorageLimits.defaults()))
        {
            manager.createTopic("other", 1, Map.of());
            append(manager.partition(new TopicPartition("other", 0)), "kept");
            manager.createTopic("filler", 1, Map.of());
            final PartitionLog filler = manager.partition(new TopicPartition("filler", 0));
            final String chunk = "x".repeat(64 * 1024);
            assertThrows(LogStorageException.class, () ->
            {
                for (int i = 0; i < 1_000; i++)
                {
                    append(filler, chunk);
                }
            }, "the disk filled up");
            assertTrue(Files.getFileStore(dataDir).getUsableSpace() < 256 * 1024, "full");

            manager.deleteTopic("filler");
            assertTrue(Files.getFileStore(dataDir).getUsableSpace() > 6 * 1024 * 1024,
                "freed: " + Files.getFileStore(dataDir).getUsableSpace());
            assertEquals(List.of("other"), manager.listTopics());
            append(manager.partition(new TopicPartition("other", 0)), "after");
        }
        try (LogManager manager = open(dataDir, StorageLimits.defaults()))
        {
            assertEquals(List.of("other"), manager.listTopics());
            assertEquals("after", valueAt(manager.partition(new TopicPartition("other", 0)), 1));
        }
    }

    @Test
    void aDeletionCutShortAfterItsRenameStaysDeleted() throws IOException
    {
        final Path dataDir = temp.resolve("data");
        try (LogManager manager = open(dataDir, StorageLimits.defaults()))
        {
            manager.createTopic("gone", 3, Map.of());
            manager.createTopic("kept", 1, Map.of());
            append(manager.partition(new TopicPartition("gone", 2)), "old data");
        }
        // What deleteTopic's rename leaves if the process dies before the files are unlinked.
        Files.move(dataDir.resolve("topics/gone"), dataDir.resolve("trash/0b0e2f53-gone"));
        try (LogManager manager = open(dataDir, StorageLimits.defaults()))
        {
            assertEquals(List.of("kept"), manager.listTopics());
            assertEquals(List.of(), list(dataDir.resolve("trash")));
            manager.createTopic("gone", 3, Map.of());
            assertEquals(0, manager.partition(new TopicPartition("gone", 2)).logEndOffset(), "a new, empty topic");
        }
    }

    @Test
    void aDamagedTopicIsReportedAndTheOthersAreServed() throws IOException
    {
        final Path dataDir = temp.resolve("data");
        try (LogManager manager = open(dataDir, StorageLimits.defaults()))
        {
            for (final String topic : List.of("ok", "bad-segment", "bad-partition"))
            {
                manager.createTopic(topic, 2, Map.of());
                append(manager.partition(new TopicPartition(topic, 1)), topic);
            }
        }
        final Path segment = dataDir.resolve("topics/bad-segment/1/00000000000000000000.log");
        Files.delete(segment);
        Files.createDirectory(segment);
        final Path partition = dataDir.resolve("topics/bad-partition/0");
        DataDirectory.deleteRecursively(partition);
        Files.writeString(partition, "garbage");

        try (LogManager manager = open(dataDir, StorageLimits.defaults()))
        {
            assertEquals(List.of("ok"), manager.listTopics());
            final Map<String, String> unopened = manager.unopenedTopics();
            assertEquals(List.of("bad-partition", "bad-segment"), List.copyOf(unopened.keySet()));
            assertTrue(unopened.get("bad-segment").contains(segment.toString()), unopened.get("bad-segment"));
            assertTrue(unopened.get("bad-partition").contains(partition.toString()), unopened.get("bad-partition"));
            assertEquals("ok", valueAt(manager.partition(new TopicPartition("ok", 1)), 0));
            append(manager.partition(new TopicPartition("ok", 0)), "still served");

            manager.deleteTopic("bad-segment");
            assertFalse(Files.exists(dataDir.resolve("topics/bad-segment")));
            assertEquals(List.of("bad-partition"), List.copyOf(manager.unopenedTopics().keySet()));
            manager.createTopic("bad-segment", 1, Map.of());
        }
        assertTrue(Files.exists(partition), "an unopened topic's files are kept until it is deleted");
    }
}
