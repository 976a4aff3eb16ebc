package io.tidemark.log.storage;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

import io.tidemark.log.LogSlice;

/**
 * A run of bytes of a segment file. {@link #transferTo} sends it with {@code sendfile}, never
 * copying it into the heap.
 *
 * <p>A slice holds no open file: the segment's file may be closed by the {@link ChannelPool}
 * while a slice waits to be sent, and each {@link #transferTo} or {@link #readInto} opens it
 * again if needed and keeps it open (pinned) for the duration of the call.
 */
public final class FileSlice implements LogSlice
{
    private final Segment segment;
    private final int position;
    private final int size;

    FileSlice(final Segment segment, final int position, final int size)
    {
        this.segment = segment;
        this.position = position;
        this.size = size;
    }

    @Override
    public int sizeInBytes()
    {
        return size;
    }

    @Override
    public void readInto(final ByteBuffer destination) throws IOException
    {
        segment.readFully(destination, position, size);
    }

    @Override
    public ByteBuffer buffer() throws IOException
    {
        return segment.mappedView(position, size);
    }

    @Override
    public long transferTo(final WritableByteChannel target, final long offset, final long count) throws IOException
    {
        final long length = Math.min(count, size - offset);
        if (length <= 0)
        {
            if (offset > size)
            {
                throw new EOFException("offset " + offset + " is past the end of a slice of " + size + " bytes");
            }
            return 0;
        }
        return segment.transferTo(position + offset, length, target);
    }

    @Override
    public String toString()
    {
        return "FileSlice{position=" + position + ", size=" + size + '}';
    }
}
