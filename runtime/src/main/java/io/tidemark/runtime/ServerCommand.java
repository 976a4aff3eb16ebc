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
import java.util.function.Supplier;

import io.tidemark.log.errors.InvalidConfigurationException;
import io.tidemark.log.errors.LogException;
import io.tidemark.runtime.broker.BrokerConfig;
import io.tidemark.runtime.broker.BrokerServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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
    /** The options' names, which {@link ServerArguments} reads too. */
    static final String DATA_DIR = "--data-dir";
    static final String HOST = "--host";
    static final String PORT = "--port";
    static final String HTTP_HOST = "--http-host";
    static final String HTTP_PORT = "--http-port";
    static final String CONFIG = "--config";

    private static final Logger LOG = LoggerFactory.getLogger(ServerCommand.class);

    /** Set by picocli; for a command line read by {@link ServerArguments}, built on a refusal only. */
    @Spec
    private CommandSpec spec;

    private Supplier<CommandLine> picocli;

    @Mixin
    private LoggingOptions logging;

    @Option(names = DATA_DIR, paramLabel = "DIR", description = "The data directory (default: log.dirs from the config file, else ./data).")
    private Path dataDir;

    @Option(names = HOST, paramLabel = "HOST",
        description = "The address to listen on; wins over the config file's listeners (default: its host, else 127.0.0.1).")
    private String host;

    @Option(names = PORT, paramLabel = "PORT",
        description = "The port to listen on, 0 for any; wins over the config file's listeners (default: its port, else 9092).")
    private Integer port;

    @Option(names = HTTP_HOST, paramLabel = "HOST",
        description = "The address of the HTTP API; wins over the config file's http.host (default: 127.0.0.1, this machine only).")
    private String httpHost;

    @Option(names = HTTP_PORT, paramLabel = "PORT",
        description = "The port of the HTTP API, 0 for any; wins over the config file's http.port (default: 8081).")
    private Integer httpPort;

    @Option(names = CONFIG, paramLabel = "FILE",
        description = "A properties file with Kafka's broker keys; Kafka's own server.properties works (keys that mean nothing here are warned about).")
    private Path configFile;

    /** The command as picocli makes it, its options then set from the command line. */
    ServerCommand()
    {
    }

    /**
     * The command with options read by {@link ServerArguments}.
     *
     * @param flags the options that are also configuration keys.
     * @param configFile {@code --config}, or null.
     * @param logging {@code --log-level}.
     */
    ServerCommand(final BrokerConfig.Flags flags, final Path configFile, final LoggingOptions logging)
    {
        this.dataDir = flags.dataDir();
        this.host = flags.host();
        this.port = flags.port();
        this.httpHost = flags.httpHost();
        this.httpPort = flags.httpPort();
        this.configFile = configFile;
        this.logging = logging;
    }

    /**
     * Runs the server from options read without picocli, and reports a refused option or a
     * failure to start as picocli's {@code execute} does, with {@link CommandErrors}.
     *
     * @param args the command line, {@code server} first.
     * @param picocli makes {@code tidemark server}'s picocli command line, which a refusal names
     *        and is printed on; only then made.
     * @return the exit code.
     */
    int run(final String[] args, final Supplier<CommandLine> picocli)
    {
        this.picocli = picocli;
        final CommandErrors errors = new CommandErrors();
        try
        {
            return call();
        }
        catch (final ParameterException e)
        {
            return errors.handleParseException(e, args);
        }
        catch (final RuntimeException e)
        {
            return errors.handleExecutionException(e, spec().commandLine(), null);
        }
    }

    /** @return the options that are also configuration keys, as given (null where not). */
    BrokerConfig.Flags flags()
    {
        return new BrokerConfig.Flags(dataDir, host, port, httpHost, httpPort);
    }

    /** @return {@code --config}, or null. */
    Path configFile()
    {
        return configFile;
    }

    /** @return {@code --log-level}. */
    LoggingOptions logging()
    {
        return logging;
    }

    /** {@link CommandErrors#check}, with the command line made only for a refusal. */
    private void check(final boolean valid, final String option, final Object value, final String expected)
    {
        if (!valid)
        {
            throw CommandErrors.invalid(spec(), option, value, expected);
        }
    }

    private PrintWriter err()
    {
        return spec().commandLine().getErr();
    }

    private CommandSpec spec()
    {
        if (spec == null)
        {
            spec = picocli.get().getCommandSpec();
        }
        return spec;
    }

    @Override
    public Integer call()
    {
        check(port == null || (port >= 0 && port <= 65535), PORT, port, "a port from 0 to 65535");
        check(httpPort == null || (httpPort >= 0 && httpPort <= 65535), HTTP_PORT, httpPort, "a port from 0 to 65535");
        final BrokerConfig config;
        try
        {
            config = BrokerConfig.parse(readProperties(), flags());
        }
        catch (final InvalidConfigurationException e)
        {
            CommandErrors.print(err(), "tidemark server: bad configuration: " + e.getMessage());
            return ExitCode.USAGE;
        }
        if (!knownHost(config.host(), HOST, host, BrokerConfig.LISTENERS) ||
            !knownHost(config.httpHost(), HTTP_HOST, httpHost, BrokerConfig.HTTP_HOST))
        {
            return ExitCode.USAGE;
        }
        final String unwritable = dataDir == null ? null : CommandErrors.unwritable(dataDir);
        check(unwritable == null, DATA_DIR, dataDir, unwritable);
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
            CommandErrors.print(err(), "tidemark server: cannot open data directory " + config.dataDir().toAbsolutePath() + ": " + e.getMessage());
            return ExitCode.SOFTWARE;
        }
        catch (final Exception e)
        {
            LOG.debug("cannot start", e);
            final String reason = e instanceof BindException ? "cannot listen on " + config.host() + ":" + config.port() : "cannot start";
            CommandErrors.print(err(), "tidemark server: " + reason + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
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
    private boolean knownHost(final String resolved, final String option, final String given, final String key)
    {
        try
        {
            InetAddress.getByName(resolved);
            return true;
        }
        catch (final UnknownHostException e)
        {
            check(given == null, option, given, "no such host");
            CommandErrors.print(err(), "tidemark server: bad configuration: unknown host '" + resolved + "' in " + key);
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
                throw CommandErrors.invalid(spec(), CONFIG, configFile, "no such file");
            }
            catch (final IOException | IllegalArgumentException e)
            {
                throw CommandErrors.invalid(spec(), CONFIG, configFile, "cannot read it: " + e.getMessage());
            }
        }
        return properties;
    }
}
