package io.tidemark.runtime.broker;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * The end of one connection's pipeline: decodes each request frame, dispatches it through the
 * {@link ApiTable}, and writes the responses, in the order the requests came, one request at
 * a time (as Kafka does: a connection's next request is not started until the previous one is
 * answered, so a long-polling Fetch holds back the requests behind it, and appends from one
 * producer connection are applied in order).
 *
 * <p>A client that closes its end still has the requests it sent completely processed (a
 * producer with {@code acks=0} may close right after sending); only their responses are
 * dropped. Refusals follow Kafka: an unknown API key, a version outside the served range or a body
 * that does not decode closes the connection, except ApiVersions at an unknown version,
 * which is answered at version 0 with {@code UNSUPPORTED_VERSION} and the supported ranges so
 * the client can pick one.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter
{
    private static final System.Logger LOG = System.getLogger(ConnectionHandler.class.getName());
    /** Frames decoded but not yet started, beyond which the connection stops reading. */
    private static final int MAX_QUEUED = 16;

    private final ApiTable apis;
    private final ArrayDeque<ByteBuf> queued = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean busy;
    /** A completion callback is being registered; one that runs now must not answer inline. */
    private boolean registering;
    /** Refused: the queue is dropped and nothing more is read or processed. */
    private boolean closed;
    /** The connection is gone: queued requests are still processed, answers are dropped. */
    private boolean inactive;

    ConnectionHandler(final ApiTable apis)
    {
        this.apis = apis;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (closed || inactive)
        {
            ReferenceCountUtil.release(msg);
            return;
        }
        queued.add((ByteBuf)msg);
        if (queued.size() >= MAX_QUEUED)
        {
            ctx.channel().config().setAutoRead(false);
        }
        drain();
    }

    /** Starts queued requests until one has to wait; flushes what was answered. */
    private void drain()
    {
        boolean wrote = false;
        ByteBuf frame;
        while (!busy && !closed && (frame = queued.poll()) != null)
        {
            wrote |= start(frame);
        }
        if (!closed && !inactive && !ctx.channel().config().isAutoRead() && queued.size() < MAX_QUEUED / 2)
        {
            ctx.channel().config().setAutoRead(true);
        }
        if (wrote && !inactive)
        {
            ctx.flush();
        }
    }

    /**
     * @return true if the request was answered at once (its response is written, unflushed).
     */
    private boolean start(final ByteBuf frame)
    {
        final Request request;
        try
        {
            request = decode(frame);
        }
        catch (final RuntimeException e)
        {
            frame.release();
            refuse("malformed request: " + e);
            return false;
        }
        if (request == null)
        {
            frame.release();
            return true;
        }

        busy = true;
        CompletableFuture<ApiMessage> response;
        try
        {
            response = apis.entry(request.header().apiKey().id).handler().handle(request);
        }
        catch (final RuntimeException e)
        {
            response = CompletableFuture.failedFuture(e);
        }
        if (response.isDone())
        {
            finish(request, frame, response);
            return true;
        }
        final CompletableFuture<ApiMessage> pending = response;
        registering = true;
        pending.whenComplete((r, t) ->
        {
            // Completed by another task of this loop (a fetch woken by an append here): answer
            // now. Completed already while registering: later, not inside the drain loop.
            if (ctx.executor().inEventLoop() && !registering)
            {
                resume(request, frame, pending);
            }
            else
            {
                ctx.executor().execute(() -> resume(request, frame, pending));
            }
        });
        registering = false;
        return false;
    }

    private void resume(final Request request, final ByteBuf frame, final CompletableFuture<ApiMessage> response)
    {
        finish(request, frame, response);
        drain();
        if (!closed && !inactive)
        {
            ctx.flush();
        }
    }

    private Request decode(final ByteBuf frame)
    {
        final ByteBuffer buffer = frame.nioBuffer();
        if (buffer.remaining() < 8)
        {
            throw new IllegalArgumentException("a request of " + buffer.remaining() + " bytes is shorter than a request header");
        }
        final short apiKey = buffer.getShort(0);
        final short version = buffer.getShort(2);
        final ApiTable.Entry entry = apis.entry(apiKey);
        if (entry == null)
        {
            throw new IllegalArgumentException("unsupported API key " + apiKey);
        }
        if (!entry.supports(version))
        {
            if (entry.apiKey() == ApiKeys.API_VERSIONS)
            {
                answerUnsupportedApiVersions(buffer.getInt(4));
                return null;
            }
            throw new IllegalArgumentException("unsupported version " + version + " of " + entry.apiKey() + "; supported: " +
                entry.minVersion() + ".." + entry.maxVersion());
        }
        final RequestHeader header = RequestHeader.parse(buffer);
        final AbstractRequest body = AbstractRequest.parseRequest(header.apiKey(), version, new ByteBufferAccessor(buffer)).request;
        return new Request(header, body, ctx.executor());
    }

    private void answerUnsupportedApiVersions(final int correlationId)
    {
        final ApiVersionsResponseData body = new ApiVersionsResponseData()
            .setErrorCode(Errors.UNSUPPORTED_VERSION.code())
            .setApiKeys(apis.advertised());
        FrameWriter.write(ctx, correlationId, (short)0, body, (short)0);
    }

    private void finish(final Request request, final ByteBuf frame, final CompletableFuture<ApiMessage> response)
    {
        try
        {
            busy = false;
            if (closed)
            {
                return;
            }
            ApiMessage body;
            try
            {
                body = response.join();
            }
            catch (final CompletionException e)
            {
                body = request.errorResponse(apiError(e.getCause(), request));
            }
            if (body != null && !inactive)
            {
                final RequestHeader header = request.header();
                FrameWriter.write(ctx, header.correlationId(), header.apiKey().responseHeaderVersion(header.apiVersion()), body,
                    header.apiVersion());
            }
        }
        catch (final RuntimeException e)
        {
            // A server bug, not the client's doing; part of the frame may be written already.
            LOG.log(System.Logger.Level.WARNING, "cannot encode the response to " + request.header(), e);
            close();
        }
        finally
        {
            frame.release();
        }
    }

    private static ApiException apiError(final Throwable failure, final Request request)
    {
        if (failure instanceof ApiException api)
        {
            return api;
        }
        final Errors error = KafkaErrors.forException(failure);
        if (error == Errors.UNKNOWN_SERVER_ERROR)
        {
            LOG.log(System.Logger.Level.WARNING, "request " + request.header() + " failed", failure);
        }
        return error.exception(failure.getMessage());
    }

    private void refuse(final String reason)
    {
        LOG.log(System.Logger.Level.DEBUG, () -> "closing " + ctx.channel().remoteAddress() + ": " + reason);
        close();
    }

    private void close()
    {
        if (!closed)
        {
            closed = true;
            queued.forEach(ByteBuf::release);
            queued.clear();
            ctx.close();
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        inactive = true;
        drain();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        // A frame over the size limit, a reset connection: Kafka closes the connection.
        refuse(cause.toString());
    }
}
