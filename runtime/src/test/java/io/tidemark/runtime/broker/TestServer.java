package io.tidemark.runtime.broker;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * A {@link BrokerServer} on a free port of 127.0.0.1 over a test's data directory, restartable
 * on the same directory. Its HTTP API takes a free port too, unless the configuration names one.
 */
final class TestServer implements AutoCloseable
{
    private final Path dataDir;
    private final Properties properties = new Properties();
    private BrokerServer server;

    private TestServer(final Path dataDir, final Map<String, String> config)
    {
        this.dataDir = dataDir;
        properties.put(BrokerConfig.HTTP_PORT, "0");
        properties.putAll(config);
        start();
    }

    static TestServer start(final Path dataDir, final Map<String, String> config)
    {
        return new TestServer(dataDir, config);
    }

    private void start()
    {
        server = BrokerServer.start(BrokerConfig.parse(properties, dataDir, "127.0.0.1", 0));
    }

    /** Closes the server and opens it again on the same data directory (another port). */
    void restart()
    {
        server.close();
        start();
    }

    String bootstrap()
    {
        return "127.0.0.1:" + server.address().getPort();
    }

    int port()
    {
        return server.address().getPort();
    }

    /** @return the HTTP API's base URL, {@code http://127.0.0.1:PORT/api}. */
    String httpApi()
    {
        return "http://127.0.0.1:" + server.httpAddress().getPort() + "/api";
    }

    BrokerServer server()
    {
        return server;
    }

    @Override
    public void close()
    {
        server.close();
    }
}
