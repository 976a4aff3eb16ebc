package io.tidemark.runtime.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * The HTTP API's listener. It runs on the event loops of the Kafka listener (the broker is a
 * Netty server already, so the API adds a pipeline, not a second network stack) and hands
 * every request to threads of its own, in order per connection: a savepoint, a cancel or a
 * look at the disk never holds up an event loop, and a slow job operation never holds up the
 * broker's appends.
 */
public final class HttpApiServer implements AutoCloseable
{
    /** Threads that run the API's requests; one per connection in use at most. */
    private static final int REQUEST_THREADS = 4;

    /** The longest {@link #close} waits for each step. */
    private static final long SHUTDOWN_WAIT_SECONDS = 3;

    private final HttpApi api;
    private final Channel listener;
    private final ChannelGroup connections;
    private final ExecutorService requests;
    private final InetSocketAddress address;

    private HttpApiServer(final HttpApi api, final Channel listener, final ChannelGroup connections, final ExecutorService requests)
    {
        this.api = api;
        this.listener = listener;
        this.connections = connections;
        this.requests = requests;
        this.address = (InetSocketAddress)listener.localAddress();
    }

    /**
     * Binds the API's listener.
     *
     * @param api      what answers the requests.
     * @param host     the address to listen on.
     * @param port     the port, 0 for any free one.
     * @param idleMs   how long a connection may go without reads or writes (or stay in a
     *                 half-sent request) before it is closed.
     * @param acceptor the event loop that accepts connections.
     * @param workers  the event loops that read and write them.
     * @return the running listener.
     * @throws UncheckedIOException naming the address if it cannot be bound.
     */
    public static HttpApiServer start(final HttpApi api, final String host, final int port, final long idleMs, final EventLoopGroup acceptor,
        final EventLoopGroup workers)
    {
        final AtomicInteger count = new AtomicInteger();
        final ExecutorService requests = Executors.newFixedThreadPool(REQUEST_THREADS, r ->
        {
            final Thread thread = new Thread(r, "tidemark-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        final ChannelGroup connections = new DefaultChannelGroup("tidemark-http-connections", GlobalEventExecutor.INSTANCE);
        try
        {
            final Channel listener = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel channel)
                    {
                        connections.add(channel);
                        channel.pipeline().addLast(new IdleStateHandler(0, 0, idleMs, TimeUnit.MILLISECONDS), new HttpServerCodec(),
                            new HttpConnection(api, requests));
                    }
                })
                .bind(host, port)
                .syncUninterruptibly()
                .channel();
            return new HttpApiServer(api, listener, connections, requests);
        }
        catch (final Exception e)
        {
            // Binding fails with a checked exception Netty rethrows unchecked.
            requests.shutdownNow();
            api.close();
            if (e instanceof IOException failed)
            {
                throw new UncheckedIOException("the HTTP API cannot listen on " + host + ":" + port + ": " + failed.getMessage(), failed);
            }
            throw e;
        }
    }

    /**
     * @return the address the listener is bound to, with the real port if 0 was asked.
     */
    public InetSocketAddress address()
    {
        return address;
    }

    /**
     * Stops accepting and pushing the dashboard's events, closes every connection and waits a
     * bounded time for the requests running; the event loops are the caller's to shut down.
     */
    @Override
    public void close()
    {
        listener.close().awaitUninterruptibly(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        api.close();
        connections.close().awaitUninterruptibly(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        requests.shutdown();
        try
        {
            if (!requests.awaitTermination(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS))
            {
                requests.shutdownNow();
            }
        }
        catch (final InterruptedException e)
        {
            requests.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
