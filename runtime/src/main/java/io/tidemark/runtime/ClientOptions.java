package io.tidemark.runtime;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * What the commands that talk to a broker through kafka-clients share, as Kafka's own tools
 * take it: the broker's address, a file of client settings, how long to wait for an answer,
 * and how a client's failure reads in one line.
 */
final class ClientOptions
{
    @Mixin
    private LoggingOptions logging;

    @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT", defaultValue = "localhost:9092",
        description = "The broker to connect to: tidemark server or any Kafka-protocol broker (default: ${DEFAULT-VALUE}).")
    private String bootstrapServer;

    @Option(names = "--command-config", paramLabel = "FILE",
        description = "A properties file of kafka-clients settings (security, timeouts, ...), as Kafka's tools take; the options here win.")
    private Path commandConfig;

    @Option(names = "--request-timeout", paramLabel = "TIME", defaultValue = "30s", converter = DurationConverter.class,
        description = "How long to wait for the broker (to connect, to answer, to accept a record) before failing (default: ${DEFAULT-VALUE}).")
    private Duration requestTimeout;

    /**
     * Checks the options, quiets kafka-clients' own logging (its warnings about a broker it
     * cannot reach repeat every second; the command says it once), and gives the settings every
     * client starts from.
     *
     * @param spec the command, for refusals.
     * @return the command-config file's settings with the broker's address and the timeouts.
     * @throws picocli.CommandLine.ParameterException if an option is invalid or the file cannot be read.
     */
    Properties properties(final CommandSpec spec)
    {
        CommandErrors.check(spec, bootstrapServer.matches("[^,:\\s]+:\\d+(,[^,:\\s]+:\\d+)*"), "--bootstrap-server", bootstrapServer,
            "HOST:PORT, or several separated by commas");
        CommandErrors.check(spec, requestTimeout.toMillis() > 0 && requestTimeout.toMillis() <= Integer.MAX_VALUE, "--request-timeout",
            requestTimeout, "more than 0");
        logging.applyTo("org.apache.kafka", LoggingOptions.LogLevel.ERROR);
        final Properties properties = new Properties();
        final String timeout = Long.toString(requestTimeout.toMillis());
        properties.setProperty(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        properties.setProperty(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        if (commandConfig != null)
        {
            try (Reader reader = Files.newBufferedReader(commandConfig, StandardCharsets.UTF_8))
            {
                properties.load(reader);
            }
            catch (final NoSuchFileException e)
            {
                throw CommandErrors.invalid(spec, "--command-config", commandConfig, "no such file");
            }
            catch (final IOException | IllegalArgumentException e)
            {
                throw CommandErrors.invalid(spec, "--command-config", commandConfig, "cannot read it: " + e.getMessage());
            }
        }
        properties.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
        return properties;
    }

    /**
     * @param spec the command, for refusals.
     * @return an admin client on the broker; the caller closes it.
     */
    Admin admin(final CommandSpec spec)
    {
        final Properties properties = properties(spec);
        properties.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "tidemark-" + spec.name());
        return Admin.create(properties);
    }

    /**
     * @return how long a request may take.
     */
    Duration requestTimeout()
    {
        return requestTimeout;
    }

    /**
     * @param separator a separator as typed on a command line.
     * @return it with {@code \\t} and {@code \\n} read as a tab and a line break.
     */
    static String unescape(final String separator)
    {
        return separator.replace("\\t", "\t").replace("\\n", "\n");
    }

    /**
     * @param failure what a client threw, possibly wrapped by a future.
     * @return the failure to report: one line that says what went wrong in the user's terms
     *         (a broker that does not answer, an API the broker does not serve), with the cause
     *         attached for the debug log.
     */
    RuntimeException failure(final Throwable failure)
    {
        final Throwable cause = unwrap(failure);
        final String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        if (cause instanceof UnsupportedVersionException)
        {
            return new IllegalStateException("not supported by this broker (" + message + ")", cause);
        }
        if (cause instanceof TimeoutException)
        {
            return new IllegalStateException("no answer from " + bootstrapServer + " within " + requestTimeout.toMillis() + " ms" +
                " (is a broker running there?): " + message, cause);
        }
        return new IllegalStateException(message, cause);
    }

    /**
     * @param failure what a client threw.
     * @return the exception a future wrapped, or the failure itself.
     */
    static Throwable unwrap(final Throwable failure)
    {
        Throwable cause = failure;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException) && cause.getCause() != null)
        {
            cause = cause.getCause();
        }
        return cause;
    }
}
