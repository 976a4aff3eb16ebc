package io.tidemark.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.Uuid;

/**
 * An Apache Kafka 4.3.1 broker in a child JVM, the oracle of the transaction tests: KRaft, one
 * node acting as broker and controller on 127.0.0.1, its storage formatted afresh in its own
 * directory, internal topics with one replica, and by default the feature {@code transaction.version} at 1
 * (the protocol Tidemark serves: the client adds partitions before writing, an epoch bump
 * only when a transaction is aborted for it). Its class path is the one
 * {@code benchmarks/kafka-broker/pom.xml} resolves (as {@code benchmarks/server-vs-kafka.sh}
 * uses), written once per build to the file the system property
 * {@code tidemark.kafka.classpath} names, so that kafka_2.13 never joins this module's own
 * class path.
 */
public final class KafkaBrokerProcess implements BrokerUnderTest
{
    private static final String READY = "Kafka Server started";
    // A cluster's three nodes start together beside the tests' own JVMs and may have taken more
    // than 90 s at a load of 5 on two cores; under the cluster's own three minutes, which also
    // cover the formatting, so that a node too slow fails with its output.
    private static final long START_TIMEOUT_SECONDS = 150;

    private final Path dir;
    private final Map<String, String> overrides;
    private final int transactionVersion;
    private final Path log;
    private final Path properties;
    private final List<String> formatArguments;
    private Process process;
    private int port;

    /**
     * @param dir an empty directory for the data, the configuration and the broker's output.
     * @param overrides broker configuration keys set on top of the single-node ones, such as
     *        {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}.
     */
    public KafkaBrokerProcess(final Path dir, final Map<String, String> overrides)
    {
        this(dir, overrides, 1);
    }

    /**
     * @param dir                an empty directory for the data, the configuration and the
     *                           broker's output.
     * @param overrides          broker configuration keys set on top of the single-node ones.
     * @param transactionVersion the feature {@code transaction.version} the storage is
     *                           formatted with: 1, or 2 (Kafka 4's default for a new cluster:
     *                           partitions added implicitly, an epoch bump per transaction).
     */
    public KafkaBrokerProcess(final Path dir, final Map<String, String> overrides, final int transactionVersion)
    {
        this.transactionVersion = transactionVersion;
        this.dir = dir;
        this.overrides = Map.copyOf(overrides);
        this.log = dir.resolve("kafka.log");
        this.properties = dir.resolve("kafka.properties");
        this.formatArguments = null;
    }

    /**
     * A node of a {@link KafkaCluster}: its whole configuration is the cluster's to give.
     *
     * @param dir             an empty directory for the data, the configuration and the output.
     * @param port            the client listener's port, named in {@code config}.
     * @param config          every configuration key of the node.
     * @param formatArguments what {@code kafka-storage format} needs beside {@code -c}: the
     *                        cluster's id and features.
     */
    KafkaBrokerProcess(final Path dir, final int port, final Map<String, String> config, final List<String> formatArguments)
    {
        this.dir = dir;
        this.port = port;
        this.overrides = Map.copyOf(config);
        this.transactionVersion = 0;
        this.log = dir.resolve("kafka.log");
        this.properties = dir.resolve("kafka.properties");
        this.formatArguments = List.copyOf(formatArguments);
    }

    @Override
    public String name()
    {
        return "kafka";
    }

    @Override
    public void start() throws Exception
    {
        if (process != null)
        {
            throw new IllegalStateException("already started once; restart() keeps the data directory");
        }
        Files.createDirectories(dir);
        if (formatArguments != null)
        {
            formatAndLaunch(overrides, formatArguments);
            return;
        }
        port = FreePorts.next();
        final int controllerPort = FreePorts.next();
        final Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        config.putAll(listeners(port, controllerPort));
        config.put("log.dirs", dir.resolve("data").toString());
        config.put("num.partitions", "1");
        config.put("offsets.topic.replication.factor", "1");
        // Fewer partitions than the default 50 each: a quicker start, the same semantics.
        config.put("offsets.topic.num.partitions", "3");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "3");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.putAll(quickRestarts());
        config.putAll(overrides);
        formatAndLaunch(config, List.of("-t", Uuid.randomUuid().toString(), "--standalone", "--feature",
            "transaction.version=" + transactionVersion));
    }

    /**
     * @return the client listener on {@code port} and the controller's on {@code controllerPort},
     *         both on 127.0.0.1 in plain text.
     */
    static Map<String, String> listeners(final int port, final int controllerPort)
    {
        final Map<String, String> config = new LinkedHashMap<>();
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        return config;
    }

    /** @return the keys that let a node killed with -9 serve again soon after its restart. */
    static Map<String, String> quickRestarts()
    {
        final Map<String, String> config = new LinkedHashMap<>();
        config.put("group.initial.rebalance.delay.ms", "0");
        // After a kill -9 the new incarnation is refused as a duplicate until the old one's
        // session expires (9 s by default): a short session lets a restart serve sooner.
        config.put("broker.heartbeat.interval.ms", "500");
        config.put("broker.session.timeout.ms", "1500");
        return config;
    }

    private void formatAndLaunch(final Map<String, String> config, final List<String> format) throws IOException, InterruptedException
    {
        final StringBuilder text = new StringBuilder();
        config.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Files.writeString(properties, text);
        final List<String> command = new ArrayList<>(java("-Xmx256m", "kafka.tools.StorageTool", "format", "-c", properties.toString()));
        command.addAll(format);
        final Process formatting = new ProcessBuilder(command)
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!formatting.waitFor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS) || formatting.exitValue() != 0)
        {
            formatting.destroyForcibly();
            throw new IllegalStateException("formatting Kafka's storage failed: " + outputTail());
        }
        launch();
    }

    @Override
    public String bootstrap()
    {
        return "127.0.0.1:" + port;
    }

    @Override
    public void kill9() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void stop() throws InterruptedException
    {
        process.destroy();   // SIGTERM; the output goes to a file, nothing is lost
        if (!process.waitFor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new IllegalStateException("Kafka ignored SIGTERM: " + outputTail());
        }
    }

    @Override
    public void restart() throws Exception
    {
        if (process.isAlive())
        {
            throw new IllegalStateException("Kafka still runs; kill9() or stop() first");
        }
        launch();
    }

    @Override
    public String outputTail()
    {
        try
        {
            final List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
        catch (final IOException e)
        {
            return "(Kafka's output " + log + " unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException
    {
        if (process != null && process.isAlive())
        {
            kill9();
        }
    }

    private void launch() throws IOException, InterruptedException
    {
        final long from = Files.exists(log) ? Files.size(log) : 0;
        process = new ProcessBuilder(java("-Xms256m", "-Xmx512m", "kafka.Kafka", properties.toString()))
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (!startedSince(from))
        {
            if (!process.isAlive())
            {
                throw new IllegalStateException("Kafka exited with " + process.exitValue() + ": " + outputTail());
            }
            if (System.nanoTime() - deadline > 0)
            {
                process.destroyForcibly();
                throw new IllegalStateException("Kafka not started within " + START_TIMEOUT_SECONDS + " s: " + outputTail());
            }
            Thread.sleep(50);
        }
    }

    private boolean startedSince(final long from) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(log);
        return from < bytes.length && new String(bytes, (int)from, bytes.length - (int)from, StandardCharsets.UTF_8).contains(READY);
    }

    private static List<String> java(final String... args)
    {
        final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            // C1 only: the broker starts in half the time on a loaded machine, which the tests
            // that restart it wait for far more than for its peak throughput.
            "-XX:+UseG1GC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true",
            "-Dorg.slf4j.simpleLogger.showDateTime=true", "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS", "-cp", classpath()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * The class path of Kafka's broker and tools: read from the file
     * {@code tidemark.kafka.classpath} names, or resolved into it first by running Maven on
     * {@code tidemark.kafka.broker.pom} (a few seconds, once per build, and again when the pom
     * changed since; the artifacts come from the local repository or Maven Central).
     *
     * @return the class path, entries separated as the platform separates them.
     */
    public static synchronized String classpath()
    {
        final Path file = Path.of(requiredProperty("tidemark.kafka.classpath"));
        final Path pom = Path.of(requiredProperty("tidemark.kafka.broker.pom"));
        try
        {
            if (!Files.exists(file) || Files.getLastModifiedTime(pom).compareTo(Files.getLastModifiedTime(file)) > 0)
            {
                final Path partial = file.resolveSibling(file.getFileName() + ".partial");
                final Path mavenHome = Path.of(requiredProperty("maven.home"));
                final Process maven = new ProcessBuilder(mavenHome.resolve("bin").resolve("mvn").toString(), "-B", "-q",
                    "-f", pom.toString(), "dependency:build-classpath", "-Dmdep.outputFile=" + partial)
                    .redirectErrorStream(true).start();
                final String output = new String(maven.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (maven.waitFor() != 0 || !Files.exists(partial))
                {
                    throw new IllegalStateException("resolving Kafka's class path failed (" + maven.exitValue() + "): " + output);
                }
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while resolving Kafka's class path", e);
        }
    }

    private static String requiredProperty(final String key)
    {
        final String value = System.getProperty(key);
        if (value == null)
        {
            throw new IllegalStateException("system property " + key + " is not set (the runtime module's surefire configuration sets it)");
        }
        return value;
    }
}
