package io.tidemark.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code tidemark server} as a {@link BrokerUnderTest}: a {@link ServerProcess} on a data
 * directory of its own, restarted on the port it first got.
 */
public final class TidemarkBrokerProcess implements BrokerUnderTest
{
    private final Path dataDir;
    private final Path config;
    private final Map<String, String> overrides;
    private ServerProcess server;
    private int port;

    /**
     * @param dir an empty directory for the data and the configuration file.
     * @param overrides server configuration keys (Kafka's names), written to the file given
     *        with {@code --config}.
     */
    public TidemarkBrokerProcess(final Path dir, final Map<String, String> overrides)
    {
        this.dataDir = dir.resolve("data");
        this.config = dir.resolve("server.properties");
        this.overrides = Map.copyOf(overrides);
    }

    @Override
    public String name()
    {
        return "tidemark";
    }

    @Override
    public void start() throws Exception
    {
        if (server != null)
        {
            throw new IllegalStateException("already started once; restart() keeps the data directory");
        }
        final StringBuilder text = new StringBuilder();
        overrides.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Files.createDirectories(dataDir.getParent());
        Files.writeString(config, text);
        // A port of its own from the start rather than one the server picks: restart() binds
        // the same port again, and one from the ephemeral range may meanwhile have become the
        // local end of a client reconnecting while the server was down.
        server = new ServerProcess(dataDir, FreePorts.next(), config);
        port = server.port();
    }

    @Override
    public String bootstrap()
    {
        return "127.0.0.1:" + port;
    }

    /** @return the server's HTTP API's base URL, {@code http://127.0.0.1:PORT/api}. */
    public String httpApi()
    {
        return server.httpApi();
    }

    @Override
    public void kill9() throws InterruptedException
    {
        server.kill9();
    }

    @Override
    public void stop() throws Exception
    {
        server.terminate();
    }

    @Override
    public void restart() throws Exception
    {
        server.close();
        server = new ServerProcess(dataDir, port, config);
    }

    @Override
    public String outputTail()
    {
        final List<String> lines = List.copyOf(server.output());
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws InterruptedException
    {
        if (server != null)
        {
            server.close();
        }
    }
}
