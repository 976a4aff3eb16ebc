package io.tidemark.runtime;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * {@code --log-level}, shared by the commands that run for a while: sets the root level of the
 * logging backend when the command starts.
 */
final class LoggingOptions
{
    /** The levels, most severe first. */
    enum LogLevel
    {
        ERROR, WARN, INFO, DEBUG, TRACE
    }

    /** The option's name, which {@link ServerArguments} reads too. */
    static final String LOG_LEVEL = "--log-level";

    @Option(names = LOG_LEVEL, paramLabel = "LEVEL",
        description = "Log lines at this level and above go to stderr: ${COMPLETION-CANDIDATES} (default: INFO for the server, WARN for the demo; ERROR for kafka-clients in the client tools).")
    private LogLevel level;

    /** The options as picocli makes them, the level then set from the command line. */
    LoggingOptions()
    {
    }

    /**
     * @param level {@code --log-level}, or null where not given.
     */
    LoggingOptions(final LogLevel level)
    {
        this.level = level;
    }

    /** @return {@code --log-level}, or null where not given. */
    LogLevel level()
    {
        return level;
    }

    /**
     * Sets the root level: the one given, or the command's own default.
     *
     * @param otherwise the level when {@code --log-level} is not given.
     */
    void apply(final LogLevel otherwise)
    {
        applyTo(Logger.ROOT_LOGGER_NAME, otherwise);
    }

    /**
     * Sets the level of one logger (and those below it): the one given, or the command's own
     * default for it.
     *
     * @param name the logger, such as {@code org.apache.kafka}.
     * @param otherwise the level when {@code --log-level} is not given.
     */
    void applyTo(final String name, final LogLevel otherwise)
    {
        // Another backend on the class path keeps its own configuration.
        if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger)
        {
            logger.setLevel(Level.toLevel((level == null ? otherwise : level).name()));
        }
    }
}
