package io.tidemark.runtime;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.tidemark.runtime.broker.BrokerConfig;

/**
 * {@code tidemark server}'s command line read without picocli, when it is the plain one a
 * server is started with: only the command's own options, each given once, each with a value
 * that converts as picocli converts it. Anything else ({@code --help}, {@code --version}, an
 * unknown or repeated option, a value picocli would refuse or that looks like an option, an
 * {@code @file}) is left to picocli, which reads it and words its refusal as always.
 * <p>
 * Why: picocli builds its model of a command by reflection (an annotation proxy per option,
 * every built-in converter, {@code java.time}'s formatters among them), and its classes are
 * Java 5 class files, which the server's class data sharing archive cannot hold, so they are read
 * and verified at every start; that was 40% of the main thread's CPU time before the ready line.
 * Measured again beside a build that reads every {@code server} command line with picocli
 * ({@code benchmarks/start-and-idle.sh}, 5 launches each, interleaved, load 2-3, 2 cores): the
 * CPU time at the ready line was 0.89 s against 0.69 s, the launch to the ready line 0.945 s
 * against 0.764 s (medians), idle memory 3 MiB more; the start's target is 0.5 s, so picocli
 * stays the home of the options' help and refusals, and this reader stays for the plain case.
 */
final class ServerArguments
{
    private static final Set<String> OPTIONS = Set.of(ServerCommand.DATA_DIR, ServerCommand.HOST, ServerCommand.PORT, ServerCommand.HTTP_HOST,
        ServerCommand.HTTP_PORT, ServerCommand.CONFIG, LoggingOptions.LOG_LEVEL);

    private ServerArguments()
    {
    }

    /**
     * @param args the command line, {@code server} first.
     * @return the command with its options set, or null if picocli must read this command line.
     */
    static ServerCommand read(final String[] args)
    {
        final Map<String, String> values = new HashMap<>();
        for (int i = 1; i < args.length; i++)
        {
            final String arg = args[i];
            final int equals = arg.indexOf('=');
            final String name;
            final String value;
            if (equals > 0)
            {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            else if (i + 1 < args.length)
            {
                name = arg;
                value = args[++i];
            }
            else
            {
                return null;
            }
            // picocli may take a value that starts with '-' for an option, or not: it decides.
            if (!OPTIONS.contains(name) || value.isEmpty() || value.startsWith("-") || values.putIfAbsent(name, value) != null)
            {
                return null;
            }
        }
        final LoggingOptions.LogLevel level = level(values.get(LoggingOptions.LOG_LEVEL));
        if (level == null && values.containsKey(LoggingOptions.LOG_LEVEL))
        {
            return null;
        }
        try
        {
            final BrokerConfig.Flags flags = new BrokerConfig.Flags(path(values.get(ServerCommand.DATA_DIR)), values.get(ServerCommand.HOST),
                integer(values.get(ServerCommand.PORT)), values.get(ServerCommand.HTTP_HOST), integer(values.get(ServerCommand.HTTP_PORT)));
            return new ServerCommand(flags, path(values.get(ServerCommand.CONFIG)), new LoggingOptions(level));
        }
        catch (final IllegalArgumentException e)
        {
            // Not a number, or not a path: picocli's refusal names the option.
            return null;
        }
    }

    /** As picocli converts a {@code Path}. */
    private static Path path(final String value)
    {
        return value == null ? null : Path.of(value);
    }

    /** As picocli converts an {@code Integer}. */
    private static Integer integer(final String value)
    {
        return value == null ? null : Integer.valueOf(value);
    }

    /** As picocli converts an enum when told to ignore case; null for none or no such level. */
    private static LoggingOptions.LogLevel level(final String value)
    {
        if (value != null)
        {
            for (final LoggingOptions.LogLevel level : LoggingOptions.LogLevel.values())
            {
                if (level.name().equalsIgnoreCase(value))
                {
                    return level;
                }
            }
        }
        return null;
    }
}
