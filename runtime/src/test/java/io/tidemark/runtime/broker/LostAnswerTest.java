package io.tidemark.runtime.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tidemark.runtime.metrics.KafkaRequestMetrics;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.Writable;
import org.junit.jupiter.api.Test;

/**
 * A request whose answer cannot be given, for a failure that is not an exception, closes the
 * connection: the client pairs answers with its requests in order, so the next request's answer
 * must not come where it waits for the lost one.
 */
class LostAnswerTest
{
    /** An answer that fails as a class of the server's that no longer loads fails. */
    private static final class Unloadable extends EndTxnResponseData
    {
        @Override
        public void addSize(final MessageSizeAccumulator size, final ObjectSerializationCache cache, final short version)
        {
            throw new NoClassDefFoundError("io/tidemark/Replaced");
        }
    }

    /** An answer that fails while it is written, after its frame's buffer was taken. */
    private static final class Unwritable extends EndTxnResponseData
    {
        @Override
        public void write(final Writable writable, final ObjectSerializationCache cache, final short version)
        {
            throw new NoClassDefFoundError("io/tidemark/Replaced");
        }
    }

    /** Hands out buffers and keeps them, to tell whether each was let go. */
    private static final class KeepingAllocator extends AbstractByteBufAllocator
    {
        private final List<ByteBuf> handedOut = new ArrayList<>();

        @Override
        protected ByteBuf newHeapBuffer(final int initialCapacity, final int maxCapacity)
        {
            return kept(Unpooled.buffer(initialCapacity, maxCapacity));
        }

        @Override
        protected ByteBuf newDirectBuffer(final int initialCapacity, final int maxCapacity)
        {
            return kept(Unpooled.directBuffer(initialCapacity, maxCapacity));
        }

        @Override
        public boolean isDirectBufferPooled()
        {
            return false;
        }

        private ByteBuf kept(final ByteBuf buffer)
        {
            handedOut.add(buffer);
            return buffer;
        }
    }

    private static ByteBuf frame(final ApiMessage request, final short version, final int correlationId)
    {
        final byte[] framed = WireClient.frame(request, version, correlationId);
        // The connection handler gets frames without their size, as the frame reader passes them on.
        return Unpooled.wrappedBuffer(framed, Integer.BYTES, framed.length - Integer.BYTES);
    }

    @Test
    void anAnswerLostToAnErrorClosesTheConnectionBeforeTheNextRequestIsAnswered()
    {
        final CompletableFuture<ApiMessage> endTxn = new CompletableFuture<>();
        final ApiTable apis = new ApiTable()
            .serve(ApiKeys.END_TXN, 0, 4, request -> endTxn)
            .serve(ApiKeys.API_VERSIONS, 0, 3, request -> CompletableFuture.completedFuture(new ApiVersionsResponseData()));
        final EmbeddedChannel channel = new EmbeddedChannel(new ConnectionHandler(apis, new RefusalLog(System::nanoTime), new KafkaRequestMetrics()));

        // The producer's EndTxn, answered later (on an I/O thread), and a request pipelined behind it.
        channel.writeInbound(frame(new EndTxnRequestData().setTransactionalId("tx").setCommitted(true), (short)4, 112));
        channel.writeInbound(frame(new ApiVersionsRequestData(), (short)0, 113));
        endTxn.complete(new Unloadable());
        channel.runPendingTasks();

        assertNothingAnsweredAndClosed(channel, 114);
    }

    /**
     * Sends another request if the connection is still open (left open, it would start the queued
     * request at that read, and answer it in the lost one's place), then asserts that nothing was
     * answered where the client waits for request 112's answer, and that the connection is closed.
     */
    private static void assertNothingAnsweredAndClosed(final EmbeddedChannel channel, final int nextCorrelationId)
    {
        if (channel.isOpen())
        {
            channel.writeInbound(frame(new ApiVersionsRequestData(), (short)0, nextCorrelationId));
            channel.runPendingTasks();
        }
        final ByteBuf answer = channel.readOutbound();
        assertNull(answer, () -> "the answer to request " + answer.getInt(Integer.BYTES) + " where the client waits for 112's");
        assertFalse(channel.isOpen(), "the connection is closed");
    }

    @Test
    void aHandlerFailingWithAnErrorLetsItsRequestGoAndClosesTheConnection()
    {
        final ApiTable apis = new ApiTable()
            .serve(ApiKeys.END_TXN, 0, 4, request ->
            {
                throw new NoClassDefFoundError("io/tidemark/Replaced");
            })
            .serve(ApiKeys.API_VERSIONS, 0, 3, request -> CompletableFuture.completedFuture(new ApiVersionsResponseData()));
        final EmbeddedChannel channel = new EmbeddedChannel(new ConnectionHandler(apis, new RefusalLog(System::nanoTime), new KafkaRequestMetrics()));
        final ByteBuf endTxn = frame(new EndTxnRequestData().setTransactionalId("tx").setCommitted(true), (short)4, 112);

        channel.writeInbound(endTxn);

        assertNothingAnsweredAndClosed(channel, 113);
        assertEquals(0, endTxn.refCnt(), "the request's frame is let go");
    }

    @Test
    void anAnswerFailingWithAnErrorAsItIsWrittenLetsItsBufferGo()
    {
        final ApiTable apis = new ApiTable()
            .serve(ApiKeys.END_TXN, 0, 4, request -> CompletableFuture.completedFuture(new Unwritable()));
        final EmbeddedChannel channel = new EmbeddedChannel(new ConnectionHandler(apis, new RefusalLog(System::nanoTime), new KafkaRequestMetrics()));
        final KeepingAllocator allocator = new KeepingAllocator();
        channel.config().setAllocator(allocator);

        channel.writeInbound(frame(new EndTxnRequestData().setTransactionalId("tx").setCommitted(true), (short)4, 112));

        assertFalse(allocator.handedOut.isEmpty(), "the answer's buffer was taken before the write failed");
        for (final ByteBuf buffer : allocator.handedOut)
        {
            assertEquals(0, buffer.refCnt(), "every buffer taken for the lost answer is let go");
        }
        assertFalse(channel.isOpen(), "the connection is closed");
    }
}
