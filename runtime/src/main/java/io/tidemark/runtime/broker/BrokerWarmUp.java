package io.tidemark.runtime.broker;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.tidemark.log.topic.LogManager;
import io.tidemark.runtime.broker.api.Apis;
import io.tidemark.runtime.broker.api.FetchSessions;
import io.tidemark.runtime.metrics.FetchSessionMetrics;
import io.tidemark.runtime.metrics.KafkaRequestMetrics;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceDataCollection;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.FetchMetadata;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the round trip of a single record through a freshly started broker's own code, so that
 * the JIT compiles it before the first client needs it: a produce of one record, the waiting
 * fetch it wakes and answers, the next fetch that waits. Without it the first tens of thousands
 * of a client's round trips share the two cores with the compilers (hundreds of microseconds
 * of compilation per round trip); a client's larger requests do not compile this path, as each
 * runs it once per many records.
 *
 * <p>The round trips go over loopback TCP, through a listener of its own on 127.0.0.1 served by
 * the server's event loops, pipeline and handlers, to a topic in a scratch log in a temporary
 * directory ({@link LogManager#openScratch}) with the server's topic defaults: the classes and
 * call sites are the real ones, so what is compiled is what clients run, and no topic, file,
 * fetch session or request count of the server's shows it. The requests are those of the Java
 * client at the highest versions served: Produce with {@code acks=1}, and Fetch in an
 * incremental session over {@value #PARTITIONS} partitions, as a consumer assigned a topic of
 * that many sends them.
 *
 * <p>It is bounded three ways: {@code roundTrips} round trips, a time budget, and the first
 * request any client has answered on the server's own listener, after which it stops within a
 * round trip (well under a millisecond once the path is compiled), so it holds up at most one
 * request of a real client on the event loop. Then it closes its listener and log and deletes
 * the directory. It runs on a daemon thread of its own; any failure ends it, logged at debug
 * level: a broker that was not warmed up only compiles later.
 */
final class BrokerWarmUp implements AutoCloseable
{
    /** The default number of round trips: about as many as a client's first round trips spend compiling. */
    static final int ROUND_TRIPS = 20_000;
    /** The default time budget. */
    static final Duration BUDGET = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(BrokerWarmUp.class);
    private static final String RUNNING = "running";
    private static final String TOPIC = "warm-up";
    private static final String CLIENT_ID = "tidemark-warm-up";
    /** As many as a topic of the benchmarks' workloads: a waiting fetch watches each. */
    private static final int PARTITIONS = 6;
    private static final int RECORD_BYTES = 100;
    /** The Java consumer's defaults: {@code fetch.max.wait.ms}, {@code fetch.max.bytes}, {@code max.partition.fetch.bytes}. */
    private static final int MAX_WAIT_MS = 500;
    private static final int MAX_BYTES = 50 << 20;
    private static final int PARTITION_MAX_BYTES = 1 << 20;
    private static final int REQUEST_TIMEOUT_MS = 30_000;
    private static final int READ_TIMEOUT_MS = 10_000;
    private static final long JOIN_MILLIS = 5_000;

    private final Broker broker;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final ChannelGroup connections;
    private final KafkaRequestMetrics clientRequests;
    private final int maxRoundTrips;
    private final long budgetNanos;
    private final Thread thread;
    private final CountDownLatch ended = new CountDownLatch(1);
    /** The warm-up's sockets, closed by {@link #close} to end a blocked read. */
    private final List<Socket> sockets = new ArrayList<>();
    private volatile boolean stopping;
    private volatile int roundTrips;
    private volatile Path directory;
    private volatile String endReason = "not started";

    /**
     * @param broker the server's broker, whose configuration and threads the warm-up's broker shares.
     * @param connections where the server keeps its connections, to be closed with it.
     * @param clientRequests the requests answered on the server's own listener: the first ends the warm-up.
     * @param roundTrips the most round trips to run.
     * @param budget the longest to run them.
     */
    BrokerWarmUp(final Broker broker, final EventLoopGroup acceptor, final EventLoopGroup workers, final ChannelGroup connections,
        final KafkaRequestMetrics clientRequests, final int roundTrips, final Duration budget)
    {
        this.broker = broker;
        this.acceptor = acceptor;
        this.workers = workers;
        this.connections = connections;
        this.clientRequests = clientRequests;
        this.maxRoundTrips = roundTrips;
        this.budgetNanos = budget.toNanos();
        this.thread = new Thread(this::run, "tidemark-warm-up");
        thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    /** @return the round trips completed so far. */
    int roundTrips()
    {
        return roundTrips;
    }

    /** @return the scratch directory once made (deleted when the warm-up ends), else null. */
    Path directory()
    {
        return directory;
    }

    /** @return why it ended, or "not started" / "running". */
    String endReason()
    {
        return endReason;
    }

    /**
     * @param timeout how long to wait.
     * @return whether it ended (and cleaned up) within that time.
     */
    boolean awaitEnd(final Duration timeout) throws InterruptedException
    {
        return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Stops it, if it runs, and waits a bounded time for it to clean up. */
    @Override
    public void close()
    {
        stopping = true;
        synchronized (sockets)
        {
            sockets.forEach(BrokerWarmUp::closeQuietly);
        }
        try
        {
            thread.join(JOIN_MILLIS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void run()
    {
        endReason = RUNNING;
        final long start = System.nanoTime();
        LogManager logs = null;
        Channel listener = null;
        try
        {
            directory = Files.createTempDirectory("tidemark-warm-up");
            logs = LogManager.openScratch(directory, broker.logs().defaults());
            logs.createTopic(TOPIC, PARTITIONS, Map.of());
            final Uuid topicId = TopicIds.toUuid(logs.topicId(TOPIC));
            final AtomicReference<ApiTable> apis = new AtomicReference<>();
            final BrokerConfig config = broker.config();
            listener = BrokerServer.listen(acceptor, workers,
                new BrokerServer.KafkaChannels(config, apis, connections, broker.refusals(), new KafkaRequestMetrics()), "127.0.0.1", 0);
            final InetSocketAddress address = (InetSocketAddress)listener.localAddress();
            final ApiTable table = Apis.table(new Broker(config, broker.dynamicConfig(), logs, broker.groups(), broker.transactions(), broker.io(),
                new PartitionWatchers(), new FetchSessions(1, PARTITIONS, FetchSessions.IDLE_MS, System::nanoTime, new FetchSessionMetrics()),
                broker.refusals(), address.getHostString(), address.getPort(), broker.clusterId()));
            apis.set(table);
            endReason = roundTrips(address, table, topicId, start + budgetNanos);
        }
        catch (final IOException | RuntimeException e)
        {
            endReason = stopping ? "stopped" : "failed: " + e;
            LOG.debug("the warm-up failed", e);
        }
        finally
        {
            if (endReason.equals(RUNNING))
            {
                // An error, not an exception, ended it: reported by the thread's handler.
                endReason = "failed";
            }
            synchronized (sockets)
            {
                sockets.forEach(BrokerWarmUp::closeQuietly);
            }
            if (listener != null)
            {
                listener.close().awaitUninterruptibly(JOIN_MILLIS, TimeUnit.MILLISECONDS);
            }
            if (logs != null)
            {
                logs.close();
            }
            delete(directory);
            LOG.debug("warm-up: {} round trips in {} ms, ended: {}", roundTrips, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), endReason);
            ended.countDown();
        }
    }

    /** @return why the round trips ended. */
    private String roundTrips(final InetSocketAddress address, final ApiTable table, final Uuid topicId, final long deadline) throws IOException
    {
        final Connection producer = connect(address);
        final Connection consumer = connect(address);
        final short produceVersion = table.entry(ApiKeys.PRODUCE.id).maxVersion();
        final short fetchVersion = table.entry(ApiKeys.FETCH.id).maxVersion();
        final ProduceRequestData[] produces = new ProduceRequestData[PARTITIONS];
        final byte[] value = new byte[RECORD_BYTES];
        for (int partition = 0; partition < PARTITIONS; partition++)
        {
            final MemoryRecords record = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(System.currentTimeMillis(), null, value));
            final TopicProduceDataCollection topics = new TopicProduceDataCollection();
            topics.add(new TopicProduceData().setTopicId(topicId).setPartitionData(List.of(new PartitionProduceData().setIndex(partition).setRecords(record))));
            produces[partition] = new ProduceRequestData().setAcks((short)1).setTimeoutMs(REQUEST_TIMEOUT_MS).setTopicData(topics);
        }
        final long[] fetchOffsets = new long[PARTITIONS];
        final List<FetchPartition> all = new ArrayList<>();
        for (int partition = 0; partition < PARTITIONS; partition++)
        {
            all.add(fetchPartition(partition, 0));
        }
        // The session's first fetch names every partition; each later one the partition that moved.
        FetchRequestData fetch = fetchRequest(FetchMetadata.INVALID_SESSION_ID, FetchMetadata.INITIAL_EPOCH, topicId, all);
        int epoch = FetchMetadata.INITIAL_EPOCH;
        for (int i = 0; i < maxRoundTrips; i++)
        {
            if (stopping)
            {
                return "stopped";
            }
            if (!clientRequests.used().isEmpty())
            {
                return "a client's request";
            }
            if (System.nanoTime() - deadline > 0)
            {
                return "its time budget";
            }
            final int partition = i % PARTITIONS;
            // The fetch goes first and waits; the produce wakes it, as a consumer's and a producer's do.
            consumer.send(fetch, fetchVersion);
            producer.send(produces[partition], produceVersion);
            final FetchResponseData fetched = (FetchResponseData)consumer.receive(new FetchResponseData(), fetchVersion);
            final ProduceResponseData produced = (ProduceResponseData)producer.receive(new ProduceResponseData(), produceVersion);
            final short produceError = produced.responses().iterator().next().partitionResponses().get(0).errorCode();
            if (fetched.errorCode() != Errors.NONE.code() || produceError != Errors.NONE.code())
            {
                return "an error: fetch " + Errors.forCode(fetched.errorCode()) + ", produce " + Errors.forCode(produceError);
            }
            final int got = received(fetched, fetchOffsets);
            if (got != 1)
            {
                return "a fetch that brought " + got + " records instead of one";
            }
            epoch = FetchMetadata.nextEpoch(epoch);
            fetch = fetchRequest(fetched.sessionId(), epoch, topicId, List.of(fetchPartition(partition, fetchOffsets[partition])));
            roundTrips = i + 1;
        }
        return "its round trips";
    }

    /** @return the records a fetch response carried, moving each partition's fetch offset past them. */
    private static int received(final FetchResponseData fetched, final long[] fetchOffsets)
    {
        int records = 0;
        for (final FetchableTopicResponse topic : fetched.responses())
        {
            for (final PartitionData partition : topic.partitions())
            {
                if (partition.records() instanceof MemoryRecords batches)
                {
                    for (final var batch : batches.batches())
                    {
                        records += batch.countOrNull();
                        fetchOffsets[partition.partitionIndex()] = batch.nextOffset();
                    }
                }
            }
        }
        return records;
    }

    private static FetchPartition fetchPartition(final int partition, final long offset)
    {
        return new FetchPartition().setPartition(partition).setCurrentLeaderEpoch(Broker.LEADER_EPOCH).setFetchOffset(offset)
            .setLogStartOffset(-1).setPartitionMaxBytes(PARTITION_MAX_BYTES);
    }

    private static FetchRequestData fetchRequest(final int sessionId, final int epoch, final Uuid topicId, final List<FetchPartition> partitions)
    {
        return new FetchRequestData().setReplicaId(-1).setMaxWaitMs(MAX_WAIT_MS).setMinBytes(1).setMaxBytes(MAX_BYTES)
            .setIsolationLevel((byte)0).setSessionId(sessionId).setSessionEpoch(epoch)
            .setTopics(List.of(new FetchTopic().setTopicId(topicId).setPartitions(partitions)));
    }

    private Connection connect(final InetSocketAddress address) throws IOException
    {
        final Socket socket = new Socket();
        synchronized (sockets)
        {
            if (stopping)
            {
                throw new IOException("stopped");
            }
            sockets.add(socket);
        }
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        socket.connect(address, READ_TIMEOUT_MS);
        return new Connection(new DataInputStream(socket.getInputStream()), socket.getOutputStream());
    }

    private static void closeQuietly(final Socket socket)
    {
        try
        {
            socket.close();
        }
        catch (final IOException e)
        {
            // Closing only to end the warm-up: nothing to do about it.
        }
    }

    private static void delete(final Path directory)
    {
        if (directory == null)
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException | UncheckedIOException e)
        {
            LOG.warn("cannot delete the warm-up's scratch directory {}: {}", directory, e.toString());
        }
    }

    /** One connection of the warm-up's: one request at a time, then its response. */
    private static final class Connection
    {
        private final DataInputStream in;
        private final OutputStream out;
        private int correlationId;

        Connection(final DataInputStream in, final OutputStream out)
        {
            this.in = in;
            this.out = out;
        }

        void send(final ApiMessage request, final short version) throws IOException
        {
            final RequestHeader header = new RequestHeader(ApiKeys.forId(request.apiKey()), version, CLIENT_ID, ++correlationId);
            final ObjectSerializationCache cache = new ObjectSerializationCache();
            final int headerSize = header.data().size(cache, header.headerVersion());
            final int bodySize = request.size(cache, version);
            final ByteBuffer buffer = ByteBuffer.allocate(Integer.BYTES + headerSize + bodySize);
            buffer.putInt(headerSize + bodySize);
            final ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
            header.data().write(accessor, cache, header.headerVersion());
            request.write(accessor, cache, version);
            out.write(buffer.array());
        }

        /** Reads the response to the last request sent into {@code response}. */
        ApiMessage receive(final ApiMessage response, final short version) throws IOException
        {
            final byte[] frame = new byte[in.readInt()];
            in.readFully(frame);
            final ByteBuffer buffer = ByteBuffer.wrap(frame);
            final ResponseHeader header = ResponseHeader.parse(buffer, ApiKeys.forId(response.apiKey()).responseHeaderVersion(version));
            if (header.correlationId() != correlationId)
            {
                throw new IOException("a response to request " + header.correlationId() + " where " + correlationId + " was expected");
            }
            response.read(new ByteBufferAccessor(buffer), version);
            return response;
        }
    }
}
