package io.tidemark.runtime;

import io.tidemark.runtime.demo.Demo;
import io.tidemark.runtime.demo.DemoOptions;
import io.tidemark.runtime.demo.DemoSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code tidemark demo}: a server on 127.0.0.1 and page views from many users, with network
 * delay and phones that go offline, counted per user and per minute by an event-time job
 * running in the server; Kafka clients can watch the topics meanwhile.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start a server, generate page views into it and count them per user and per event-time minute with a job in the server, "
        + "showing watermarks and late data; Kafka clients can read the topics meanwhile.")
final class DemoCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private LoggingOptions logging;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The embedded data directory (default: a temporary one, deleted at the end).")
    private Path dataDir;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "60s", converter = TypedDurationConverter.class,
        description = "How long to run, in wall time (default: ${DEFAULT-VALUE}).")
    private TypedDuration duration;

    @Option(names = "--follow", description = "Run until Ctrl-C instead.")
    private boolean follow;

    @Option(names = "--window", paramLabel = "KIND", defaultValue = "tumbling",
        description = "Per-user windows: tumbling (1 min), hopping (1 min every 20 s) or session (30 s gap) (default: ${DEFAULT-VALUE}).")
    private String window;

    @Option(names = "--watermark", paramLabel = "KIND", defaultValue = "bounded",
        description = "bounded (a fixed bound) or adaptive (a percentile of observed lateness, at most --bound) (default: ${DEFAULT-VALUE}).")
    private String watermark;

    @Option(names = "--bound", paramLabel = "TIME", defaultValue = "5s", converter = TypedDurationConverter.class,
        description = "The out-of-orderness bound in event time (default: ${DEFAULT-VALUE}).")
    private TypedDuration bound;

    @Option(names = "--percentile", paramLabel = "P", defaultValue = "99", description = "The adaptive strategy's percentile (default: ${DEFAULT-VALUE}).")
    private double percentile;

    @Option(names = "--late", paramLabel = "POLICY", defaultValue = "update",
        description = "Late views: drop, dead-letter (topic page_views.dead-letter) or update (default: ${DEFAULT-VALUE}).")
    private String late;

    @Option(names = "--speed", paramLabel = "X", defaultValue = "10", description = "Event time runs this many times faster than the wall clock (default: ${DEFAULT-VALUE}).")
    private double speed;

    @Option(names = "--users", paramLabel = "N", defaultValue = "1000", description = "Users (default: ${DEFAULT-VALUE}).")
    private int users;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "4", description = "Partitions of page_views (default: ${DEFAULT-VALUE}).")
    private int partitions;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "The generator's seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--port", paramLabel = "PORT",
        description = "The Kafka listener's port on 127.0.0.1, 0 for any free one (default: 9092, or a free one if 9092 is taken).")
    private Integer port;

    @Option(names = "--http-port", paramLabel = "PORT",
        description = "The HTTP API's port on 127.0.0.1, 0 for any free one (default: 8081, or a free one if 8081 is taken).")
    private Integer httpPort;

    @Override
    public Integer call() throws IOException, InterruptedException
    {
        final DemoOptions options = options();
        logging.apply(LoggingOptions.LogLevel.WARN);
        final Demo demo = new Demo(options, spec.commandLine().getOut());
        final CountDownLatch finished = new CountDownLatch(1);
        final Thread onInterrupt = new Thread(() ->
        {
            demo.stop();
            try
            {
                finished.await();   // let the demo drain and print its summary before the JVM exits
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }, "tidemark-demo-stop");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try
        {
            final DemoSummary summary = demo.run();
            return summary.everyViewAccountedFor() ? ExitCode.OK : ExitCode.SOFTWARE;
        }
        catch (final IOException | RuntimeException e)
        {
            // Netty throws the BindException undeclared, the HTTP API wrapped; only a port asked for can be taken.
            if (!isBindFailure(e))
            {
                throw e;
            }
            CommandErrors.print(spec.commandLine().getErr(), "tidemark demo: cannot listen on 127.0.0.1: " + e.getMessage()
                + " (a port given with --port or --http-port is taken)");
            return ExitCode.SOFTWARE;
        }
        finally
        {
            finished.countDown();
            try
            {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            }
            catch (final IllegalStateException e)
            {
                // Already shutting down: the hook is running and has just been released.
            }
        }
    }

    private static boolean isBindFailure(final Throwable failure)
    {
        for (Throwable cause = failure; cause != null; cause = cause.getCause())
        {
            if (cause instanceof BindException)
            {
                return true;
            }
        }
        return false;
    }

    private DemoOptions options()
    {
        CommandErrors.check(spec, !duration.value().isZero() && !duration.value().isNegative(), "--duration", duration, "more than 0");
        CommandErrors.check(spec, !bound.value().isNegative(), "--bound", bound, "0 or more");
        CommandErrors.check(spec, percentile > 0 && percentile < 100, "--percentile", percentile, "between 0 and 100, both excluded");
        CommandErrors.check(spec, speed > 0, "--speed", speed, "more than 0");
        CommandErrors.check(spec, users >= 1, "--users", users, "at least 1");
        CommandErrors.check(spec, partitions >= 1, "--partitions", partitions, "at least 1");
        CommandErrors.check(spec, port == null || (port >= 0 && port <= 65535), "--port", port, "a port from 0 to 65535");
        CommandErrors.check(spec, httpPort == null || (httpPort >= 0 && httpPort <= 65535), "--http-port", httpPort, "a port from 0 to 65535");
        if (dataDir != null)
        {
            CommandErrors.writableDirectory(spec, "--data-dir", dataDir);
        }
        return new DemoOptions(dataDir, duration, follow, DemoOptions.WindowKind.valueOf(choice(window, "--window", "tumbling", "hopping", "session")),
            DemoOptions.WatermarkKind.valueOf(choice(watermark, "--watermark", "bounded", "adaptive")), bound, percentile / 100,
            latePolicy(spec, late, "--late"), speed, users, partitions, seed, port, httpPort);
    }

    /**
     * @param spec the command.
     * @param text the policy as typed.
     * @param option the option it was given to.
     * @return the policy.
     * @throws picocli.CommandLine.ParameterException naming the option and listing the policies.
     */
    static LatePolicyOption latePolicy(final CommandSpec spec, final String text, final String option)
    {
        try
        {
            return LatePolicyOption.parse(text);
        }
        catch (final IllegalArgumentException e)
        {
            throw CommandErrors.invalid(spec, option, text, "use drop, dead-letter or update");
        }
    }

    private String choice(final String value, final String option, final String... allowed)
    {
        for (final String candidate : allowed)
        {
            if (candidate.equalsIgnoreCase(value))
            {
                return candidate.toUpperCase(Locale.ROOT);
            }
        }
        throw CommandErrors.invalid(spec, option, value, "use " + String.join(", ", allowed));
    }
}
