package io.tidemark.log.topic;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

import io.tidemark.log.errors.DataDirectoryLockedException;
import io.tidemark.log.errors.LogStorageException;
import io.tidemark.log.storage.DurableFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The layout of a data directory, and the lock that gives one process the whole of it:
 *
 * <pre>
 * data/
 *   .lock                          held (an OS file lock) while a log manager has it open
 *   topics/&lt;topic&gt;/topic.properties partition count, topic id and configuration overrides
 *   topics/&lt;topic&gt;/&lt;partition&gt;/       the partition's segments
 *   staging/                       topics being created (metadata and every partition's
 *                                  directory), moved into topics/ when complete
 *   trash/                         topics being deleted, emptied at start-up if a crash or a
 *                                  full disk interrupted a deletion
 * </pre>
 *
 * Topics appear and disappear by a single directory rename, so a crash never leaves half a
 * topic in {@code topics/}; a rename writes no data, so deleting works on a full disk.
 */
final class DataDirectory implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(final Path root, final FileChannel lockChannel, final FileLock lock)
    {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Creates the directory if needed, locks it, and clears what an interrupted creation or
     * deletion left behind.
     *
     * @throws DataDirectoryLockedException if another log manager holds it.
     */
    static DataDirectory open(final Path root)
    {
        try
        {
            Files.createDirectories(root);
            final FileChannel channel = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            final FileLock lock;
            try
            {
                lock = channel.tryLock();
            }
            catch (final OverlappingFileLockException e)
            {
                channel.close();
                throw new DataDirectoryLockedException("data directory " + root + " is already open in this process");
            }
            if (lock == null)
            {
                channel.close();
                throw new DataDirectoryLockedException("data directory " + root +
                    " is in use by another process (it holds the lock on " + root.resolve(".lock") + ")");
            }
            final DataDirectory dir = new DataDirectory(root, channel, lock);
            try
            {
                Files.createDirectories(dir.topics());
                Files.createDirectories(dir.staging());
                Files.createDirectories(dir.trash());
                clearLeftovers(dir.staging(), "an interrupted topic creation");
                clearLeftovers(dir.trash(), "an interrupted topic deletion");
            }
            catch (final IOException | RuntimeException e)
            {
                // Let go of the lock, or a retry in this process would find the directory "already open".
                channel.close();
                throw e;
            }
            return dir;
        }
        catch (final IOException e)
        {
            throw new LogStorageException("cannot open data directory " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes what a crash or a failure left in {@code staging/} or {@code trash/}, logging
     * each. What cannot be deleted (a full or failing disk) stays, is never served, and is
     * tried again at the next open: it must not keep the data directory from opening.
     */
    private static void clearLeftovers(final Path dir, final String what) throws IOException
    {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir))
        {
            for (final Path leftover : leftovers)
            {
                try
                {
                    deleteRecursively(leftover);
                    LOG.warn("removed {} left by {}", leftover, what);
                }
                catch (final IOException e)
                {
                    LOG.error("cannot remove {} left by {} (it is not served; tried again at the next open): {}", leftover, what,
                        e.toString());
                }
            }
        }
    }

    Path root()
    {
        return root;
    }

    Path topics()
    {
        return root.resolve("topics");
    }

    Path topic(final String name)
    {
        return topics().resolve(name);
    }

    Path staging()
    {
        return root.resolve("staging");
    }

    Path trash()
    {
        return root.resolve("trash");
    }

    /** Forces a directory's entries (a rename into it) to disk. */
    static void syncDirectory(final Path dir) throws IOException
    {
        DurableFile.syncDirectory(dir);
    }

    static void deleteRecursively(final Path path) throws IOException
    {
        if (!Files.exists(path))
        {
            return;
        }
        try (Stream<Path> walk = Files.walk(path))
        {
            for (final Path p : walk.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(p);
            }
        }
    }

    @Override
    public void close() throws IOException
    {
        try
        {
            lock.release();
        }
        finally
        {
            lockChannel.close();
        }
    }
}
