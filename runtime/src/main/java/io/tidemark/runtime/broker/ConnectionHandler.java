package io.tidemark.runtime.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.tidemark.runtime.broker.RefusalLog.Reason;
import io.tidemark.runtime.metrics.KafkaRequestMetrics;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of one connection's pipeline: decodes each request frame, dispatches it through the
 * {@link ApiTable}, and writes the responses, in the order the requests came, one request at
 * a time (as Kafka does: a connection's next request is not started until the previous one is
 * answered, so a long-polling Fetch holds back the requests behind it, and appends from one
 * producer connection are applied in order). A request whose answer cannot be given (a
 * response that does not encode, an {@link Error} on the way) closes the connection: the client
 * pairs answers with its requests by their order, so the next answer must not take its place.
 *
 * <p>A client that closes its end still has the requests it sent completely processed (a
 * producer with {@code acks=0} may close right after sending); only their responses are
 * dropped, except that a request whose handler allows it (a waiting fetch) is cancelled: it
 * has nothing left to do, and must not hold its watches and timer for a client that is gone.
 *
 * <p>Refusals follow Kafka: an unknown API key, a version outside the served range, a body
 * that does not decode or a frame size out of bounds closes the connection, except ApiVersions
 * at an unknown version, which is answered at version 0 with {@code UNSUPPORTED_VERSION} and
 * the supported ranges so the client can pick one. Each refusal is logged, rate-limited, with
 * the client's address and, when the header parsed, its client id ({@link RefusalLog}). A
 * connection without socket activity for {@code connections.max.idle.ms} (a half-sent frame
 * counts as silence) is closed, as in Kafka.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter
{
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);
    /** Frames decoded but not yet started, beyond which the connection stops reading. */
    private static final int MAX_QUEUED = 16;

    private final ApiTable apis;
    private final RefusalLog refusals;
    private final KafkaRequestMetrics metrics;
    private final ArrayDeque<ByteBuf> queued = new ArrayDeque<>();
    /** The request being served, while its answer is not ready; null otherwise. */
    private CompletableFuture<ApiMessage> pending;
    /** Whether {@link #pending} is to be cancelled if the client goes away. */
    private boolean pendingCancellable;
    private ChannelHandlerContext ctx;
    /** The client's address as Kafka's DescribeGroups gives it, {@code /127.0.0.1}; known once connected. */
    private String clientHost = "";
    private boolean busy;
    /** A completion callback is being registered; one that runs now must not answer inline. */
    private boolean registering;
    /** Refused: the queue is dropped and nothing more is read or processed. */
    private boolean closed;
    /** The connection is gone: queued requests are still processed, answers are dropped. */
    private boolean inactive;
    /** When the request being served was started: one at a time per connection. */
    private long startedNanos;

    /**
     * @param apis who serves which API.
     * @param refusals where refusals are logged, shared by the server's connections.
     * @param metrics  where answered requests are counted, shared by the server's connections.
     */
    ConnectionHandler(final ApiTable apis, final RefusalLog refusals, final KafkaRequestMetrics metrics)
    {
        this.apis = apis;
        this.refusals = refusals;
        this.metrics = metrics;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress remote && remote.getAddress() != null)
        {
            // An accepted socket's address has no host name looked up: this is "/" and the IP, as in Kafka.
            clientHost = remote.getAddress().toString();
        }
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
        catch (final Refused e)
        {
            frame.release();
            refuse(e.reason, e.clientId, e.getMessage());
            return false;
        }
        if (request == null)
        {
            frame.release();
            return true;
        }

        final ApiHandler handler = apis.entry(request.header().apiKey().id).handler();
        if (inactive && handler.cancelledWithConnection())
        {
            // Queued behind a request the closing connection was waiting for: nobody will read the answer.
            frame.release();
            return true;
        }
        busy = true;
        startedNanos = System.nanoTime();
        CompletableFuture<ApiMessage> response;
        try
        {
            response = handler.handle(request);
        }
        catch (final RuntimeException e)
        {
            response = CompletableFuture.failedFuture(e);
        }
        catch (final Error e)
        {
            // As when an answer is lost to an Error (finish): the connection cannot go on without
            // this request's answer, and the request's frame is let go here, since no finish will.
            busy = false;
            frame.release();
            close();
            throw e;
        }
        if (response.isDone())
        {
            finish(request, frame, response);
            return true;
        }
        final CompletableFuture<ApiMessage> waiting = response;
        pending = waiting;
        pendingCancellable = handler.cancelledWithConnection();
        registering = true;
        waiting.whenComplete((r, t) ->
        {
            // Completed by another task of this loop (a fetch woken by an append here, or
            // cancelled as the connection closed): answer now. Completed already while
            // registering: later, not inside the drain loop.
            if (ctx.executor().inEventLoop() && !registering)
            {
                resume(request, frame, waiting);
            }
            else
            {
                ctx.executor().execute(() -> resume(request, frame, waiting));
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
            throw new Refused(Reason.MALFORMED, null, "a request of " + buffer.remaining() + " bytes is shorter than a request header");
        }
        final short apiKey = buffer.getShort(0);
        final short version = buffer.getShort(2);
        final ApiTable.Entry entry = apis.entry(apiKey);
        if (entry == null)
        {
            throw new Refused(Reason.UNSUPPORTED_API, clientId(buffer), "API key " + apiKey);
        }
        if (!entry.supports(version))
        {
            if (entry.apiKey() == ApiKeys.API_VERSIONS)
            {
                answerUnsupportedApiVersions(buffer.getInt(4));
                return null;
            }
            throw new Refused(Reason.UNSUPPORTED_VERSION, clientId(buffer), "version " + version + " of " + entry.apiKey() + "; supported: " +
                entry.minVersion() + ".." + entry.maxVersion());
        }
        final RequestHeader header;
        try
        {
            header = RequestHeader.parse(buffer);
        }
        catch (final RuntimeException e)
        {
            throw new Refused(Reason.MALFORMED, clientId(buffer), entry.apiKey() + " v" + version + ": a header that does not decode: " + e.getMessage());
        }
        try
        {
            final AbstractRequest body = AbstractRequest.parseRequest(header.apiKey(), version, new ByteBufferAccessor(buffer)).request;
            return new Request(header, body, ctx.executor(), clientHost);
        }
        catch (final RuntimeException e)
        {
            throw new Refused(Reason.MALFORMED, header.clientId(), entry.apiKey() + " v" + version + ": a body that does not decode: " + e.getMessage());
        }
    }

    /**
     * @return the client id of a request header that may not parse, or null: every header
     *         version that has one keeps it right after the correlation id, as an int16-sized
     *         string, so it can be read without knowing the API.
     */
    private static String clientId(final ByteBuffer frame)
    {
        final int at = frame.position() + 8;
        if (frame.limit() - at < 2)
        {
            return null;
        }
        final short length = frame.getShort(at);
        if (length < 0 || frame.limit() - at - 2 < length)
        {
            return null;
        }
        final byte[] bytes = new byte[length];
        frame.get(at + 2, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
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
            pending = null;
            if (closed || response.isCancelled())
            {
                return;
            }
            ApiMessage body;
            boolean failed = false;
            try
            {
                body = response.join();
            }
            catch (final CompletionException e)
            {
                body = request.errorResponse(apiError(e.getCause(), request));
                failed = true;
            }
            final RequestHeader header = request.header();
            metrics.record(header.apiKey().id, System.nanoTime() - startedNanos, failed || ResponseErrors.any(body, header.apiVersion()));
            if (body != null && !inactive)
            {
                FrameWriter.write(ctx, header.correlationId(), header.apiKey().responseHeaderVersion(header.apiVersion()), body,
                    header.apiVersion());
            }
        }
        catch (final UncheckedIOException e)
        {
            // A fetched slice could not be read (its segment deleted by retention since): as when
            // sendfile fails on it, the connection is closed; no part of the frame was written.
            LOG.debug("closing {}: {}", ctx.channel().remoteAddress(), e.getCause().toString());
            close();
        }
        catch (final RuntimeException e)
        {
            // A server bug, not the client's doing.
            LOG.warn("cannot encode the response to {}", request.header(), e);
            close();
        }
        catch (final Error e)
        {
            // A class that no longer loads (its jar replaced under the running server), the stack
            // or the heap: this request's answer is lost, and a connection that went on would
            // give the next request's answer where the client waits for this one's.
            close();
            throw e;
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
            LOG.warn("request {} failed", request.header(), failure);
        }
        return error.exception(failure.getMessage());
    }

    private void refuse(final Reason reason, final String clientId, final String detail)
    {
        refusals.refused(reason, ctx.channel().remoteAddress(), clientId, detail);
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
        if (pending != null && pendingCancellable)
        {
            pending.cancel(false);
        }
        drain();
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
    {
        if (event instanceof IdleStateEvent)
        {
            LOG.debug("closing {}: idle for connections.max.idle.ms", ctx.channel().remoteAddress());
            close();
        }
        else
        {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        // Kafka closes the connection in every case; only what is said differs.
        if (cause instanceof TooLongFrameException)
        {
            refuse(Reason.OVERSIZED, null, cause.getMessage());
        }
        else if (cause instanceof CorruptedFrameException)
        {
            refuse(Reason.MALFORMED, null, cause.getMessage());
        }
        else if (cause instanceof IOException)
        {
            LOG.debug("closing {}: {}", ctx.channel().remoteAddress(), cause.toString());
            close();
        }
        else
        {
            LOG.warn("closing {} after an unexpected failure", ctx.channel().remoteAddress(), cause);
            close();
        }
    }

    /** A request refused before it reached a handler: the connection is closed. */
    private static final class Refused extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        private final transient Reason reason;
        private final String clientId;

        Refused(final Reason reason, final String clientId, final String detail)
        {
            // The client's mistake, not the server's: no stack trace to fill or print.
            super(detail, null, false, false);
            this.reason = reason;
            this.clientId = clientId;
        }
    }
}
