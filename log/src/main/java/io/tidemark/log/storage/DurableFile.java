package io.tidemark.log.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Small files written whole, so that a crash leaves either the old contents or the new. */
public final class DurableFile
{
    private DurableFile()
    {
    }

    /**
     * Writes the file through a temporary sibling, forced to disk, and a rename. The directory
     * entry is the caller's to sync.
     *
     * @param file the file to write or replace.
     * @param bytes its new contents, from position to limit.
     * @throws IOException if it cannot be written.
     */
    public static void replace(final Path file, final ByteBuffer bytes) throws IOException
    {
        final Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            while (bytes.hasRemaining())
            {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Forces a directory's entries (a rename into it) to disk.
     *
     * @param dir the directory.
     * @throws IOException if it cannot be forced.
     */
    public static void syncDirectory(final Path dir) throws IOException
    {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }
}
