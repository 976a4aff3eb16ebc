package io.tidemark.bench.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import io.tidemark.bench.Scratch;
import io.tidemark.runtime.broker.BrokerConfig;
import io.tidemark.runtime.broker.BrokerServer;

/**
 * {@code tidemark server} in the benchmark's own process, on 127.0.0.1 with one event loop, in
 * a scratch directory: its event loop's CPU time is the broker's share of a request that a
 * benchmark on a socket of its own can tell apart from the client's.
 */
final class InProcessBroker implements AutoCloseable
{
    private final Path dir;
    private final BrokerServer server;

    /**
     * @param name names the scratch directory.
     * @param settings broker settings beyond the HTTP port (none) and the one event loop.
     */
    InProcessBroker(final String name, final Map<String, String> settings) throws IOException
    {
        dir = Scratch.directory(name);
        final Properties properties = new Properties();
        properties.put(BrokerConfig.HTTP_PORT, "0");
        properties.put(BrokerConfig.NUM_NETWORK_THREADS, "1");
        properties.putAll(settings);
        server = BrokerServer.start(BrokerConfig.parse(properties, dir, "127.0.0.1", 0));
    }

    /** @return the port it listens on. */
    int port()
    {
        return server.address().getPort();
    }

    /** @return {@code 127.0.0.1:port}. */
    String bootstrap()
    {
        return "127.0.0.1:" + port();
    }

    /**
     * @return the CPU time its event loop has used so far, in nanoseconds; 0 before the first
     *         connection, which starts the loop's thread.
     */
    long eventLoopCpuNanos()
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().startsWith("tidemark-network"))
            {
                total += Math.max(0, threads.getThreadCpuTime(thread.getId()));
            }
        }
        return total;
    }

    /** Stops the server and deletes its data. */
    @Override
    public void close() throws IOException
    {
        server.close();
        Scratch.delete(dir);
    }
}
