package io.tidemark.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code tidemark server} and one Apache Kafka broker (the oracle), both with their
 * default configuration, started once for every test class of the module that asks for them
 * and killed when the test JVM exits. A Kafka JVM takes seconds to start, so test classes
 * that only create topics and groups of their own share this pair instead of starting one
 * each; a test that restarts, kills or reconfigures a broker starts its own.
 *
 * <p>Tests that share the pair name their topics, groups and transactional ids after the
 * test class, so that they cannot see each other's.
 */
public final class SharedBrokers
{
    private static Map<String, BrokerUnderTest> brokers;

    private SharedBrokers()
    {
    }

    /**
     * @param name "tidemark" or "kafka".
     * @return that broker, started on first use.
     * @throws Exception if the brokers do not start (a later call tries again).
     */
    public static synchronized BrokerUnderTest get(final String name) throws Exception
    {
        if (brokers == null)
        {
            final Path dir = Files.createTempDirectory("shared-brokers");
            final Map<String, BrokerUnderTest> started = new LinkedHashMap<>();
            started.put("tidemark", new TidemarkBrokerProcess(dir.resolve("tidemark"), Map.of()));
            started.put("kafka", new KafkaBrokerProcess(dir.resolve("kafka"), Map.of()));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(started.values()), "shared-brokers-stop"));
            BrokerUnderTest.onEach(started.values(), BrokerUnderTest::start, Duration.ofMinutes(3));
            brokers = started;
        }
        final BrokerUnderTest broker = brokers.get(name);
        if (broker == null)
        {
            throw new IllegalArgumentException("no shared broker named " + name + "; there are " + brokers.keySet());
        }
        return broker;
    }

    private static void closeAll(final Iterable<BrokerUnderTest> all)
    {
        for (final BrokerUnderTest broker : all)
        {
            try
            {
                broker.close();
            }
            catch (final Exception e)
            {
                System.err.println("could not stop the shared " + broker.name() + " broker: " + e);
            }
        }
    }
}
