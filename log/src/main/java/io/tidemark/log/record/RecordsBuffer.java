package io.tidemark.log.record;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The records of one batch laid out uncompressed in a growable heap buffer: where a reader
 * decompresses a batch, and where a builder keeps the records it compresses. Reused batch
 * after batch, so it grows to the largest batch seen and then allocates no more.
 */
final class RecordsBuffer
{
    /** Larger than any array the JVM allocates: a batch that decompresses past it is refused. */
    private static final int MAX_SIZE = Integer.MAX_VALUE - 8;

    private byte[] bytes = new byte[0];
    private ByteBuffer buffer = ByteBuffer.wrap(bytes);
    private ByteBuffer readOnly = buffer.asReadOnlyBuffer();
    private int size;
    /** The zstd context of this buffer's batches, made on the first. */
    private ZstdDecoder zstd;

    /** Empties the buffer, keeping its memory. */
    void clear()
    {
        size = 0;
    }

    /**
     * @return how many bytes it holds, from index 0.
     */
    int size()
    {
        return size;
    }

    /**
     * @return the bytes, valid until the buffer grows.
     */
    byte[] array()
    {
        return bytes;
    }

    /**
     * @return a big-endian view of the whole array, valid until the buffer grows.
     */
    ByteBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return the same view, read-only: what a reader hands out.
     */
    ByteBuffer readOnly()
    {
        return readOnly;
    }

    /**
     * @return the zstd decoder that writes into this buffer, reused batch after batch.
     */
    ZstdDecoder zstd()
    {
        if (zstd == null)
        {
            zstd = new ZstdDecoder(this);
        }
        return zstd;
    }

    /**
     * Makes room for {@code extra} more bytes after the ones held.
     *
     * @param extra how many bytes will be written at {@link #size()}.
     * @throws CorruptRecordException if the records would pass what one array can hold.
     */
    void reserve(final int extra)
    {
        final long needed = (long)size + extra;
        if (needed <= bytes.length)
        {
            return;
        }
        if (needed > MAX_SIZE)
        {
            throw new CorruptRecordException("records of more than " + MAX_SIZE + " bytes in one batch");
        }
        bytes = Arrays.copyOf(bytes, (int)Math.min(MAX_SIZE, Math.max(needed, 2L * bytes.length)));
        buffer = ByteBuffer.wrap(bytes);
        readOnly = buffer.asReadOnlyBuffer();
    }

    /**
     * Counts bytes written into {@link #array()} at {@link #size()}.
     *
     * @param count how many.
     */
    void advance(final int count)
    {
        size += count;
    }

    /**
     * Appends everything {@code in} gives until it ends.
     *
     * @param in the stream, read in large chunks straight into the array.
     * @throws IOException if the stream fails.
     */
    void readFully(final InputStream in) throws IOException
    {
        while (true)
        {
            reserve(bytes.length == 0 ? 8192 : Math.max(1, bytes.length - size));
            final int read = in.read(bytes, size, bytes.length - size);
            if (read < 0)
            {
                return;
            }
            size += read;
        }
    }
}
