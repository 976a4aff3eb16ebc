package io.tidemark.bench.server;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Compaction of one keyed topic measured over the Kafka protocol, the same against any broker:
 * fills a one-partition topic with keyed records while its policy is {@code delete} (so that
 * no cleaner runs during the fill), runs a steady keyed producer (acks=all), and after a
 * stretch of produce latency without cleaning switches the topic to {@code compact} and polls
 * the partition's size (DescribeLogDirs) until it has stopped shrinking. Figures go to a file
 * of {@link Measurements}; {@code benchmarks/cleaner-vs-kafka.sh} runs this against
 * {@code tidemark server} and an Apache Kafka broker and compares them.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tidemark.bench.server.CleanerBench --bootstrap 127.0.0.1:9092 --out tidemark.txt
 * </pre>
 */
@Command(name = "cleaner-bench", mixinStandardHelpOptions = true,
    description = "Compaction of a keyed topic: time to clean, MB/s, and produce latency before and during the cleaning.")
public final class CleanerBench implements Callable<Integer>
{
    /** A record as it lies in a batch of the fill: 8-byte key, 100-byte value, about 10 bytes of record framing and its share of the batch header. */
    private static final int RECORD_BYTES_IN_LOG = 8 + ClientSettings.RECORD_BYTES + 10;
    /** One record in ten is the latest of its key at the end: the fill draws keys from a tenth as many keys as records. */
    private static final int RECORDS_PER_KEY = 10;
    private static final long MIB = 1024 * 1024;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "The broker.")
    private String bootstrap;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Figures are appended here, one 'metric value' a line.")
    private Path out;

    @Option(names = "--topic", defaultValue = "cleaner-bench", description = "The topic, made here (default: ${DEFAULT-VALUE}).")
    private String topic;

    @Option(names = "--megabytes", defaultValue = "1024", description = "MiB of keyed records to fill the topic with (default: ${DEFAULT-VALUE}).")
    private long megabytes;

    @Option(names = "--segment-bytes", defaultValue = "67108864", description = "The topic's segment.bytes (default: ${DEFAULT-VALUE}).")
    private int segmentBytes;

    @Option(names = "--rate", defaultValue = "5000", description = "Records/s of the steady producer (default: ${DEFAULT-VALUE}).")
    private int rate;

    @Option(names = "--before-seconds", defaultValue = "30",
        description = "Seconds of steady produce measured before compaction is switched on (default: ${DEFAULT-VALUE}).")
    private int beforeSeconds;

    @Option(names = "--quiet-seconds", defaultValue = "35",
        description = "The cleaning is taken as done when the size has not shrunk for this long, over two cleaner back-offs (default: ${DEFAULT-VALUE}).")
    private int quietSeconds;

    @Option(names = "--timeout-minutes", defaultValue = "20", description = "Give up waiting for the cleaning after this (default: ${DEFAULT-VALUE}).")
    private int timeoutMinutes;

    private CleanerBench()
    {
    }

    /**
     * Runs one measurement and exits with its code.
     *
     * @param args the options; {@code --help} lists them.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new CleanerBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        if (megabytes <= 0 || segmentBytes <= 0 || rate <= 0 || beforeSeconds <= 0 || quietSeconds <= 0 || timeoutMinutes <= 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), "every number must be positive");
        }
        final long records = megabytes * MIB / RECORD_BYTES_IN_LOG;
        final long keys = records / RECORDS_PER_KEY;
        final TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)))
        {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short)1).configs(Map.of(
                "cleanup.policy", "delete",
                "retention.ms", "-1",
                "segment.bytes", Integer.toString(segmentBytes),
                "min.cleanable.dirty.ratio", "0.5")))).all().get(1, TimeUnit.MINUTES);

            final long fillStart = System.nanoTime();
            fill(records, keys);
            final double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
            final long filled = size(admin, partition);
            progress("filled %,d records (%,d keys) in %.1f s: %,d bytes", records, keys, fillSeconds, filled);

            final SteadyProducer steady = new SteadyProducer(steadyProducer(), topic, keys, rate,
                (long)rate * (beforeSeconds + 60L * timeoutMinutes + quietSeconds + 60));
            steady.start();
            final long before = System.nanoTime();
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(beforeSeconds));

            final long dirty = size(admin, partition);
            final long compactAt = System.nanoTime();
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                List.of(new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.SET)))).all().get(1, TimeUnit.MINUTES);
            progress("compaction on at %,d bytes", dirty);

            final Shrinking shrinking = awaitShrunk(admin, partition, compactAt);
            steady.stop();
            if (shrinking.first() == 0)
            {
                progress("the partition did not shrink within %d minutes", timeoutMinutes);
                return 1;
            }
            final double cleaningSeconds = (shrinking.last() - compactAt) / 1e9;
            final double rewriteSeconds = (shrinking.last() - shrinking.first()) / 1e9;
            Measurements.append(out, "fill.mib", filled / (double)MIB);
            Measurements.append(out, "clean.size_before_mib", dirty / (double)MIB);
            Measurements.append(out, "clean.size_after_mib", shrinking.size() / (double)MIB);
            Measurements.append(out, "clean.to_first_shrink_ms", (shrinking.first() - compactAt) / 1e6);
            Measurements.append(out, "clean.to_last_shrink_ms", cleaningSeconds * 1e3);
            Measurements.append(out, "clean.mb_per_s_to_last_shrink", dirty / 1e6 / cleaningSeconds);
            Measurements.append(out, "clean.first_to_last_shrink_ms", rewriteSeconds * 1e3);
            steady.window(out, "produce.before", before, compactAt);
            steady.window(out, "produce.cleaning", compactAt, shrinking.last());
            steady.window(out, "produce.rewriting", shrinking.first(), shrinking.last());
            progress("cleaned to %,d bytes, %.1f s after compaction was switched on (the last %.1f s shrinking)",
                shrinking.size(), cleaningSeconds, rewriteSeconds);
            return 0;
        }
    }

    /** When the partition first and last shrank (nanoTime, 0 if never) and its size after. */
    private record Shrinking(long first, long last, long size)
    {
    }

    private Shrinking awaitShrunk(final Admin admin, final TopicPartition partition, final long since) throws Exception
    {
        final long deadline = since + TimeUnit.MINUTES.toNanos(timeoutMinutes);
        long smallest = size(admin, partition);
        long first = 0;
        long last = 0;
        while (System.nanoTime() < deadline && (first == 0 || System.nanoTime() - last < TimeUnit.SECONDS.toNanos(quietSeconds)))
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
            final long size = size(admin, partition);
            if (size < smallest)
            {
                last = System.nanoTime();
                first = first == 0 ? last : first;
                smallest = size;
                progress("%.1f s: %,d bytes", (last - since) / 1e9, size);
            }
        }
        return new Shrinking(first, last, smallest);
    }

    private void fill(final long records, final long keys)
    {
        final Properties properties = ClientSettings.leaderAcksProducer(bootstrap);
        final byte[] value = ClientSettings.recordValue();
        final SplittableRandom random = new SplittableRandom(42);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties))
        {
            for (long i = 0; i < records; i++)
            {
                producer.send(new ProducerRecord<>(topic, 0, key(random.nextLong(keys)), value));
            }
            producer.flush();
        }
    }

    private Properties steadyProducer()
    {
        final Properties properties = ClientSettings.idempotentProducer(bootstrap);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return properties;
    }

    static byte[] key(final long key)
    {
        return ByteBuffer.allocate(Long.BYTES).putLong(key).array();
    }

    private static long size(final Admin admin, final TopicPartition partition) throws Exception
    {
        final List<Integer> brokers = admin.describeCluster().nodes().get(1, TimeUnit.MINUTES).stream().map(Node::id).toList();
        final Map<Integer, Map<String, LogDirDescription>> dirs = admin.describeLogDirs(brokers).allDescriptions().get(1, TimeUnit.MINUTES);
        for (final Map<String, LogDirDescription> broker : dirs.values())
        {
            for (final LogDirDescription dir : broker.values())
            {
                final ReplicaInfo replica = dir.replicaInfos().get(partition);
                if (replica != null)
                {
                    return replica.size();
                }
            }
        }
        throw new IllegalStateException("no log directory holds " + partition);
    }

    private static void progress(final String format, final Object... args)
    {
        System.out.printf(format + "%n", args);
    }
}
