package io.tidemark.runtime.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP connection: reads each request's body up to the limit of its path, has the API
 * answer it on a request thread, and writes the answers in the order of the requests (a
 * pipelining client gets them in its order), keeping the connection open unless the client
 * asked otherwise. A body over its limit is answered 413 and the connection closed, since the
 * rest of the body would be unread.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter
{
    private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);

    private final HttpApi api;
    private final ExecutorService requests;
    private HttpRequest head;
    private RequestBody body;
    /** Set once a request is refused unread: nothing more is read from the connection, which closes. */
    private boolean refused;
    /** Completes when the previous request's answer is written out; the next one waits for it. */
    private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);

    HttpConnection(final HttpApi api, final ExecutorService requests)
    {
        this.api = api;
        this.requests = requests;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        try
        {
            if (refused)
            {
                return;
            }
            if (msg instanceof HttpRequest request)
            {
                begin(ctx, request);
            }
            if (msg instanceof HttpContent content && body != null)
            {
                read(ctx, content);
            }
        }
        finally
        {
            ReferenceCountUtil.release(msg);
        }
    }

    private void begin(final ChannelHandlerContext ctx, final HttpRequest request)
    {
        if (request.decoderResult().isFailure())
        {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request: " + request.decoderResult().cause().getMessage());
            return;
        }
        final long limit = api.bodyLimit(request.method(), request.uri());
        if (HttpUtil.getContentLength(request, -1L) > limit)
        {
            refuse(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "the body is larger than " + limit + " bytes");
            return;
        }
        if (HttpUtil.is100ContinueExpected(request))
        {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
            request.headers().remove(HttpHeaderNames.EXPECT);
        }
        head = request;
        body = api.isUpload(request.method(), request.uri()) ? new FileBody(limit, ctx.channel(), requests) : new MemoryBody((int)limit);
    }

    private void read(final ChannelHandlerContext ctx, final HttpContent content)
    {
        if (content.decoderResult().isFailure())
        {
            // A broken chunk ends the body early: answering it would act on part of a request.
            body.discard();
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request body: " + content.decoderResult().cause().getMessage());
            return;
        }
        if (!body.append(content.content()))
        {
            body.discard();
            refuse(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "the body is larger than " + api.bodyLimit(head.method(), head.uri()) + " bytes");
            return;
        }
        if (content instanceof LastHttpContent)
        {
            answer(ctx, head, body);
            head = null;
            body = null;
        }
    }

    private void answer(final ChannelHandlerContext ctx, final HttpRequest request, final RequestBody requestBody)
    {
        if (api.isEventStream(request.method(), request.uri()))
        {
            // The stream is the connection's last answer: it lasts as long as the connection.
            previous.thenRun(() -> api.events().open(ctx.channel()));
            previous = new CompletableFuture<>();
            return;
        }
        final boolean keepAlive = HttpUtil.isKeepAlive(request);
        final CompletableFuture<Void> written = previous
            .thenCompose(v -> requestBody.finish())
            .thenComposeAsync(v -> api.handle(request.method(), request.uri(), requestBody), requests)
            .exceptionally(HttpConnection::failure)
            // On the event loop: a stage completed before it is chained runs on the thread that
            // chains it, and an answer written from there would overtake an earlier answer still
            // queued for the loop by a request thread.
            .thenAcceptAsync(response ->
            {
                requestBody.discard();
                write(ctx, response, keepAlive);
            }, ctx.executor());
        previous = written.exceptionally(e -> null);
    }

    private static ApiResponse failure(final Throwable thrown)
    {
        final Throwable e = thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
        if (e instanceof ApiException refused)
        {
            return ApiResponse.error(refused.status(), refused.getMessage());
        }
        LOG.warn("HTTP API request failed", e);
        return ApiResponse.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, e.getMessage() == null ? e.toString() : e.getMessage());
    }

    /** Answers at once (after the answers before it) and closes: the rest of the request stays unread. */
    private void refuse(final ChannelHandlerContext ctx, final HttpResponseStatus status, final String message)
    {
        head = null;
        body = null;
        refused = true;
        ctx.channel().config().setAutoRead(false);
        previous = previous.thenRun(() -> write(ctx, ApiResponse.error(status, message), false));
    }

    private static void write(final ChannelHandlerContext ctx, final ApiResponse response, final boolean keepAlive)
    {
        final byte[] bytes;
        try
        {
            bytes = response.content() != null ? response.content().bytes() : Json.MAPPER.writeValueAsBytes(response.body());
        }
        catch (final JsonProcessingException e)
        {
            throw new IllegalStateException("a JSON tree that cannot be written", e);
        }
        final FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(), Unpooled.wrappedBuffer(bytes));
        http.headers().set(HttpHeaderNames.CONTENT_TYPE, response.content() != null ? response.content().type() : "application/json; charset=utf-8");
        http.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        http.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (response.allow() != null)
        {
            http.headers().set(HttpHeaderNames.ALLOW, response.allow());
        }
        if (!keepAlive)
        {
            http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(http).addListener(ChannelFutureListener.CLOSE);
        }
        else
        {
            ctx.writeAndFlush(http);
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception
    {
        if (body != null)
        {
            body.discard();
            body = null;
        }
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception
    {
        if (event instanceof IdleStateEvent)
        {
            LOG.debug("closing HTTP connection {}: idle for connections.max.idle.ms", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        LOG.debug("HTTP connection {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
