package io.tidemark.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A run of stored bytes returned by a read: whole record batches, except that the last one
 * may be cut short by the byte limit, as in Kafka's fetch responses; readers skip such a tail.
 * A slice of a file can be sent to a socket without passing through the heap
 * ({@link #transferTo}).
 */
public interface LogSlice
{
    /** The slice of a read at the log end offset. */
    LogSlice EMPTY = new LogSlice()
    {
        @Override
        public int sizeInBytes()
        {
            return 0;
        }

        @Override
        public void readInto(final ByteBuffer destination)
        {
        }

        @Override
        public long transferTo(final WritableByteChannel target, final long offset, final long count)
        {
            return 0;
        }

        @Override
        public ByteBuffer buffer()
        {
            return ByteBuffer.allocate(0).asReadOnlyBuffer();
        }
    };

    /**
     * @return the number of bytes in the slice.
     */
    int sizeInBytes();

    /**
     * Copies the slice into {@code destination} from its position, advancing it.
     *
     * @param destination a buffer with at least {@link #sizeInBytes()} bytes remaining.
     * @throws IOException if the storage cannot be read.
     */
    void readInto(ByteBuffer destination) throws IOException;

    /**
     * The slice's bytes as a read-only buffer, without copying where the storage allows (the
     * segment-file backend returns a view of a memory map of the file). Position 0, limit
     * {@link #sizeInBytes()}. The fastest way for an in-process reader to walk the records.
     *
     * @return the bytes.
     * @throws IOException if the storage cannot be mapped or read.
     */
    ByteBuffer buffer() throws IOException;

    /**
     * Writes part of the slice to a channel, zero-copy where the storage allows.
     *
     * @param target the channel, a socket typically.
     * @param offset the first byte of the slice to write.
     * @param count the most bytes to write.
     * @return the number of bytes written, possibly fewer than {@code count}.
     * @throws IOException if reading or writing fails.
     */
    long transferTo(WritableByteChannel target, long offset, long count) throws IOException;
}
