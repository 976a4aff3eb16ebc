package io.tidemark.runtime.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Cuts a connection's bytes into request frames (an int32 size, then that many bytes), passing
 * on each frame's bytes without the size, and reads the rest of a frame that one socket read
 * left incomplete straight into the frame's own memory, so that no byte of a request is copied
 * after the kernel copied it in.
 *
 * <p>A socket read lands in a buffer of the channel's usual size; the frames complete in it go
 * on as slices of it. A frame it holds only the start of becomes a slice of that buffer too,
 * if the buffer has room for the whole frame behind it, or else a buffer of the frame's own
 * with the part read so far copied in; either way the channel's next reads go into that
 * frame's memory ({@link #recvAllocator}), each one asking the socket for no more than the
 * frame still lacks and its memory has room for, so the read after it starts at the next
 * frame's size. (A decoder that
 * accumulates, as Netty's length-field decoder does, copies every read of a frame larger than
 * one read into its accumulation buffer, growing it by copying again: a produce request of
 * 64 KiB is several reads.)
 *
 * <p>A frame's own buffer is not given the frame's whole size on the word of its size field:
 * it starts at no more than {@value #FIRST_OWN_BUFFER} bytes, or {@value #GROWTH} times what
 * has arrived if that is more, and when the bytes fill it, grows to {@value #GROWTH} times its
 * size (a copy of what it holds), up to the frame's size. So a client that announces large
 * frames and sends none of them has no more memory held for each than a small read's worth,
 * while a large frame is copied a few times at most, and not at all when the read that starts
 * it brings a quarter of it (the read buffers of a connection sending large requests grow to
 * {@value #MAX_READ} bytes). A size above the limit on requests is refused with
 * {@link TooLongFrameException} and a negative one with {@link CorruptedFrameException}, after
 * which nothing more is read into frames.
 *
 * <p>Not thread-safe: the channel's event loop only.
 */
final class FrameReader extends ChannelInboundHandlerAdapter
{
    /**
     * The most memory a frame's own buffer starts with before its bytes justify more: room for
     * a produce request of one 64 KiB batch and its framing, so that such frames are read into
     * their own memory without a copy, while a connection announcing a frame and sending
     * nothing more holds no more than this (1,000 such connections: 125 MiB, not the 2 GiB of
     * buffers of their announced sizes).
     */
    static final int FIRST_OWN_BUFFER = 128 << 10;
    /** How many times the bytes a frame's own buffer holds it may grow to: few copies, little memory ahead of the bytes. */
    static final int GROWTH = 4;
    /** The largest socket read into a fresh buffer: room for a 64 KiB produce request behind others in the same read. */
    static final int MAX_READ = 256 << 10;
    private static final int MIN_READ = 64;
    private static final int FIRST_READ = 2048;
    /** Netty's default for a socket: reads per wake-up before the loop turns to its other channels. */
    private static final int READS_PER_WAKE_UP = 16;

    private final int maxFrameBytes;
    /** Up to three bytes of a size field that a read cut. */
    private final ByteBuf sizeBytes = Unpooled.buffer(Integer.BYTES, Integer.BYTES);
    /** The frame being filled, without its size field, its writer index at the bytes it has; null between frames. */
    private ByteBuf frame;
    private int frameSize;
    /** A duplicate of {@link #frame} handed to the socket read, to be recognised when it comes back; null otherwise. */
    private ByteBuf target;
    /** Refused or closed: bytes are dropped. */
    private boolean stopped;

    /**
     * @param maxFrameBytes the largest frame taken, without its size field.
     */
    FrameReader(final int maxFrameBytes)
    {
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * @return the allocator of read buffers for the channel this reader reads: into the frame
     *         being filled, if there is one, as far as its memory reaches, else a fresh buffer
     *         sized by Netty's adaptive guess, up to {@value #MAX_READ} bytes.
     */
    RecvByteBufAllocator recvAllocator()
    {
        final AdaptiveRecvByteBufAllocator usual = new AdaptiveRecvByteBufAllocator(MIN_READ, FIRST_READ, MAX_READ);
        usual.maxMessagesPerRead(READS_PER_WAKE_UP);
        return () -> new RecvByteBufAllocator.DelegatingHandle(usual.newHandle())
        {
            @Override
            public ByteBuf allocate(final ByteBufAllocator alloc)
            {
                final ByteBuf filling = frame;
                if (filling != null && !stopped)
                {
                    // No more than the bytes the frame lacks: the socket cannot read past it.
                    target = filling.retainedDuplicate();
                    return target;
                }
                target = null;
                return super.allocate(alloc);
            }
        };
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf in = (ByteBuf)msg;
        try
        {
            if (stopped)
            {
                return;
            }
            if (in == target)
            {
                target = null;
                frame.writerIndex(in.writerIndex());
                tookBytes(ctx);
                return;
            }
            split(ctx, in);
        }
        finally
        {
            in.release();
        }
    }

    /** Passes on the frames a read completed, and keeps the start of the one it did not. */
    private void split(final ChannelHandlerContext ctx, final ByteBuf in)
    {
        while (in.isReadable() && !stopped)
        {
            if (frame != null)
            {
                // A frame larger than its own buffer, or one the read was not made into.
                final int take = Math.min(in.readableBytes(), frameSize - frame.writerIndex());
                frame.writeBytes(in, take);
                tookBytes(ctx);
                continue;
            }
            final int size;
            if (sizeBytes.isReadable() || in.readableBytes() < Integer.BYTES)
            {
                sizeBytes.writeBytes(in, Math.min(sizeBytes.writableBytes(), in.readableBytes()));
                if (sizeBytes.isWritable())
                {
                    return;
                }
                size = sizeBytes.readInt();
                sizeBytes.clear();
            }
            else
            {
                size = in.readInt();
            }
            if (!acceptable(ctx, size))
            {
                return;
            }
            if (in.readableBytes() >= size)
            {
                ctx.fireChannelRead(in.readRetainedSlice(size));
                continue;
            }
            startFrame(ctx, in, size);
        }
    }

    /** Starts a frame of which the read holds only the first bytes, taking them all. */
    private void startFrame(final ChannelHandlerContext ctx, final ByteBuf in, final int size)
    {
        final int have = in.readableBytes();
        frameSize = size;
        if (in.capacity() - in.readerIndex() >= size)
        {
            // The rest of the frame fits behind what was read: read it there.
            frame = in.retainedSlice(in.readerIndex(), size).writerIndex(have);
            in.skipBytes(have);
            return;
        }
        frame = ctx.alloc().ioBuffer(ownCapacity(have), size);
        frame.writeBytes(in, have);
    }

    /** Passes the frame on once it is whole, or else gives it room for the next read if the bytes filled it. */
    private void tookBytes(final ChannelHandlerContext ctx)
    {
        final int have = frame.writerIndex();
        if (have == frameSize)
        {
            passFrame(ctx);
        }
        else if (have == frame.capacity())
        {
            frame.capacity(ownCapacity(have));
        }
    }

    /** @return the capacity the frame being filled may have when {@code arrived} of its bytes have. */
    private int ownCapacity(final int arrived)
    {
        return (int)Math.min(frameSize, Math.max(FIRST_OWN_BUFFER, (long)arrived * GROWTH));
    }

    private boolean acceptable(final ChannelHandlerContext ctx, final int size)
    {
        if (size < 0)
        {
            stop(ctx, new CorruptedFrameException("a request frame of negative size " + size));
            return false;
        }
        if (size > maxFrameBytes)
        {
            stop(ctx, new TooLongFrameException("a request frame of " + size + " bytes exceeds socket.request.max.bytes=" + maxFrameBytes));
            return false;
        }
        return true;
    }

    private void passFrame(final ChannelHandlerContext ctx)
    {
        final ByteBuf complete = frame;
        frame = null;
        ctx.fireChannelRead(complete);
    }

    private void stop(final ChannelHandlerContext ctx, final Exception refusal)
    {
        stopped = true;
        dropFrame();
        ctx.fireExceptionCaught(refusal);
    }

    private void dropFrame()
    {
        if (frame != null)
        {
            frame.release();
            frame = null;
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        // A frame cut short by the client's going is dropped, as no request.
        stopped = true;
        dropFrame();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(final ChannelHandlerContext ctx)
    {
        stopped = true;
        dropFrame();
    }
}
