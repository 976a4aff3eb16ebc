package io.tidemark.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.tidemark.log.errors.InvalidConfigurationException;
import io.tidemark.log.errors.LogException;
import io.tidemark.runtime.broker.BrokerConfig;
import io.tidemark.runtime.broker.BrokerServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Option;

/**
 * {@code tidemark server}: serves a data directory to Kafka clients until SIGTERM or SIGINT,
 * then flushes and closes the log. Prints one line when it accepts connections.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = "Serve a data directory over the Kafka protocol until terminated.")
final class ServerCommand implements Callable<Integer>
{
    @Option(names = "--data-dir", paramLabel = "DIR", description = "The data directory (default: log.dirs from the config file, else ./data).")
    private Path dataDir;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "The address to listen on (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9092", description = "The port to listen on, 0 for any (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--config", paramLabel = "FILE", description = "A properties file with Kafka's broker keys (num.partitions, log.retention.ms, ...).")
    private Path configFile;

    @Override
    public Integer call()
    {
        final BrokerConfig config;
        try
        {
            config = BrokerConfig.parse(readProperties(), dataDir, host, port);
        }
        catch (final InvalidConfigurationException e)
        {
            System.err.println("tidemark server: bad configuration: " + e.getMessage());
            return ExitCode.USAGE;
        }

        final BrokerServer server;
        try
        {
            server = BrokerServer.start(config);
        }
        catch (final LogException e)
        {
            System.err.println("tidemark server: cannot open data directory " + config.dataDir().toAbsolutePath() + ": " + e.getMessage());
            return ExitCode.SOFTWARE;
        }
        catch (final Exception e)
        {
            final String reason = e instanceof BindException ? "cannot listen on " + config.host() + ":" + config.port() : "cannot start";
            System.err.println("tidemark server: " + reason + ": " + e);
            return ExitCode.SOFTWARE;
        }

        final CountDownLatch stopped = new CountDownLatch(1);
        final Thread shutdown = new Thread(() ->
        {
            server.close();
            System.out.println("tidemark server stopped; data flushed to " + config.dataDir().toAbsolutePath());
            stopped.countDown();
        }, "tidemark-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);

        System.out.println("tidemark server ready on " + server.address().getHostString() + ":" + server.address().getPort() +
            " (data " + config.dataDir().toAbsolutePath() + ", " + server.logs().listTopics().size() + " topics)");
        System.out.flush();
        try
        {
            stopped.await();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        return ExitCode.OK;
    }

    private Properties readProperties()
    {
        final Properties properties = new Properties();
        if (configFile != null)
        {
            try (InputStream in = Files.newInputStream(configFile))
            {
                properties.load(in);
            }
            catch (final IOException | IllegalArgumentException e)
            {
                throw new InvalidConfigurationException("cannot read " + configFile + ": " + e);
            }
        }
        return properties;
    }
}
