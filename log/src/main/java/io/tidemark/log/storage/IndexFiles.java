package io.tidemark.log.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Reading and writing whole index files, which are small and rebuildable. */
final class IndexFiles
{
    private IndexFiles()
    {
    }

    /**
     * @return the file's bytes, or null if it is missing or not a whole number of entries.
     */
    static ByteBuffer read(final Path file, final int entrySize) throws IOException
    {
        if (!Files.exists(file))
        {
            return null;
        }
        final byte[] bytes = Files.readAllBytes(file);
        return bytes.length % entrySize == 0 ? ByteBuffer.wrap(bytes) : null;
    }

    /**
     * Writes the file through a temporary sibling and a rename, so that a crash leaves either
     * the old file or the new one, never half of it.
     */
    static void replace(final Path file, final ByteBuffer bytes) throws IOException
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
}
