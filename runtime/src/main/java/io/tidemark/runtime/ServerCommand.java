package io.tidemark.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.tidemark.log.errors.InvalidConfigurationException;
import io.tidemark.log.errors.LogException;
import io.tidemark.runtime.broker.BrokerConfig;
import io.tidemark.runtime.broker.BrokerServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark server}: serves a data directory to Kafka clients until SIGTERM or SIGINT,
 * then flushes and closes the log. Logs its effective configuration (each key's value and
 * where it came from) and a warning per ignored key, then prints one line when it accepts
 * connections, naming the Kafka listener's address and the HTTP API's URL.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = "Serve a data directory over the Kafka protocol, with an HTTP API for jobs, topics and groups, until terminated.",
    footer = {"", "Example:", "  tidemark server --data-dir data --port 9092 --http-port 8081"})
final class ServerCommand implements Callable<Integer>
{
    private static final Logger LOG = LoggerFactory.getLogger(ServerCommand.class);

    @Spec
    private CommandSpec spec;

    @Mixin
    private LoggingOptions logging;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The data directory (default: log.dirs from the config file, else ./data).")
    private Path dataDir;

    @Option(names = "--host", paramLabel = "HOST",
        description = "The address to listen on; wins over the config file's listeners (default: its host, else 127.0.0.1).")
    private String host;

    @Option(names = "--port", paramLabel = "PORT",
        description = "The port to listen on, 0 for any; wins over the config file's listeners (default: its port, else 9092).")
    private Integer port;

    @Option(names = "--http-host", paramLabel = "HOST",
        description = "The address of the HTTP API; wins over the config file's http.host (default: 127.0.0.1, this machine only).")
    private String httpHost;

    @Option(names = "--http-port", paramLabel = "PORT",
        description = "The port of the HTTP API, 0 for any; wins over the config file's http.port (default: 8081).")
    private Integer httpPort;

    @Option(names = "--config", paramLabel = "FILE",
        description = "A properties file with Kafka's broker keys; Kafka's own server.properties works (keys that mean nothing here are warned about).")
    private Path configFile;

    @Override
    public Integer call()
    {
        CommandErrors.check(spec, port == null || (port >= 0 && port <= 65535), "--port", port, "a port from 0 to 65535");
        CommandErrors.check(spec, httpPort == null || (httpPort >= 0 && httpPort <= 65535), "--http-port", httpPort, "a port from 0 to 65535");
        final PrintWriter err = spec.commandLine().getErr();
        final BrokerConfig config;
        try
        {
            config = BrokerConfig.parse(readProperties(), new BrokerConfig.Flags(dataDir, host, port, httpHost, httpPort));
        }
        catch (final InvalidConfigurationException e)
        {
            CommandErrors.print(err, "tidemark server: bad configuration: " + e.getMessage());
            return ExitCode.USAGE;
        }
        if (!knownHost(err, config.host(), "--host", host, BrokerConfig.LISTENERS) ||
            !knownHost(err, config.httpHost(), "--http-host", httpHost, BrokerConfig.HTTP_HOST))
        {
            return ExitCode.USAGE;
        }
        if (dataDir != null)
        {
            CommandErrors.writableDirectory(spec, "--data-dir", dataDir);
        }
        logging.apply(LoggingOptions.LogLevel.INFO);
        config.warnings().forEach(LOG::warn);
        LOG.info("configuration:{}{}", System.lineSeparator() + "  ", String.join(System.lineSeparator() + "  ", config.describe()));

        final BrokerServer server;
        try
        {
            server = BrokerServer.start(config);
        }
        catch (final LogException e)
        {
            CommandErrors.print(err, "tidemark server: cannot open data directory " + config.dataDir().toAbsolutePath() + ": " + e.getMessage());
            return ExitCode.SOFTWARE;
        }
        catch (final Exception e)
        {
            LOG.debug("cannot start", e);
            final String reason = e instanceof BindException ? "cannot listen on " + config.host() + ":" + config.port() : "cannot start";
            CommandErrors.print(err, "tidemark server: " + reason + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
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

        final int unopened = server.logs().unopenedTopics().size();
        System.out.println("tidemark server ready on " + server.address().getHostString() + ":" + server.address().getPort() +
            " (data " + config.dataDir().toAbsolutePath() + ", " + Plural.of(server.logs().listTopics().size(), "topic") +
            (unopened == 0 ? "" : "; " + unopened + " could not be opened and are not served, see the log") +
            (server.jobs().resumed() == 0 ? "" : "; " + server.jobs().resumed() + (server.jobs().resumed() == 1 ? " job resumed" : " jobs resumed")) + "); HTTP API on http://" +
            hostAndPort(server.httpAddress().getHostString(), server.httpAddress().getPort()) + "/api");
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

    /**
     * Checks that an address to listen on resolves; if not, refuses the option that gave it or
     * else names the configuration key.
     *
     * @return whether it resolves; if not, the refusal is printed.
     */
    private boolean knownHost(final PrintWriter err, final String resolved, final String option, final String given, final String key)
    {
        try
        {
            InetAddress.getByName(resolved);
            return true;
        }
        catch (final UnknownHostException e)
        {
            CommandErrors.check(spec, given == null, option, given, "no such host");
            CommandErrors.print(err, "tidemark server: bad configuration: unknown host '" + resolved + "' in " + key);
            return false;
        }
    }

    /** An IPv6 address in brackets, as a URL needs it. */
    private static String hostAndPort(final String host, final int port)
    {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
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
            catch (final NoSuchFileException e)
            {
                throw CommandErrors.invalid(spec, "--config", configFile, "no such file");
            }
            catch (final IOException | IllegalArgumentException e)
            {
                throw CommandErrors.invalid(spec, "--config", configFile, "cannot read it: " + e.getMessage());
            }
        }
        return properties;
    }
}
