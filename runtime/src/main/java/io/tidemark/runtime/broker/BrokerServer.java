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
 * <p>{@link #warmUp}, called once the server is announced, runs the single-record round trip
 * through the broker's own code on a scratch log ({@link BrokerWarmUp}) until the first client's
 * request, so that the JIT has compiled it by then.
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

    private final Broker broker;
    private final LogManager logs;
    private final GroupCoordinator groups;
    private final TransactionCoordinator transactions;
    private final JobManager jobs;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final ExecutorService io;
    private final Channel listener;
    private final ChannelGroup connections;
    /** The Kafka listener's requests, as the HTTP API reports them: the warm-up's are not among them. */
    private final KafkaRequestMetrics requests;
    private final InetSocketAddress address;
    private final HttpApiServer http;
    /** Set once by {@link #warmUp}, read by {@link #close} on another thread. */
    private volatile BrokerWarmUp warmUp;

    private BrokerServer(final Broker broker, final JobManager jobs, final EventLoopGroup acceptor, final EventLoopGroup workers, final ExecutorService io,
        final Channel listener, final ChannelGroup connections, final KafkaRequestMetrics requests, final HttpApiServer http)
    {
        this.broker = broker;
        this.http = http;
        this.connections = connections;
        this.requests = requests;
        this.logs = broker.logs();
        this.groups = broker.groups();
        this.transactions = broker.transactions();
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
            final Channel listener = listen(acceptor, workers, new KafkaChannels(config, apis, connections, refusals, requests), config.host(),
                config.port());
            final InetSocketAddress bound = (InetSocketAddress)listener.localAddress();
            final Broker broker = new Broker(config, dynamicConfig, logs, groups, transactions, io, watchers, fetchSessions, refusals, config.host(),
                bound.getPort(), clusterId);
            apis.set(Apis.table(broker));
            final HttpApi api = new HttpApi(logs, groups, jobs, Tidemark.VERSION, config.host() + ":" + bound.getPort(), requests,
                fetchSessions.metrics(),                 System::currentTimeMillis);
            final HttpApiServer http = HttpApiServer.start(api, config.httpHost(), config.httpPort(), config.connectionsMaxIdleMs(), acceptor, workers);
            return new BrokerServer(broker, jobs, acceptor, workers, io, listener, connections, requests, http);
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

    /** Binds a Kafka-protocol listener on the server's event loops. */
    static Channel listen(final EventLoopGroup acceptor, final EventLoopGroup workers, final KafkaChannels channels, final String host, final int port)
    {
        return new ServerBootstrap()
            .group(acceptor, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(channels)
            .bind(host, port)
            .syncUninterruptibly()
            .channel();
    }

    /**
     * Starts warming the single-record round trip up on a background thread ({@link BrokerWarmUp}),
     * with its default budget: called once the server is announced, so that it delays no start.
     * It ends by itself, at the first client request at the latest.
     */
    public void warmUp()
    {
        warmUp(BrokerWarmUp.ROUND_TRIPS, BrokerWarmUp.BUDGET);
    }

    /**
     * @param roundTrips the most round trips to run.
     * @param budget the longest to run them.
     * @return the warm-up, started.
     */
    BrokerWarmUp warmUp(final int roundTrips, final Duration budget)
    {
        if (warmUp != null)
        {
            throw new IllegalStateException("the server was warmed up already");
        }
        final BrokerWarmUp started = new BrokerWarmUp(broker, acceptor, workers, connections, requests, roundTrips, budget);
        warmUp = started;
        started.start();
        return started;
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
        final BrokerWarmUp warming = warmUp;
        if (warming != null)
        {
            warming.close();
        }
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

    /**
     * A Kafka-protocol connection's pipeline, the same on every listener: an idle timer that
     * closes it after {@code connections.max.idle.ms} without reads or writes, the
     * {@link FrameReader}, and a {@link ConnectionHandler} over the listener's table of APIs.
     */
    static final class KafkaChannels extends ChannelInitializer<SocketChannel>
    {
        private final BrokerConfig config;
        private final AtomicReference<ApiTable> apis;
        private final ChannelGroup connections;
        private final RefusalLog refusals;
        private final KafkaRequestMetrics requests;

        /**
         * @param apis the handlers, set once the listener is bound; a connection before that is closed.
         * @param connections where each connection is added, to be closed with the server.
         * @param requests where the answered requests are counted.
         */
        KafkaChannels(final BrokerConfig config, final AtomicReference<ApiTable> apis, final ChannelGroup connections, final RefusalLog refusals,
            final KafkaRequestMetrics requests)
        {
            this.config = config;
            this.apis = apis;
            this.connections = connections;
            this.refusals = refusals;
            this.requests = requests;
        }

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
    }
}
