package io.tidemark.bench.server;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.tidemark.runtime.broker.BrokerConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
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
 * The broker's produce path as a producer with full batches drives it: {@code tidemark server}
 * in this process on 127.0.0.1 (one event loop), one connection sending Produce 9 requests of
 * one uncompressed batch of {@code records} records of 100 bytes to one partition
 * ({@code acks=1}, the same bytes each time: the broker numbers its own copy), and reading each
 * response. {@code pipelined} requests are sent before the previous ones are answered, as
 * librdkafka and the Java producer keep several in flight, so that reads of the socket hold
 * several requests and cut them anywhere. The score is the time per request; after each
 * iteration the broker's event-loop CPU time per request and per record is printed: the frame's
 * reading, its decoding, the append (the page-cache write included) and the response.
 * Every response is checked for no error. The topic keeps only its last 256 MiB, so that runs
 * of any length stay within the disk.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ProduceRequestBenchmark
{
    private static final String TOPIC = "bench";
    private static final short VERSION = 9;
    /** Where the error code sits in a Produce 9 response: header (correlation id, no tags), one topic (compact array, name "bench"), partition index. */
    private static final int ERROR_IN_RESPONSE = 4 + 1 + 1 + 1 + TOPIC.length() + 1 + 4;

    /** Records per request: 580 fill a batch of 64 KiB, the benchmark's L1 producers' {@code batch.size}. */
    @Param({"580"})
    public int records;

    /** Requests in flight on the connection. */
    @Param({"1", "4"})
    public int pipelined;

    private InProcessBroker server;
    private Socket socket;
    private DataInputStream in;
    private OutputStream out;
    private byte[] frames;
    private byte[] response = new byte[1 << 12];
    private long cpuBefore;
    private long requestsBefore;
    private long requests;

    /**
     * Starts the server and creates the topic.
     *
     * @throws Exception if either fails.
     */
    @Setup
    public void start() throws Exception
    {
        server = new InProcessBroker("produce-request", Map.of(BrokerConfig.LOG_RETENTION_CHECK_INTERVAL_MS, "1000"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap())))
        {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short)1).configs(Map.of("segment.bytes", Integer.toString(64 << 20),
                "retention.bytes", Integer.toString(256 << 20))))).all().get();
        }
        final byte[] value = new byte[100];
        final SimpleRecord[] batch = new SimpleRecord[records];
        for (int i = 0; i < records; i++)
        {
            batch[i] = new SimpleRecord(System.currentTimeMillis(), null, value);
        }
        final ProduceRequestData request = new ProduceRequestData().setAcks((short)1).setTimeoutMs(30_000);
        final ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName(TOPIC);
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
            .setRecords(MemoryRecords.withRecords(Compression.NONE, batch)));
        request.topicData().add(topic);
        final RequestHeader header = new RequestHeader(ApiKeys.PRODUCE, VERSION, "bench", 1);
        final ByteBuffer message = RequestUtils.serialize(header.data(), header.headerVersion(), request, VERSION);
        final int frameSize = 4 + message.remaining();
        final ByteBuffer all = ByteBuffer.allocate(frameSize * pipelined);
        for (int i = 0; i < pipelined; i++)
        {
            all.putInt(message.remaining()).put(message.duplicate());
        }
        frames = all.array();
        socket = new Socket("127.0.0.1", server.port());
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /**
     * Sends {@code pipelined} requests at once and reads their responses.
     *
     * @return the last response's size, so that the work is not dead code.
     * @throws IOException if the connection fails.
     */
    @Benchmark
    public int produce() throws IOException
    {
        out.write(frames);
        out.flush();
        int size = 0;
        for (int i = 0; i < pipelined; i++)
        {
            size = in.readInt();
            if (size > response.length)
            {
                response = new byte[size];
            }
            in.readFully(response, 0, size);
            if (ByteBuffer.wrap(response, 0, size).getShort(ERROR_IN_RESPONSE) != 0)
            {
                throw new IllegalStateException("the produce request was refused: error " + ByteBuffer.wrap(response).getShort(ERROR_IN_RESPONSE));
            }
            requests++;
        }
        return size;
    }

    /** Notes the broker's CPU time before an iteration. */
    @Setup(Level.Iteration)
    public void before()
    {
        cpuBefore = server.eventLoopCpuNanos();
        requestsBefore = requests;
    }

    /** Prints the broker's CPU time per request and per record of the iteration. */
    @TearDown(Level.Iteration)
    public void after()
    {
        final long count = Math.max(1, requests - requestsBefore);
        final double perRequest = (server.eventLoopCpuNanos() - cpuBefore) / (double)count;
        System.out.printf("%nbroker CPU per request (%d records, %d in flight): %.2f us, %.0f ns per record, over %d requests%n", records,
            pipelined, perRequest / 1e3, perRequest / records, count);
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
        server.close();
    }
}
