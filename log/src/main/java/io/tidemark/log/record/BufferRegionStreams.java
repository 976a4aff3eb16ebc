package io.tidemark.log.record;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * Streams over a region of a buffer, for the codecs that read and write streams. They use
 * absolute gets and puts, so the buffer's position and limit are never touched and a
 * read-only or memory-mapped buffer works as well as a heap one.
 */
final class BufferRegionStreams
{
    private BufferRegionStreams()
    {
    }

    /** Reads the bytes of {@code buffer} from {@code from} to {@code to}. */
    static final class In extends InputStream
    {
        private final ByteBuffer buffer;
        private final int end;
        private int position;

        In(final ByteBuffer buffer, final int from, final int to)
        {
            this.buffer = buffer;
            this.position = from;
            this.end = to;
        }

        @Override
        public int read()
        {
            return position < end ? buffer.get(position++) & 0xFF : -1;
        }

        @Override
        public int read(final byte[] bytes, final int offset, final int length)
        {
            if (length == 0)
            {
                return 0;
            }
            if (position >= end)
            {
                return -1;
            }
            final int count = Math.min(length, end - position);
            buffer.get(position, bytes, offset, count);
            position += count;
            return count;
        }

        @Override
        public int available()
        {
            return end - position;
        }
    }

    /**
     * Writes into {@code buffer} from {@code from}, never at or past {@code to}: a write that
     * does not fit throws {@link BufferOverflowException}.
     */
    static final class Out extends OutputStream
    {
        private final ByteBuffer buffer;
        private final int end;
        private int position;

        Out(final ByteBuffer buffer, final int from, final int to)
        {
            this.buffer = buffer;
            this.position = from;
            this.end = to;
        }

        @Override
        public void write(final int b)
        {
            if (position >= end)
            {
                throw new BufferOverflowException();
            }
            buffer.put(position++, (byte)b);
        }

        @Override
        public void write(final byte[] bytes, final int offset, final int length)
        {
            if (length > end - position)
            {
                throw new BufferOverflowException();
            }
            buffer.put(position, bytes, offset, length);
            position += length;
        }

        /**
         * @return the index after the last byte written.
         */
        int position()
        {
            return position;
        }
    }
}
