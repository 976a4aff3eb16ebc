package io.tidemark.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * Three Apache Kafka 4.3.1 nodes in child JVMs, each broker and controller (KRaft, a static
 * quorum of the three) on 127.0.0.1, started in parallel from the class path
 * {@link KafkaBrokerProcess} uses. Topics get 3 replicas and {@code min.insync.replicas} 2 by
 * default, the internal ones too, so the cluster writes on with one node down. One node can
 * be killed with -9 and restarted on its data ({@link #killNode(int)}, {@link #restartNode(int)});
 * as a {@link BrokerUnderTest} the cluster is killed, stopped and restarted whole.
 */
public final class KafkaCluster implements BrokerUnderTest
{
    /** The number of nodes. */
    public static final int NODES = 3;

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private final Path dir;
    private final Map<String, String> overrides;
    private final int transactionVersion;
    private final List<KafkaBrokerProcess> nodes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();

    /**
     * @param dir                an empty directory; each node gets a subdirectory.
     * @param overrides          broker configuration keys set on every node on top of the
     *                           cluster's.
     * @param transactionVersion the feature {@code transaction.version} the cluster is formatted
     *                           with: 1, or 2 (Kafka 4's default).
     */
    public KafkaCluster(final Path dir, final Map<String, String> overrides, final int transactionVersion)
    {
        this.dir = dir;
        this.overrides = Map.copyOf(overrides);
        this.transactionVersion = transactionVersion;
    }

    @Override
    public String name()
    {
        return "kafka-cluster";
    }

    /**
     * Formats the three nodes with one cluster id and starts them at once (each waits for the
     * quorum of the others), then waits until a client sees three brokers.
     *
     * @throws Exception if the cluster is not whole within three minutes; the message has the
     *         nodes' output.
     */
    @Override
    public void start() throws Exception
    {
        if (!nodes.isEmpty())
        {
            throw new IllegalStateException("already started once; restart() keeps the data directories");
        }
        final List<Integer> controllerPorts = new ArrayList<>();
        for (int node = 0; node < NODES; node++)
        {
            ports.add(FreePorts.next());
            controllerPorts.add(FreePorts.next());
        }
        final String voters = IntStream.range(0, NODES)
            .mapToObj(node -> (node + 1) + "@127.0.0.1:" + controllerPorts.get(node)).collect(Collectors.joining(","));
        final List<String> format = List.of("-t", Uuid.randomUuid().toString(), "--feature", "transaction.version=" + transactionVersion);
        for (int node = 0; node < NODES; node++)
        {
            final Path nodeDir = dir.resolve("node-" + (node + 1));
            final Map<String, String> config = new LinkedHashMap<>();
            config.put("process.roles", "broker,controller");
            config.put("node.id", Integer.toString(node + 1));
            config.put("controller.quorum.voters", voters);
            config.putAll(KafkaBrokerProcess.listeners(ports.get(node), controllerPorts.get(node)));
            config.put("log.dirs", nodeDir.resolve("data").toString());
            config.put("num.partitions", "1");
            config.put("default.replication.factor", Integer.toString(NODES));
            config.put("min.insync.replicas", "2");
            config.put("offsets.topic.replication.factor", Integer.toString(NODES));
            // Fewer partitions than the default 50 each: a quicker start, the same semantics.
            config.put("offsets.topic.num.partitions", "3");
            config.put("transaction.state.log.replication.factor", Integer.toString(NODES));
            config.put("transaction.state.log.min.isr", "2");
            config.put("transaction.state.log.num.partitions", "3");
            config.put("share.coordinator.state.topic.replication.factor", Integer.toString(NODES));
            config.put("share.coordinator.state.topic.min.isr", "2");
            config.putAll(KafkaBrokerProcess.quickRestarts());
            config.putAll(overrides);
            nodes.add(new KafkaBrokerProcess(nodeDir, ports.get(node), config, format));
        }
        BrokerUnderTest.onEach(nodes, BrokerUnderTest::start, READY_TIMEOUT);
        awaitBrokers(NODES);
    }

    /** @return the three nodes' addresses. */
    @Override
    public String bootstrap()
    {
        return ports.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    /**
     * Kills one node with -9; the other two keep the quorum and the in-sync minimum.
     *
     * @param node 0, 1 or 2.
     * @throws InterruptedException if interrupted while the process is waited for.
     */
    public void killNode(final int node) throws InterruptedException
    {
        nodes.get(node).kill9();
    }

    /**
     * Starts a killed node again on its data and waits until a client sees three brokers.
     *
     * @param node 0, 1 or 2.
     * @throws Exception if it does not serve again within three minutes.
     */
    public void restartNode(final int node) throws Exception
    {
        nodes.get(node).restart();
        awaitBrokers(NODES);
    }

    @Override
    public void kill9() throws Exception
    {
        for (final KafkaBrokerProcess node : nodes)
        {
            node.kill9();
        }
    }

    @Override
    public void stop() throws Exception
    {
        BrokerUnderTest.onEach(nodes, BrokerUnderTest::stop, READY_TIMEOUT);
    }

    @Override
    public void restart() throws Exception
    {
        BrokerUnderTest.onEach(nodes, BrokerUnderTest::restart, READY_TIMEOUT);
        awaitBrokers(NODES);
    }

    @Override
    public String outputTail()
    {
        final StringBuilder text = new StringBuilder();
        for (int node = 0; node < nodes.size(); node++)
        {
            text.append("--- node ").append(node + 1).append(" ---\n").append(nodes.get(node).outputTail()).append('\n');
        }
        return text.toString();
    }

    @Override
    public void close() throws Exception
    {
        for (final KafkaBrokerProcess node : nodes)
        {
            node.close();
        }
    }

    /** Polls until a client sees {@code count} brokers, or the deadline passes. */
    private void awaitBrokers(final int count) throws Exception
    {
        final long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000", AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000")))
        {
            int seen = 0;
            while (seen != count)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException("the Kafka cluster shows " + seen + " brokers, not " + count + ", after " +
                        READY_TIMEOUT + ":\n" + outputTail());
                }
                try
                {
                    seen = admin.describeCluster(new DescribeClusterOptions().timeoutMs(5000)).nodes().get().size();
                }
                catch (final ExecutionException e)
                {
                    seen = 0;   // a node between elections: asked again
                }
                if (seen != count)
                {
                    Thread.sleep(100);
                }
            }
        }
    }
}
