package io.tidemark.log.storage;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import com.sun.management.UnixOperatingSystemMXBean;
import io.tidemark.log.LogConfig;
import io.tidemark.log.LogSlice;
import io.tidemark.log.TopicPartition;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChannelPoolTest
{
    @Test
    void theDescriptorLimitIsTheOneTheManagementBeanReports()
    {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix)
        {
            assertEquals(unix.getMaxFileDescriptorCount(), ChannelPool.descriptorLimit());
            assertEquals(Math.max(64, Math.min(Integer.MAX_VALUE, unix.getMaxFileDescriptorCount() / 4)), ChannelPool.defaultMaxOpenFiles());
        }
    }

    @TempDir
    Path dir;

    private SegmentedLog open(final String name, final ChannelPool pool)
    {
        return SegmentedLog.open(new TopicPartition(name, 0), dir.resolve(name), LogConfig.DEFAULTS, new CachedEpochClock(), pool);
    }

    private static byte[] bytesOf(final LogSlice slice) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.allocate(slice.sizeInBytes());
        slice.readInto(bytes);
        return bytes.array();
    }

    @Test
    void logsBeyondTheBudgetTakeTurnsWithTheOpenFiles()
    {
        final ChannelPool pool = new ChannelPool(2);
        final List<SegmentedLog> logs = Stream.of("a", "b", "c", "d", "e").map(name -> open(name, pool)).toList();
        try
        {
            assertEquals(0, pool.openFiles(), "opening a log opens no file");
            for (int round = 0; round < 3; round++)
            {
                for (final SegmentedLog log : logs)
                {
                    log.append(LogFixtures.batch(log.topicPartition().topic() + round, 1_000));
                    assertTrue(pool.openFiles() <= 2, "open files: " + pool.openFiles());
                }
            }
            for (final SegmentedLog log : logs)
            {
                final String name = log.topicPartition().topic();
                assertEquals(List.of(name + "00", name + "10", name + "20"),
                    LogFixtures.readAll(log, 0).stream().map(LogFixtures.Stored::value).toList());
            }
            assertTrue(pool.opens() > 5, "files were closed and opened again: " + pool.opens());
        }
        finally
        {
            logs.forEach(SegmentedLog::close);
        }
        assertEquals(0, pool.openFiles(), "closing the logs closed their files");
    }

    @Test
    void aSliceWaitingToBeSentSurvivesItsFileBeingClosedByTheBudget() throws IOException
    {
        final ChannelPool pool = new ChannelPool(1);
        try (SegmentedLog a = open("a", pool); SegmentedLog b = open("b", pool))
        {
            a.append(LogFixtures.batch("a", 1, 2, 3));
            b.append(LogFixtures.batch("b", 1));
            final LogSlice slice = a.read(0, 1 << 20);
            final byte[] expected = bytesOf(slice);
            bytesOf(b.read(0, 1 << 20)); // b's file takes the one slot: a's is closed
            final long opensBefore = pool.opens();

            final Path sent = dir.resolve("sent");
            try (var target = java.nio.channels.FileChannel.open(sent, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE))
            {
                long position = 0;
                while (position < slice.sizeInBytes())
                {
                    position += slice.transferTo(target, position, slice.sizeInBytes() - position);
                }
            }
            assertArrayEquals(expected, Files.readAllBytes(sent));
            assertTrue(pool.opens() > opensBefore, "the slice's file was opened again");
        }
    }

    @Test
    void aFileInUseIsNeverClosedByTheBudget() throws IOException
    {
        final ChannelPool pool = new ChannelPool(1);
        try (SegmentedLog a = open("a", pool); SegmentedLog b = open("b", pool))
        {
            a.append(LogFixtures.batchOf("a", 2_000, 1));
            b.append(LogFixtures.batch("b", 1));
            final LogSlice slice = a.read(0, 1 << 20);
            final byte[] expected = bytesOf(slice);
            final ByteBuffer received = ByteBuffer.allocate(slice.sizeInBytes());
            // A socket-like target (not a file): the JDK copies through it in chunks, and every
            // chunk reads b meanwhile, which needs the pool's only slot that a's send holds.
            final WritableByteChannel target = new WritableByteChannel()
            {
                @Override
                public int write(final ByteBuffer src)
                {
                    try
                    {
                        bytesOf(b.read(0, 1 << 20));
                    }
                    catch (final IOException e)
                    {
                        throw new java.io.UncheckedIOException(e);
                    }
                    final int written = Math.min(src.remaining(), 512);
                    received.put(src.slice(src.position(), written));
                    src.position(src.position() + written);
                    return written;
                }

                @Override
                public boolean isOpen()
                {
                    return true;
                }

                @Override
                public void close()
                {
                }
            };
            long position = 0;
            while (position < slice.sizeInBytes())
            {
                position += slice.transferTo(target, position, slice.sizeInBytes() - position);
            }
            assertArrayEquals(expected, received.array());
            assertTrue(pool.openFiles() <= 1, "back within the budget once the send ended: " + pool.openFiles());
        }
    }

    @Test
    void abandoningALogWritesNothing() throws IOException
    {
        final Path logDir = dir.resolve("a");
        final SegmentedLog log = open("a", new ChannelPool(4));
        log.append(LogFixtures.batch("a", 1, 2));
        final List<String> before = names(logDir);
        log.abandon();
        assertEquals(before, names(logDir), "no index, snapshot or other file was written");
        assertFalse(before.stream().anyMatch(name -> name.endsWith(".index") || name.endsWith(".snapshot")), before.toString());
    }

    private static List<String> names(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.map(file -> file.getFileName() + ":" + file.toFile().length()).sorted().toList();
        }
    }

    /**
     * The pool opens a file by its name under its lock; a rename taking the same lock cannot
     * fall between the pool reading the name and opening it, where the cleaner's next rename
     * would have put the cleaned file under the old name.
     */
    @Test
    void aRenameWaitsForTheLockTheOpeningOfAFileTakes() throws Exception
    {
        final ChannelPool pool = new ChannelPool(1);
        final Path old = Files.writeString(dir.resolve("old"), "old bytes");
        final Path aside = dir.resolve("aside");
        final SegmentFile file = new SegmentFile(old, pool);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread mover = new Thread(() ->
        {
            try
            {
                file.moveTo(aside);
            }
            catch (final IOException | RuntimeException e)
            {
                failure.set(e);
            }
        });
        synchronized (pool)
        {
            mover.start();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (mover.getState() != Thread.State.BLOCKED && mover.getState() != Thread.State.TERMINATED && System.nanoTime() < deadline)
            {
                Thread.onSpinWait();
            }
            assertEquals(Thread.State.BLOCKED, mover.getState(), "the rename waits for the pool's lock");
            assertTrue(Files.exists(old), "nothing renamed while an opening could be reading the name");
            assertEquals(old, file.path());
        }
        mover.join(TimeUnit.SECONDS.toMillis(30));
        assertEquals(null, failure.get());
        assertEquals(aside, file.path());
        assertFalse(Files.exists(old));
        final FileChannel channel = file.acquire();
        try
        {
            assertEquals(9, channel.size(), "a reopening finds the file under its new name");
        }
        finally
        {
            file.release();
        }
    }
}
