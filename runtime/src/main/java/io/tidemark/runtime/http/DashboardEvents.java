package io.tidemark.runtime.http;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /events}: the dashboard's server-sent events. Every {@link #PERIOD_MS} one thread
 * takes one {@link DashboardSnapshot} (only while someone listens) and writes it as a
 * {@code data:} event to every open stream; a stream ends when its connection closes.
 */
final class DashboardEvents implements AutoCloseable
{
    /** How often a snapshot is pushed. */
    static final long PERIOD_MS = 500;

    private static final Logger LOG = LoggerFactory.getLogger(DashboardEvents.class);

    private final DashboardSnapshot snapshots;
    private final ChannelGroup streams = new DefaultChannelGroup("tidemark-dashboard-events", GlobalEventExecutor.INSTANCE);
    private final ScheduledExecutorService pusher = Executors.newSingleThreadScheduledExecutor(r ->
    {
        final Thread thread = new Thread(r, "tidemark-dashboard-events");
        thread.setDaemon(true);
        return thread;
    });
    private boolean pushing;

    /**
     * @param snapshots what each event holds.
     */
    DashboardEvents(final DashboardSnapshot snapshots)
    {
        this.snapshots = snapshots;
    }

    /**
     * Starts a stream on a connection: the response head now, an event every period after.
     *
     * @param connection the connection that asked.
     */
    void open(final Channel connection)
    {
        final HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        connection.writeAndFlush(head);
        streams.add(connection);
        startPushing();
    }

    /** The pushes start with the first stream, so that a server nobody watches keeps no thread for them. */
    private synchronized void startPushing()
    {
        if (!pushing && !pusher.isShutdown())
        {
            pusher.scheduleAtFixedRate(this::push, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
            pushing = true;
        }
    }

    private void push()
    {
        if (streams.isEmpty())
        {
            return;
        }
        try
        {
            final byte[] json = Json.MAPPER.writeValueAsBytes(snapshots.take());
            final byte[] event = new byte[json.length + 8];
            System.arraycopy("data: ".getBytes(StandardCharsets.US_ASCII), 0, event, 0, 6);
            System.arraycopy(json, 0, event, 6, json.length);
            event[event.length - 2] = '\n';
            event[event.length - 1] = '\n';
            for (final Channel stream : streams)
            {
                stream.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(event)));
            }
        }
        catch (final JsonProcessingException | RuntimeException e)
        {
            // The next period tries again; a failing snapshot must not end the pushes.
            LOG.warn("cannot take the dashboard's snapshot", e);
        }
    }

    @Override
    public synchronized void close()
    {
        pusher.shutdownNow();
        streams.close();
    }
}
