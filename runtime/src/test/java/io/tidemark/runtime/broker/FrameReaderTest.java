package io.tidemark.runtime.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.Test;

/**
 * Request frames cut from a byte stream as socket reads deliver it: each read goes into the
 * buffer the reader's allocator hands out (a fresh one, or the memory of the frame being
 * filled), at most as many bytes as that buffer takes, exactly as Netty's read loop does; the
 * frames must come out whole, in order, whatever the cuts.
 */
class FrameReaderTest
{
    private static final int MAX_FRAME = 4 << 20;

    private final FrameReader reader = new FrameReader(MAX_FRAME);
    private final EmbeddedChannel channel = new EmbeddedChannel(reader);
    private final RecvByteBufAllocator.Handle reads = reader.recvAllocator().newHandle();

    @Test
    void framesComeOutWholeWhereverTheReadsCutThem()
    {
        final Random random = new Random(42);
        final List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 200; i++)
        {
            // Empty, small, around a read's size, and a few larger than a read and than several growths of a frame's own buffer.
            final int size = switch (random.nextInt(6))
            {
                case 0 -> 0;
                case 1 -> random.nextInt(100);
                case 2, 3 -> 60_000 + random.nextInt(10_000);
                case 4 -> random.nextInt(FrameReader.MAX_READ * 2);
                default -> i % 20 == 0 ? (2 << 20) + random.nextInt(100_000) : random.nextInt(5000);
            };
            final byte[] frame = new byte[size];
            random.nextBytes(frame);
            frames.add(frame);
        }
        final byte[] stream = stream(frames);

        final List<byte[]> out = new ArrayList<>();
        int sent = 0;
        while (sent < stream.length)
        {
            reads.reset(channel.config());
            final ByteBuf read = reads.allocate(ByteBufAllocator.DEFAULT);
            // A read takes what the socket has, never more than the buffer's room: sometimes a few bytes, often much.
            final int available = random.nextBoolean() ? 1 + random.nextInt(7) : 1 + random.nextInt(300_000);
            final int length = Math.min(Math.min(available, read.writableBytes()), stream.length - sent);
            read.writeBytes(stream, sent, length);
            sent += length;
            reads.lastBytesRead(length);
            channel.writeInbound(read);
            // The read buffers' size follows what the reads took, as after each wake-up of the loop.
            reads.readComplete();
            drain(out);
        }
        assertEquals(frames.size(), out.size());
        for (int i = 0; i < frames.size(); i++)
        {
            assertArrayEquals(frames.get(i), out.get(i), "frame " + i);
        }
    }

    @Test
    void theReadAfterAFrameStartsReadsIntoTheFrameAndNoFurther()
    {
        final byte[] frame = new byte[100_000];
        new Random(7).nextBytes(frame);
        final byte[] stream = stream(List.of(frame, new byte[] {1, 2, 3}));

        final ByteBuf first = reads.allocate(ByteBufAllocator.DEFAULT);
        final int firstLength = Math.min(first.writableBytes(), 1000);
        first.writeBytes(stream, 0, firstLength);
        channel.writeInbound(first);
        assertNull(channel.readInbound());

        int sent = firstLength;
        while (sent < 4 + frame.length)
        {
            final ByteBuf rest = reads.allocate(ByteBufAllocator.DEFAULT);
            assertTrue(rest.writableBytes() > 0, "room for the frame");
            assertTrue(rest.writableBytes() <= 4 + frame.length - sent, "room for the frame's missing bytes only");
            final int length = rest.writableBytes();
            rest.writeBytes(stream, sent, length);
            sent += length;
            channel.writeInbound(rest);
        }
        final List<byte[]> out = new ArrayList<>();
        drain(out);
        assertEquals(1, out.size());
        assertArrayEquals(frame, out.get(0));

        final ByteBuf next = reads.allocate(ByteBufAllocator.DEFAULT);
        next.writeBytes(stream, 4 + frame.length, 7);
        channel.writeInbound(next);
        drain(out);
        assertArrayEquals(new byte[] {1, 2, 3}, out.get(1));
    }

    @Test
    void framesAnnouncedButNotSentHoldNoMoreThanASmallReadsWorthEach()
    {
        final int connections = 50;
        final int announced = 2 << 20;
        final UnpooledByteBufAllocator memory = new UnpooledByteBufAllocator(true);
        final List<EmbeddedChannel> channels = new ArrayList<>();
        for (int i = 0; i < connections; i++)
        {
            final EmbeddedChannel idle = new EmbeddedChannel(new FrameReader(MAX_FRAME));
            idle.config().setAllocator(memory);
            idle.writeInbound(Unpooled.buffer(Integer.BYTES).writeInt(announced));
            channels.add(idle);
        }
        final long held = memory.metric().usedDirectMemory() + memory.metric().usedHeapMemory();
        assertTrue(held <= (long)connections * FrameReader.FIRST_OWN_BUFFER, held + " bytes held for " + connections + " frames announced, none sent");

        // The bytes that come after are still read, the buffer growing with them.
        final EmbeddedChannel late = channels.get(0);
        final byte[] frame = new byte[announced];
        new Random(3).nextBytes(frame);
        final RecvByteBufAllocator.Handle lateReads = ((FrameReader)late.pipeline().first()).recvAllocator().newHandle();
        int sent = 0;
        while (sent < announced)
        {
            final ByteBuf read = lateReads.allocate(memory);
            final int length = Math.min(read.writableBytes(), announced - sent);
            read.writeBytes(frame, sent, length);
            sent += length;
            late.writeInbound(read);
        }
        final ByteBuf whole = late.readInbound();
        final byte[] bytes = new byte[whole.readableBytes()];
        whole.readBytes(bytes);
        whole.release();
        assertArrayEquals(frame, bytes);
        channels.forEach(EmbeddedChannel::close);
        assertEquals(0, memory.metric().usedDirectMemory(), "every frame's memory is given back");
    }

    @Test
    void aLargeFrameIsCopiedNotAtAllWhenAQuarterOfItCameAndTwiceAtMostWhenLittleDid()
    {
        final int size = 1 << 20;
        assertEquals(0, growths(size, size / 4), "a quarter came with the size: the whole frame's memory at once");
        assertEquals(2, growths(size, 2000), "little came: 128 KiB, 512 KiB, then the whole");
    }

    /** @return how many times the frame's memory was full before the frame was, when its first read brought {@code first} bytes. */
    private int growths(final int size, final int first)
    {
        final FrameReader fresh = new FrameReader(MAX_FRAME);
        final EmbeddedChannel connection = new EmbeddedChannel(fresh);
        final RecvByteBufAllocator.Handle handle = fresh.recvAllocator().newHandle();
        connection.writeInbound(Unpooled.buffer(Integer.BYTES + first).writeInt(size).writeZero(first));
        int growths = 0;
        int sent = first;
        while (sent < size)
        {
            final ByteBuf read = handle.allocate(ByteBufAllocator.DEFAULT);
            final int length = read.writableBytes();
            read.writeZero(length);
            sent += length;
            connection.writeInbound(read);
            if (sent < size)
            {
                growths++;
            }
        }
        final ByteBuf whole = connection.readInbound();
        assertEquals(size, whole.readableBytes());
        whole.release();
        connection.close();
        return growths;
    }

    @Test
    void aNegativeSizeIsACorruptFrameAndNothingAfterItIsRead()
    {
        final ByteBuf read = ByteBufAllocator.DEFAULT.buffer();
        read.writeInt(-1).writeInt(8).writeLong(0);
        assertThrows(CorruptedFrameException.class, () -> channel.writeInbound(read));
        final ByteBuf after = ByteBufAllocator.DEFAULT.buffer();
        after.writeInt(0);
        channel.writeInbound(after);
        assertNull(channel.readInbound());
        assertEquals(0, after.refCnt(), "dropped bytes are released");
    }

    @Test
    void aSizeAboveTheLimitIsRefusedBeforeAnyOfItIsHeld()
    {
        final ByteBuf read = ByteBufAllocator.DEFAULT.buffer();
        read.writeInt(MAX_FRAME + 1).writeLong(0);
        final TooLongFrameException refusal = assertThrows(TooLongFrameException.class, () -> channel.writeInbound(read));
        assertTrue(refusal.getMessage().contains(Integer.toString(MAX_FRAME + 1)), refusal.getMessage());
        assertNull(channel.readInbound());
    }

    @Test
    void aFrameCutShortByTheClientsGoingIsReleased()
    {
        final ByteBuf read = reads.allocate(ByteBufAllocator.DEFAULT);
        read.writeInt(100_000).writeLong(1);
        channel.writeInbound(read);
        final ByteBuf rest = reads.allocate(ByteBufAllocator.DEFAULT);
        rest.release();
        channel.close();
        assertEquals(0, rest.refCnt(), "the frame's memory is given back");
        assertSame(null, channel.readInbound());
    }

    private void drain(final List<byte[]> out)
    {
        ByteBuf frame;
        while ((frame = channel.readInbound()) != null)
        {
            final byte[] bytes = new byte[frame.readableBytes()];
            frame.readBytes(bytes);
            frame.release();
            out.add(bytes);
        }
    }

    private static byte[] stream(final List<byte[]> frames)
    {
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (final byte[] frame : frames)
        {
            stream.writeBytes(ByteBuffer.allocate(4).putInt(frame.length).array());
            stream.writeBytes(frame);
        }
        return stream.toByteArray();
    }
}
