package io.tidemark.log.topic;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import io.tidemark.log.errors.LogStorageException;
import io.tidemark.log.storage.DurableFile;

/**
 * Hands out producer ids, never the same one twice, across restarts: ids are reserved in
 * blocks, and the end of the reserved block is forced to disk ({@code producer-ids} in the
 * data directory) before any id of it is given out. A restart continues after the last
 * reserved block, skipping ids of it that were never used.
 */
final class ProducerIdManager
{
    static final int BLOCK_SIZE = 1000;
    private static final String FILE = "producer-ids";

    private final Path file;
    private long next;
    private long blockEnd;

    ProducerIdManager(final Path dataDir)
    {
        this.file = dataDir.resolve(FILE);
        try
        {
            if (Files.exists(file))
            {
                final String text = Files.readString(file).trim();
                try
                {
                    next = Long.parseLong(text);
                }
                catch (final NumberFormatException e)
                {
                    throw new LogStorageException(file + " holds '" + text + "', not the next producer id; " +
                        "restore it, or remove it only if no producer of this data directory will write again", e);
                }
            }
            blockEnd = next;
        }
        catch (final IOException e)
        {
            throw new LogStorageException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @return a producer id no producer of this data directory has had.
     */
    synchronized long allocate()
    {
        if (next == blockEnd)
        {
            reserve(blockEnd + BLOCK_SIZE);
        }
        return next++;
    }

    private void reserve(final long end)
    {
        try
        {
            DurableFile.replace(file, ByteBuffer.wrap((end + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            DataDirectory.syncDirectory(file.getParent());
            blockEnd = end;
        }
        catch (final IOException e)
        {
            throw new LogStorageException("cannot reserve producer ids in " + file + ": " + e.getMessage(), e);
        }
    }
}
