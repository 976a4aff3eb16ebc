package io.tidemark.runtime.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tidemark.log.LogSlice;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;

/**
 * Fetch responses as the socket gets them: a small slice of a segment read into the frame's
 * buffer (one buffer), a larger one left in the file as a region between two buffers; either
 * way the bytes, put together, decode to the response with every partition's records. A slice
 * that cannot be read whole fails the encode and nothing of the frame reaches the channel.
 */
class FrameWriterTest
{
    private static final short VERSION = 12;

    @Test
    void aSmallSliceIsCopiedIntoTheOneBufferOfTheFrame() throws IOException
    {
        final List<Object> written = write(List.of(bytes(FrameWriter.COPIED_SLICE_BYTES)));
        assertEquals(1, written.size());
        assertInstanceOf(ByteBuf.class, written.get(0));
        release(written);
    }

    @Test
    void aLargerSliceStaysInTheFileBetweenTwoBuffers() throws IOException
    {
        final List<Object> written = write(List.of(bytes(FrameWriter.COPIED_SLICE_BYTES + 1)));
        assertEquals(3, written.size());
        assertInstanceOf(FileRegion.class, written.get(1));
        release(written);
    }

    @Test
    void smallSlicesAroundALargeOneAreCopiedInTheirPlaces() throws IOException
    {
        final List<Object> written = write(List.of(bytes(100), bytes(3 * FrameWriter.COPIED_SLICE_BYTES), bytes(200), bytes(300)));
        assertEquals(3, written.size());
        assertInstanceOf(FileRegion.class, written.get(1));
        release(written);
    }

    /**
     * Partition 0 goes out as a file region, partition 1's segment was deleted by retention
     * between the read and the encode: nothing of the frame may be queued, and the frame's
     * buffer is freed.
     */
    @Test
    void aSliceThatCannotBeReadAfterALargeOneWritesNothing()
    {
        final List<LogSlice> slices = List.of(new ArraySlice(bytes(3 * FrameWriter.COPIED_SLICE_BYTES)), new RetiredSlice(100));
        final UncheckedIOException failure = assertThrows(UncheckedIOException.class, () -> writeSlices(slices));
        assertInstanceOf(ClosedChannelException.class, failure.getCause());
    }

    @Test
    void aSliceReadShortFailsTheEncode()
    {
        final List<LogSlice> slices = List.of(new ArraySlice(bytes(1000), 500));
        assertThrows(UncheckedIOException.class, () -> writeSlices(slices));
    }

    /** Encodes a response of {@code slices} that must fail, checking that it wrote and leaked nothing. */
    private static void writeSlices(final List<LogSlice> slices)
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        final ChannelHandlerContext ctx = channel.pipeline().firstContext();
        final ByteBuf[] allocated = new ByteBuf[1];
        // Records the frame's buffer, the one buffer the writer allocates.
        final ByteBufAllocator recording = new AbstractByteBufAllocator()
        {
            @Override
            protected ByteBuf newHeapBuffer(final int initialCapacity, final int maxCapacity)
            {
                allocated[0] = Unpooled.buffer(initialCapacity, maxCapacity);
                return allocated[0];
            }

            @Override
            protected ByteBuf newDirectBuffer(final int initialCapacity, final int maxCapacity)
            {
                return newHeapBuffer(initialCapacity, maxCapacity);
            }

            @Override
            public boolean isDirectBufferPooled()
            {
                return false;
            }
        };
        channel.config().setAllocator(recording);
        try
        {
            FrameWriter.write(ctx, 7, ApiKeys.FETCH.responseHeaderVersion(VERSION), responseOf(slices), VERSION);
        }
        finally
        {
            channel.flush();
            assertNull(channel.readOutbound(), "part of a frame was written");
            assertEquals(0, allocated[0].refCnt(), "the frame's buffer was not released");
        }
    }

    /**
     * Writes a fetch response carrying each of {@code records} from a slice, one partition
     * each, and checks that the bytes sent decode to the same records.
     */
    private static List<Object> write(final List<byte[]> records) throws IOException
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        final ChannelHandlerContext ctx = channel.pipeline().firstContext();
        FrameWriter.write(ctx, 7, ApiKeys.FETCH.responseHeaderVersion(VERSION), response(records), VERSION);
        channel.flush();
        final List<Object> written = new ArrayList<>();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound())
        {
            written.add(out);
        }

        final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        final WritableByteChannel target = Channels.newChannel(sent);
        for (final Object out : written)
        {
            if (out instanceof ByteBuf buffer)
            {
                buffer.getBytes(buffer.readerIndex(), sent, buffer.readableBytes());
            }
            else
            {
                final FileRegion region = (FileRegion)out;
                while (region.transferred() < region.count())
                {
                    region.transferTo(target, region.transferred());
                }
            }
        }
        final ByteBuffer frame = ByteBuffer.wrap(sent.toByteArray());
        assertEquals(frame.remaining() - Integer.BYTES, frame.getInt());
        assertEquals(7, new ResponseHeaderData(new ByteBufferAccessor(frame), ApiKeys.FETCH.responseHeaderVersion(VERSION)).correlationId());
        final FetchResponseData decoded = new FetchResponseData(new ByteBufferAccessor(frame), VERSION);
        assertEquals(0, frame.remaining());
        final List<PartitionData> partitions = decoded.responses().get(0).partitions();
        assertEquals(records.size(), partitions.size());
        for (int i = 0; i < records.size(); i++)
        {
            assertEquals(i, partitions.get(i).partitionIndex());
            assertEquals(42 + i, partitions.get(i).highWatermark());
            assertArrayEquals(records.get(i), bytesOf(((MemoryRecords)partitions.get(i).records()).buffer()));
        }
        return written;
    }

    private static FetchResponseData response(final List<byte[]> records)
    {
        return responseOf(records.stream().map(bytes -> (LogSlice)new ArraySlice(bytes)).toList());
    }

    private static FetchResponseData responseOf(final List<LogSlice> slices)
    {
        final List<PartitionData> partitions = new ArrayList<>();
        for (int i = 0; i < slices.size(); i++)
        {
            partitions.add(new PartitionData().setPartitionIndex(i).setHighWatermark(42 + i).setLastStableOffset(42 + i)
                .setRecords(new SliceRecords(slices.get(i))));
        }
        final FetchResponseData response = new FetchResponseData().setSessionId(3);
        response.responses().add(new FetchableTopicResponse().setTopic("t").setPartitions(partitions));
        return response;
    }

    private static byte[] bytes(final int size)
    {
        final byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static byte[] bytesOf(final ByteBuffer buffer)
    {
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static void release(final List<Object> written)
    {
        for (final Object out : written)
        {
            if (out instanceof ByteBuf buffer)
            {
                buffer.release();
            }
            else
            {
                ((FileRegion)out).release();
            }
        }
    }

    /**
     * A slice over bytes in memory, read and sent as a segment's would be.
     *
     * @param readable how many of the bytes a read puts in the buffer: all but in the test of a short read.
     */
    private record ArraySlice(byte[] bytes, int readable) implements LogSlice
    {
        ArraySlice(final byte[] bytes)
        {
            this(bytes, bytes.length);
        }

        @Override
        public int sizeInBytes()
        {
            return bytes.length;
        }

        @Override
        public void readInto(final ByteBuffer destination)
        {
            destination.put(bytes, 0, readable);
        }

        @Override
        public ByteBuffer buffer()
        {
            return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
        }

        @Override
        public long transferTo(final WritableByteChannel target, final long offset, final long count) throws IOException
        {
            return target.write(ByteBuffer.wrap(bytes, (int)offset, (int)Math.min(count, bytes.length - offset)));
        }
    }

    /** A slice whose segment was deleted since the read that returned it. */
    private record RetiredSlice(int sizeInBytes) implements LogSlice
    {
        @Override
        public void readInto(final ByteBuffer destination) throws IOException
        {
            throw new ClosedChannelException();
        }

        @Override
        public ByteBuffer buffer() throws IOException
        {
            throw new ClosedChannelException();
        }

        @Override
        public long transferTo(final WritableByteChannel target, final long offset, final long count) throws IOException
        {
            throw new ClosedChannelException();
        }
    }
}
