package io.tidemark.runtime.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import io.tidemark.engine.api.StreamJob;
import io.tidemark.log.topic.LogManager;
import io.tidemark.runtime.broker.BrokerConfig;
import io.tidemark.runtime.broker.BrokerServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the job tests share: a real server on a data directory, jars made at test time, Kafka
 * clients against the server, and polling with a deadline.
 */
final class JobsUnderTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private JobsUnderTest()
    {
    }

    static BrokerServer server(final Path dataDir)
    {
        return BrokerServer.start(BrokerConfig.parse(new Properties(), dataDir, "127.0.0.1", 0));
    }

    static String bootstrap(final BrokerServer server)
    {
        return "127.0.0.1:" + server.address().getPort();
    }

    /** Waits for a condition, checking every few milliseconds, and fails after a deadline. */
    static void until(final String what, final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out after " + DEADLINE.toSeconds() + " s waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    static JobStatus status(final JobManager jobs, final String id)
    {
        return jobs.list().stream().filter(job -> job.id().equals(id)).findFirst().orElseThrow();
    }

    static void createTopic(final LogManager logs, final String topic, final int partitions)
    {
        logs.createTopic(topic, partitions, Map.of());
    }

    /** Sends each value with its key and timestamp, and waits until every one is acknowledged. */
    static void produce(final String bootstrap, final String topic, final List<String> keys, final List<String> values, final long firstTimestamp)
    {
        final Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer()))
        {
            for (int i = 0; i < values.size(); i++)
            {
                producer.send(new ProducerRecord<>(topic, null, firstTimestamp + i, keys.get(i), values.get(i)));
            }
            producer.flush();
        }
    }

    /**
     * Reads a topic from the start with {@code read_committed} until what was read satisfies
     * {@code enough}, or fails after the deadline.
     *
     * @return the values read, in each partition's order.
     */
    static List<String> readCommitted(final String bootstrap, final String topic, final int partitions, final Predicate<List<String>> enough)
    {
        final Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        final List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer()))
        {
            final List<TopicPartition> assigned = new ArrayList<>();
            for (int p = 0; p < partitions; p++)
            {
                assigned.add(new TopicPartition(topic, p));
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            final long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (!enough.test(values))
            {
                if (System.nanoTime() > deadline)
                {
                    throw new AssertionError("timed out reading " + topic + "; read " + values.size() + " values: " + tail(values));
                }
                for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100)))
                {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    private static List<String> tail(final List<String> values)
    {
        return values.subList(Math.max(0, values.size() - 10), values.size());
    }

    /**
     * @return a jar of the given classes of the test class path, with their nested classes.
     */
    static byte[] jarOf(final Class<?>... classes)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes))
        {
            for (final Class<?> type : classes)
            {
                final Path root = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
                final Path file = root.resolve(type.getName().replace('.', '/') + ".class");
                final String prefix = type.getSimpleName();
                try (Stream<Path> siblings = Files.list(file.getParent()))
                {
                    for (final Path sibling : siblings.filter(path -> path.getFileName().toString().equals(prefix + ".class")
                        || path.getFileName().toString().startsWith(prefix + "$")).toList())
                    {
                        jar.putNextEntry(new JarEntry(root.relativize(sibling).toString().replace('\\', '/')));
                        jar.write(Files.readAllBytes(sibling));
                        jar.closeEntry();
                    }
                }
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        catch (final URISyntaxException e)
        {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Compiles Java sources against the engine and the log and jars the classes.
     *
     * @param directory a scratch directory.
     * @param sources   each class's binary name and source.
     * @return the jar's bytes.
     */
    static byte[] compile(final Path directory, final Map<String, String> sources) throws IOException, URISyntaxException
    {
        final Path sourceRoot = Files.createDirectories(directory.resolve("src"));
        final Path classes = Files.createDirectories(directory.resolve("classes"));
        final List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "-classpath", classPath(), "-proc:none"));
        for (final Map.Entry<String, String> source : sources.entrySet())
        {
            final Path file = sourceRoot.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue(), UTF_8);
            arguments.add(file.toString());
        }
        final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        final ByteArrayOutputStream errors = new ByteArrayOutputStream();
        if (compiler.run(null, null, errors, arguments.toArray(new String[0])) != 0)
        {
            throw new AssertionError("the test job does not compile: " + errors.toString(UTF_8));
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes); Stream<Path> files = Files.walk(classes))
        {
            for (final Path file : files.filter(Files::isRegularFile).toList())
            {
                jar.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                jar.write(Files.readAllBytes(file));
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** The engine's and the log's classes, wherever the build put them (directories or jars). */
    private static String classPath() throws URISyntaxException
    {
        final List<String> entries = new ArrayList<>();
        for (final Class<?> type : List.of(StreamJob.class, LogManager.class))
        {
            entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        entries.add(System.getProperty("java.class.path"));
        return String.join(System.getProperty("path.separator"), entries);
    }
}
