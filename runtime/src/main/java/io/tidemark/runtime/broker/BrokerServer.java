package io.tidemark.runtime.broker;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.Slf4JLoggerFactory;
import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.topic.LogManager;
import io.tidemark.log.topic.StorageLimits;
import io.tidemark.log.txn.TransactionCoordinator;
import io.tidemark.runtime.Tidemark;
import io.tidemark.runtime.broker.api.Apis;
import io.tidemark.runtime.broker.api.FetchSessions;
import io.tidemark.runtime.http.HttpApi;
import io.tidemark.runtime.http.HttpApiServer;
import io.tidemark.runtime.jobs.JobManager;
import io.tidemark.runtime.metrics.FetchSessionMetrics;
import io.tidemark.runtime.metrics.KafkaRequestMetrics;
import org.agrona.concurrent.SystemEpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Kafka-protocol broker: the log of a data directory, served on one TCP listener.
 * {@link #start} opens the data directory (recovering it) and binds; {@link #close} stops
 * accepting, closes the connections, and flushes and closes the log. The group coordinator and
 * then the transaction coordinator (which commits groups' offsets) run over the log, and the
 * {@link JobManager} over both: it resumes the jobs that ran when the server last stopped, and
 * stops them (to be resumed next time) before the coordinators close.
 *
 * <p>Each connection gets a pipeline of three handlers: an idle timer that closes it after
 * {@code connections.max.idle.ms} without reads or writes (a half-sent frame is silence too),
 * a length-prefixed frame decoder that enforces {@code socket.request.max.bytes} (a larger
 * frame, or a negative size, closes the connection, as in Kafka) and a
 * {@link ConnectionHandler}. The NIO transport is used because it sends file regions with
 * {@code FileChannel.transferTo}, that is {@code sendfile}.
 *
 * <p>The HTTP API ({@link HttpApiServer}) listens on its own address but runs on the same event
 * loops: one network stack for both protocols.
 *
 * <p>{@link #close} returns within seconds whatever the clients do: it closes every
 * connection itself (a waiting fetch is cancelled with its connection) instead of waiting
 * for the clients, and bounds its waits for the threads.
 */
public final class BrokerServer implements AutoCloseable
{
    static
    {
        // Netty's own lines go where the rest of the server's go, whatever else is on the class path.
        InternalLoggerFactory.setDefaultFactory(Slf4JLoggerFactory.INSTANCE);
    }

    private static final Logger LOG = LoggerFactory.getLogger(BrokerServer.class);

    /** The longest each step of {@link #close} waits for threads and connections. */
    private static final long SHUTDOWN_WAIT_SECONDS = 3;

    private final LogManager logs;
    private final GroupCoordinator groups;
    private final TransactionCoordinator transactions;
    private final JobManager jobs;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final ExecutorService io;
    private final Channel listener;
    private final ChannelGroup connections;
    private final InetSocketAddress address;
    private final HttpApiServer http;

    private BrokerServer(final LogManager logs, final GroupCoordinator groups, final TransactionCoordinator transactions, final JobManager jobs,
        final EventLoopGroup acceptor, final EventLoopGroup workers, final ExecutorService io, final Channel listener, final ChannelGroup connections,
        final HttpApiServer http)
    {
        this.http = http;
        this.connections = connections;
        this.logs = logs;
        this.groups = groups;
        this.transactions = transactions;
        this.jobs = jobs;
        this.acceptor = acceptor;
        this.workers = workers;
        this.io = io;
        this.listener = listener;
        this.address = (InetSocketAddress)listener.localAddress();
    }

    /**
     * Opens the data directory and starts listening.
     *
     * @param config the configuration.
     * @return the running server.
     * @throws io.tidemark.log.errors.LogException if the data directory cannot be opened
     *         (locked by another process, unreadable).
     * @throws java.io.UncheckedIOException if the address cannot be bound.
     */
    public static BrokerServer start(final BrokerConfig config)
    {
        final DynamicBrokerConfig dynamicConfig = DynamicBrokerConfig.load(config);
        final LogManager logs = LogManager.open(config.dataDir(), dynamicConfig.logDefaults(), SystemEpochClock.INSTANCE, config.retentionCheckInterval(),
            Duration.ofSeconds(1), config.producerIdExpiration(), StorageLimits.defaults(), config.cleanerOffsetMap());
        final String clusterId;
        final GroupCoordinator groups;
        try
        {
            clusterId = ClusterId.load(config.dataDir());
            groups = new GroupCoordinator(logs, config.groupConfig(), config.consumerProtocolConfig(), SystemEpochClock.INSTANCE);
        }
        catch (final RuntimeException e)
        {
            logs.close();
            throw e;
        }
        // Markers the coordinator writes move the last stable offsets: they wake read-committed fetches.
        final PartitionWatchers watchers = new PartitionWatchers();
        final TransactionCoordinator transactions;
        try
        {
            transactions = new TransactionCoordinator(logs, groups, config.transactionConfig(), SystemEpochClock.INSTANCE, watchers::appended);
        }
        catch (final RuntimeException e)
        {
            groups.close();
            logs.close();
            throw e;
        }
        final JobManager jobs;
        try
        {
            jobs = JobManager.open(config.dataDir(), logs, groups, transactions);
        }
        catch (final RuntimeException e)
        {
            transactions.close();
            groups.close();
            logs.close();
            throw e;
        }
        final EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, threads("tidemark-accept"), NioIoHandler.newFactory());
        final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(config.networkThreads(), threads("tidemark-network"),
            NioIoHandler.newFactory());
        final ExecutorService io = Executors.newFixedThreadPool(config.ioThreads(), threads("tidemark-io"));
        // The handlers need the bound port (Metadata advertises it), known only after binding;
        // the server is not announced before the table is set, so no client can come earlier.
        final AtomicReference<ApiTable> apis = new AtomicReference<>();
        final RefusalLog refusals = new RefusalLog(System::nanoTime);
        final KafkaRequestMetrics requests = new KafkaRequestMetrics();
        final FetchSessions fetchSessions = new FetchSessions(config.fetchSessionCacheSlots(), config.fetchSessionCacheMaxPartitions(),
            FetchSessions.IDLE_MS, System::nanoTime, new FetchSessionMetrics());
        // Closed channels leave the group by themselves.
        final ChannelGroup connections = new DefaultChannelGroup("tidemark-connections", GlobalEventExecutor.INSTANCE);
        try
        {
            final Channel listener = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel channel)
                    {
                        final ApiTable table = apis.get();
                        if (table == null)
                        {
                            channel.close();
                            return;
                        }
                        connections.add(channel);
                        final FrameReader frames = new FrameReader(config.socketRequestMaxBytes());
                        channel.config().setRecvByteBufAllocator(frames.recvAllocator());
                        channel.pipeline().addLast(
                            new IdleStateHandler(0, 0, config.connectionsMaxIdleMs(), TimeUnit.MILLISECONDS),
                            frames,
                            new ConnectionHandler(table, refusals, requests));
                    }
                })
                .bind(config.host(), config.port())
                .syncUninterruptibly()
                .channel();
            final InetSocketAddress bound = (InetSocketAddress)listener.localAddress();
            apis.set(Apis.table(new Broker(config, dynamicConfig, logs, groups, transactions, io, watchers, fetchSessions, refusals, config.host(), bound.getPort(),
                clusterId)));
            final HttpApi api = new HttpApi(logs, groups, jobs, Tidemark.VERSION, config.host() + ":" + bound.getPort(), requests,
                fetchSessions.metrics(),                 System::currentTimeMillis);
            final HttpApiServer http = HttpApiServer.start(api, config.httpHost(), config.httpPort(), config.connectionsMaxIdleMs(), acceptor, workers);
            return new BrokerServer(logs, groups, transactions, jobs, acceptor, workers, io, listener, connections, http);
        }
        catch (final Exception e)
        {
            // Binding fails with a checked exception Netty rethrows unchecked.
            shutdown(acceptor, workers, io);
            jobs.close();
            transactions.close();
            groups.close();
            logs.close();
            throw e;
        }
    }

    private static ThreadFactory threads(final String name)
    {
        final AtomicInteger count = new AtomicInteger();
        return r ->
        {
            final Thread thread = new Thread(r, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * @return the address the listener is bound to (with the real port if 0 was asked).
     */
    public InetSocketAddress address()
    {
        return address;
    }

    /**
     * @return the address the HTTP API is bound to (with the real port if 0 was asked).
     */
    public InetSocketAddress httpAddress()
    {
        return http.address();
    }

    /**
     * @return the group coordinator the server runs.
     */
    public GroupCoordinator groups()
    {
        return groups;
    }

    /**
     * @return the transaction coordinator the server runs.
     */
    public TransactionCoordinator transactions()
    {
        return transactions;
    }

    /**
     * @return the jobs the server runs.
     */
    public JobManager jobs()
    {
        return jobs;
    }

    /**
     * @return the log the server serves.
     */
    public LogManager logs()
    {
        return logs;
    }

    /**
     * Closes the HTTP API, stops accepting, closes every connection (waiting fetches are dropped unanswered; a
     * request already running finishes), waits a bounded time for the work in progress, then
     * flushes and closes the log and releases the data directory. The jobs stop before the
     * coordinators close, without being cancelled: the next start resumes them.
     */
    @Override
    public void close()
    {
        http.close();
        listener.close().awaitUninterruptibly(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        connections.close().awaitUninterruptibly(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        shutdown(acceptor, workers, io);
        LOG.info("stopping the jobs");
        jobs.close();
        transactions.close();
        groups.close();
        logs.close();
    }

    private static void shutdown(final EventLoopGroup acceptor, final EventLoopGroup workers, final ExecutorService io)
    {
        // No quiet period: the connections are closed, and nothing new can arrive.
        acceptor.shutdownGracefully(0, SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS).awaitUninterruptibly(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS).awaitUninterruptibly(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        io.shutdown();
        try
        {
            io.awaitTermination(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
