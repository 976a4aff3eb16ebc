package io.tidemark.log.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

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
}
