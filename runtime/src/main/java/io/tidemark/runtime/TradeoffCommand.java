package io.tidemark.runtime;

import io.tidemark.engine.api.Durations;
import io.tidemark.runtime.tradeoff.EventStream;
import io.tidemark.runtime.tradeoff.StrategyResult;
import io.tidemark.runtime.tradeoff.SweepStrategy;
import io.tidemark.runtime.tradeoff.T1Generator;
import io.tidemark.runtime.tradeoff.TradeoffHarness;
import io.tidemark.runtime.tradeoff.TradeoffReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code tidemark bench tradeoff}: workload T1, the watermark trade-off between result
 * latency and completeness, as a table, a CSV and a plot.
 */
@Command(name = "tradeoff", mixinStandardHelpOptions = true,
    description = "Workload T1: replay an event stream once per watermark strategy; report result latency against completeness.")
final class TradeoffCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--events", paramLabel = "N", defaultValue = "3600000",
        description = "Events to generate: 1,000 devices x N/1,000 seconds (default: ${DEFAULT-VALUE}, one hour).")
    private long events;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "The generator's seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--input", paramLabel = "FILE",
        description = "Replay a recorded stream instead: CSV (device,event_time_ms,arrival_time_ms,value) or JSON lines (.jsonl).")
    private Path input;

    @Option(names = "--write-events", paramLabel = "FILE", description = "Also write the stream, in arrival order, as CSV or JSON lines (.jsonl).")
    private Path writeEvents;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "tradeoff-out",
        description = "Where tradeoff.csv and tradeoff.png go (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--progress",
        description = "Show a progress bar on stderr even when it is not a terminal (on a terminal it shows by itself once a run takes over 2s).")
    private boolean progress;

    @Option(names = "--late-policy", paramLabel = "POLICY", defaultValue = "update",
        description = "drop, dead-letter or update (default: ${DEFAULT-VALUE}; update lets the final results be checked against the truth).")
    private String latePolicy;

    @Override
    public Integer call()
    {
        CommandErrors.check(spec, events >= 1, "--events", events, "at least 1");
        CommandErrors.check(spec, input == null || Files.isRegularFile(input), "--input", input, "no such file");
        final LatePolicyOption policy = DemoCommand.latePolicy(spec, latePolicy, "--late-policy");
        // Checked before the replays, which can take minutes, rather than after them.
        CommandErrors.writableDirectory(spec, "--out", out);
        final PrintWriter err = spec.commandLine().getErr();
        final PrintWriter console = spec.commandLine().getOut();
        try
        {
            final EventStream stream;
            if (input != null)
            {
                console.println("reading " + input);
                stream = EventStream.read(input);
            }
            else
            {
                console.printf(Locale.ROOT, "generating T1: %,d events, seed %d%n", events, seed);
                stream = T1Generator.forEvents(events, seed).generate();
            }
            if (writeEvents != null)
            {
                stream.write(writeEvents);
                console.println("wrote the stream to " + writeEvents);
            }
            final List<SweepStrategy> sweep = SweepStrategy.t1();
            console.printf(Locale.ROOT, "replaying %s once per strategy (%s)%n", Plural.of(stream.size(), "event"),
                Plural.of(sweep.size(), "strategy", "strategies"));
            console.flush();
            final ProgressBar bar = progress || ProgressBar.onTerminal()
                ? ProgressBar.start(err, (long)stream.size() * sweep.size(), progress ? Duration.ZERO : ProgressBar.DEFAULT_DELAY) : null;
            final TradeoffReport report;
            try
            {
                report = TradeoffHarness.run(stream, sweep, policy, new BarProgress(bar, console, sweep.size()));
            }
            finally
            {
                if (bar != null)
                {
                    bar.close();
                }
            }
            console.println();
            report.printTable(console);
            report.writeCsv(out.resolve("tradeoff.csv"));
            report.writePlot(out.resolve("tradeoff.png"));
            console.println();
            console.println("wrote " + out.resolve("tradeoff.csv"));
            console.println("wrote " + out.resolve("tradeoff.png"));
            return ExitCode.OK;
        }
        catch (final NoSuchFileException e)
        {
            err.println("tidemark bench tradeoff: no such file: " + e.getFile());
            return ExitCode.USAGE;
        }
        catch (final IllegalArgumentException e)
        {
            CommandErrors.print(err, "tidemark bench tradeoff: " + e.getMessage());
            return ExitCode.USAGE;
        }
        catch (final IOException e)
        {
            CommandErrors.print(err, "tidemark bench tradeoff: " + e);
            return ExitCode.SOFTWARE;
        }
        finally
        {
            console.flush();
        }
    }

    /**
     * A line per strategy replayed on stdout and, when there is one, the bar on stderr.
     */
    private static final class BarProgress implements TradeoffHarness.Progress
    {
        private final ProgressBar bar;
        private final PrintWriter console;
        private final int strategies;

        /**
         * @param bar        the bar, or {@code null} for none.
         * @param console    stdout.
         * @param strategies how many strategies the sweep has.
         */
        BarProgress(final ProgressBar bar, final PrintWriter console, final int strategies)
        {
            this.bar = bar;
            this.console = console;
            this.strategies = strategies;
        }

        @Override
        public void replaying(final int index, final SweepStrategy strategy)
        {
            if (bar != null)
            {
                bar.label(strategy.name() + " (" + (index + 1) + "/" + strategies + ")");
            }
        }

        @Override
        public void replayed(final int events)
        {
            if (bar != null)
            {
                bar.advance(events);
            }
        }

        @Override
        public void finished(final StrategyResult row, final double seconds)
        {
            final String line = String.format(Locale.ROOT, "  %-16s done in %s", row.strategy(),
                Durations.format(Duration.ofMillis(Math.round(seconds * 10) * 100)));
            if (bar != null)
            {
                bar.println(console, line);
            }
            else
            {
                console.println(line);
            }
        }
    }
}
