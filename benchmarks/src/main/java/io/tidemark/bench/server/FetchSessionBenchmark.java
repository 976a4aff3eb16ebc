package io.tidemark.bench.server;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;
import org.apache.kafka.common.serialization.StringSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A caught-up consumer's fetch of many partitions, with and without an incremental fetch
 * session: {@code tidemark server} in this process on 127.0.0.1, a topic of
 * {@code partitions} partitions holding one record each, and one connection sending Fetch 13
 * at the log end of every partition, with no wait, and reading each response whole. Without a
 * session ({@code sessionless}) every fetch names every partition and every response carries
 * them all; with one ({@code incremental}) the session was created once and each fetch names
 * none and gets none back. {@code waiting} is a caught-up consumer's incremental fetch that
 * waits ({@code fetch.min.bytes} 1, {@code fetch.max.wait.ms} 500): each fetch names the
 * partition the last record went to, at its new offset, as the Java consumer does, then a
 * producer (another connection) appends one record to the next partition, and the fetch answers
 * with it; its figures include that produce request's cost to the broker. The score is the
 * round trip; after each iteration the broker's event-loop CPU time per fetch is printed
 * ({@code broker CPU per fetch}), the broker's own share of it. Every response is checked for
 * no error and the expected session id, so that a refused fetch is not timed as a fast one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FetchSessionBenchmark
{
    private static final String TOPIC = "bench";
    private static final short VERSION = 13;
    private static final int MAX_BYTES = 1 << 20;
    /** Where the session epoch sits in a Fetch 13 body: after replica id, max wait, min bytes, max bytes, isolation level and session id. */
    private static final int EPOCH_IN_BODY = 4 + 4 + 4 + 4 + 1 + 4;
    /** Where the error code sits in a Fetch 13 response: after the header (correlation id, no tags) and the throttle time. */
    private static final int ERROR_IN_RESPONSE = 4 + 1 + 4;
    /** Where the session id sits, after the error code. */
    private static final int SESSION_IN_RESPONSE = ERROR_IN_RESPONSE + 2;

    /** The topic's partitions, all fetched. */
    @Param({"100"})
    public int partitions;

    /** {@code sessionless}, {@code incremental} or {@code waiting}. */
    @Param({"sessionless", "incremental", "waiting"})
    public String mode;

    private InProcessBroker server;
    private Socket socket;
    private DataInputStream in;
    private OutputStream out;
    private ByteBuffer frame;
    private int epochAt;
    private int epoch;
    private int sessionId;
    private Uuid topicId;
    /** For {@code waiting}: each partition's log end offset, and the partition appended to last. */
    private long[] ends;
    private int appended = -1;
    private KafkaProducer<String, String> producer;
    private byte[] response = new byte[1 << 16];
    private long cpuBefore;
    private long fetchesBefore;
    private long fetches;

    /**
     * Starts the server, fills the topic and, for {@code incremental}, creates the session.
     *
     * @throws Exception if any of it fails.
     */
    @Setup
    public void start() throws Exception
    {
        server = new InProcessBroker("fetch-session", Map.of());
        final String bootstrap = server.bootstrap();
        final Uuid id;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)))
        {
            id = admin.createTopics(List.of(new NewTopic(TOPIC, partitions, (short)1))).topicId(TOPIC).get();
        }
        topicId = id;
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, "0"),
            new StringSerializer(), new StringSerializer());
        for (int p = 0; p < partitions; p++)
        {
            producer.send(new ProducerRecord<>(TOPIC, p, null, "v"));
        }
        producer.flush();
        ends = new long[partitions];
        Arrays.fill(ends, 1);
        socket = new Socket("127.0.0.1", server.port());
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        final boolean incremental = !mode.equals("sessionless");
        final List<FetchRequestData.FetchPartition> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++)
        {
            all.add(new FetchRequestData.FetchPartition().setPartition(p).setFetchOffset(1).setPartitionMaxBytes(MAX_BYTES));
        }
        final FetchRequestData full = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(0).setMaxBytes(MAX_BYTES)
            .setSessionId(0).setSessionEpoch(incremental ? 0 : -1)
            .setTopics(List.of(new FetchRequestData.FetchTopic().setTopicId(id).setPartitions(all)));
        frame = frame(full);
        final FetchResponseData first = roundTrip();
        sessionId = first.sessionId();
        if (incremental)
        {
            frame = frame(new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(0).setMaxBytes(MAX_BYTES)
                .setSessionId(sessionId).setSessionEpoch(1));
            epoch = 1;
            if (sessionId == 0)
            {
                throw new IllegalStateException("no session was created");
            }
        }
    }

    /** @return the request's frame (size, header, body), noting where its session epoch sits. */
    private ByteBuffer frame(final FetchRequestData request)
    {
        final RequestHeader header = new RequestHeader(ApiKeys.FETCH, VERSION, "bench", 1);
        final ByteBuffer message = RequestUtils.serialize(header.data(), header.headerVersion(), request, VERSION);
        final ByteBuffer buffer = ByteBuffer.allocate(4 + message.remaining());
        final int bodySize = request.size(new ObjectSerializationCache(), VERSION);
        epochAt = 4 + message.remaining() - bodySize + EPOCH_IN_BODY;
        buffer.putInt(message.remaining()).put(message);
        return buffer;
    }

    private FetchResponseData roundTrip() throws IOException
    {
        return parse(send());
    }

    /** @return the response just read, of this size, decoded. */
    private FetchResponseData parse(final int size)
    {
        final ByteBuffer body = ByteBuffer.wrap(response, 0, size);
        ResponseHeader.parse(body, ApiKeys.FETCH.responseHeaderVersion(VERSION));
        final FetchResponseData data = new FetchResponseData();
        data.read(new ByteBufferAccessor(body), VERSION);
        return data;
    }

    /** Sends the frame and reads the response whole; returns its size. */
    private int send() throws IOException
    {
        out.write(frame.array());
        out.flush();
        return receive();
    }

    /** Reads a response whole; returns its size. */
    private int receive() throws IOException
    {
        final int size = in.readInt();
        if (size > response.length)
        {
            response = new byte[size];
        }
        in.readFully(response, 0, size);
        fetches++;
        return size;
    }

    /** @return the size of the response just read, checked to carry no error and the session's id (0 for {@code sessionless}). */
    private int checked(final int size)
    {
        final ByteBuffer read = ByteBuffer.wrap(response, 0, size);
        if (read.getShort(ERROR_IN_RESPONSE) != 0 || read.getInt(SESSION_IN_RESPONSE) != sessionId)
        {
            throw new IllegalStateException("refused or answered without the session: error " + read.getShort(ERROR_IN_RESPONSE) + ", session "
                + read.getInt(SESSION_IN_RESPONSE));
        }
        return size;
    }

    /**
     * One fetch: answered at once, or for {@code waiting} once a record arrives.
     *
     * @return the response's size, so that the work is not dead code.
     * @throws IOException if the connection fails.
     */
    @Benchmark
    public int fetch() throws Exception
    {
        if (mode.equals("waiting"))
        {
            return waitForOneRecord();
        }
        if (mode.equals("incremental"))
        {
            frame.putInt(epochAt, epoch);
            epoch = epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
        }
        return checked(send());
    }

    /** A waiting incremental fetch, answered by one record appended to the next partition while it waits. */
    private int waitForOneRecord() throws Exception
    {
        final FetchRequestData request = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(500).setMinBytes(1).setMaxBytes(MAX_BYTES)
            .setSessionId(sessionId).setSessionEpoch(epoch);
        if (appended >= 0)
        {
            request.setTopics(List.of(new FetchRequestData.FetchTopic().setTopicId(topicId).setPartitions(List.of(
                new FetchRequestData.FetchPartition().setPartition(appended).setFetchOffset(ends[appended]).setPartitionMaxBytes(MAX_BYTES)))));
        }
        epoch = epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
        frame = frame(request);
        out.write(frame.array());
        out.flush();
        appended = (appended + 1) % partitions;
        producer.send(new ProducerRecord<>(TOPIC, appended, null, "v")).get();
        ends[appended]++;
        final int size = receive();
        final FetchResponseData data = parse(size);
        if (data.errorCode() != 0 || data.sessionId() != sessionId || data.responses().size() != 1
            || data.responses().get(0).partitions().get(0).partitionIndex() != appended
            || data.responses().get(0).partitions().get(0).records().sizeInBytes() == 0)
        {
            throw new IllegalStateException("not the appended record alone, in the session: " + data);
        }
        return size;
    }

    /** Notes the broker's CPU time before an iteration. */
    @Setup(Level.Iteration)
    public void before()
    {
        cpuBefore = server.eventLoopCpuNanos();
        fetchesBefore = fetches;
    }

    /** Prints the broker's CPU time per fetch of the iteration. */
    @TearDown(Level.Iteration)
    public void after()
    {
        final long count = fetches - fetchesBefore;
        System.out.printf("%nbroker CPU per fetch (%s, %d partitions): %.2f us over %d fetches%n", mode, partitions,
            (server.eventLoopCpuNanos() - cpuBefore) / 1e3 / Math.max(1, count), count);
    }

    /**
     * Stops the server and deletes its data.
     *
     * @throws IOException if the data cannot be deleted.
     */
    @TearDown
    public void stop() throws IOException
    {
        socket.close();
        producer.close();
        server.close();
    }
}
