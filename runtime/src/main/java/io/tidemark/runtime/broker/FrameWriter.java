package io.tidemark.runtime.broker;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.tidemark.log.LogSlice;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.Writable;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Encodes one response frame (size, header, body) with Kafka's generated message code, into
 * Netty buffers. Records of a fetch that are still in a segment file ({@link SliceRecords})
 * are not copied: the frame is written as buffer, file region, buffer, ... in order, and the
 * socket sends the file regions with {@code sendfile}.
 *
 * <pre>
 *   int32 size | response header | body fields ... | records (file region) | more fields ...
 * </pre>
 *
 * <p>A slice of at most {@value #COPIED_SLICE_BYTES} bytes (a caught-up consumer's record or
 * few) is read into the buffer instead: one {@code pread} of it, then the whole frame in one
 * socket write, where a file region costs a write of the bytes before it, a {@code sendfile}
 * (with an {@code fstat} of the file) and a write of those after, each sending a TCP segment
 * of its own.
 *
 * <p>Nothing reaches the context until the whole frame is encoded: a slice that cannot be read
 * (its segment deleted by retention since the fetch read it) fails the encode with an
 * {@link UncheckedIOException} and leaves no part of a frame queued on the connection.
 *
 * Not thread-safe: one writer per frame, on the connection's event loop.
 */
final class FrameWriter implements Writable
{
    /** The largest slice read into the frame rather than sent from the file. */
    static final int COPIED_SLICE_BYTES = 8 * 1024;

    private final ChannelHandlerContext ctx;
    private final ByteBuf buffer;
    /** The frame's pieces before the buffer's tail, when a slice goes out as a file region; null until one does. */
    private List<Object> pieces;
    private int unwrittenFrom;

    private FrameWriter(final ChannelHandlerContext ctx, final ByteBuf buffer)
    {
        this.ctx = ctx;
        this.buffer = buffer;
    }

    /**
     * Writes a response frame to the context (without flushing).
     *
     * @param ctx the connection.
     * @param correlationId the request's correlation id.
     * @param headerVersion the response header version for the request's API and version.
     * @param body the response body.
     * @param version the API version to encode the body with.
     * @throws UncheckedIOException if a slice's records cannot be read; nothing is written then.
     */
    static void write(final ChannelHandlerContext ctx, final int correlationId, final short headerVersion, final ApiMessage body,
        final short version)
    {
        final ObjectSerializationCache cache = new ObjectSerializationCache();
        final ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
        final MessageSizeAccumulator size = new MessageSizeAccumulator();
        header.addSize(size, cache, headerVersion);
        body.addSize(size, cache, version);

        // Room for a small slice, which is copied in; a larger one goes out as a file region.
        final int zeroCopy = size.totalSize() - size.sizeExcludingZeroCopy();
        final int copied = zeroCopy <= COPIED_SLICE_BYTES ? zeroCopy : 0;
        final ByteBuf buffer = ctx.alloc().ioBuffer(Integer.BYTES + size.sizeExcludingZeroCopy() + copied);
        final FrameWriter writer = new FrameWriter(ctx, buffer);
        try
        {
            buffer.writeInt(size.totalSize());
            header.write(writer, cache, headerVersion);
            body.write(writer, cache, version);
        }
        catch (final RuntimeException | Error e)
        {
            writer.discard();
            throw e;
        }
        writer.finish();
    }

    private void finish()
    {
        if (pieces == null)
        {
            ctx.write(buffer, ctx.voidPromise());
            return;
        }
        for (final Object piece : pieces)
        {
            ctx.write(piece, ctx.voidPromise());
        }
        if (buffer.writerIndex() > unwrittenFrom)
        {
            ctx.write(buffer.retainedSlice(unwrittenFrom, buffer.writerIndex() - unwrittenFrom), ctx.voidPromise());
        }
        buffer.release();
    }

    private void discard()
    {
        if (pieces != null)
        {
            pieces.forEach(ReferenceCountUtil::release);
        }
        buffer.release();
    }

    @Override
    public void writeRecords(final BaseRecords records)
    {
        if (records instanceof SliceRecords slice)
        {
            if (slice.sizeInBytes() == 0)
            {
                return;
            }
            if (slice.sizeInBytes() <= COPIED_SLICE_BYTES)
            {
                copy(slice.slice());
                return;
            }
            if (pieces == null)
            {
                pieces = new ArrayList<>();
            }
            if (buffer.writerIndex() > unwrittenFrom)
            {
                pieces.add(buffer.retainedSlice(unwrittenFrom, buffer.writerIndex() - unwrittenFrom));
            }
            unwrittenFrom = buffer.writerIndex();
            pieces.add(new SliceRegion(slice.slice()));
        }
        else if (records instanceof MemoryRecords memory)
        {
            writeByteBuffer(memory.buffer());
        }
        else
        {
            throw new IllegalArgumentException("cannot encode records of type " + records.getClass().getName());
        }
    }

    private void copy(final LogSlice slice)
    {
        final int bytes = slice.sizeInBytes();
        buffer.ensureWritable(bytes);
        final int at = buffer.writerIndex();
        final ByteBuffer destination = buffer.nioBuffer(at, bytes);
        try
        {
            slice.readInto(destination);
            if (destination.hasRemaining())
            {
                // The rest of the room holds whatever the buffer held before: never send it.
                throw new EOFException("read " + destination.position() + " of a slice's " + bytes + " bytes");
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        buffer.writerIndex(at + bytes);
    }

    @Override
    public void writeByte(final byte value)
    {
        buffer.writeByte(value);
    }

    @Override
    public void writeShort(final short value)
    {
        buffer.writeShort(value);
    }

    @Override
    public void writeInt(final int value)
    {
        buffer.writeInt(value);
    }

    @Override
    public void writeLong(final long value)
    {
        buffer.writeLong(value);
    }

    @Override
    public void writeDouble(final double value)
    {
        buffer.writeDouble(value);
    }

    @Override
    public void writeByteArray(final byte[] bytes)
    {
        buffer.writeBytes(bytes);
    }

    @Override
    public void writeByteBuffer(final ByteBuffer bytes)
    {
        buffer.writeBytes(bytes.duplicate());
    }

    @Override
    public void writeUnsignedVarint(final int value)
    {
        int v = value;
        while ((v & 0xFFFFFF80) != 0)
        {
            buffer.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buffer.writeByte(v);
    }

    @Override
    public void writeVarint(final int value)
    {
        writeUnsignedVarint((value << 1) ^ (value >> 31));
    }

    @Override
    public void writeVarlong(final long value)
    {
        long v = (value << 1) ^ (value >> 63);
        while ((v & 0xFFFFFFFFFFFFFF80L) != 0)
        {
            buffer.writeByte(((int)v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buffer.writeByte((int)v);
    }
}
