package io.tidemark.runtime;

import io.tidemark.runtime.tradeoff.EventStream;
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
            console.printf(Locale.ROOT, "replaying %,d events once per strategy%n", stream.size());
            final TradeoffReport report = TradeoffHarness.run(stream, SweepStrategy.t1(), policy, console);
            console.println();
            report.printTable(console);
            report.writeCsv(out.resolve("tradeoff.csv"));
            report.writePlot(out.resolve("tradeoff.png"));
            console.println();
            console.println("wrote " + out.resolve("tradeoff.csv") + " and " + out.resolve("tradeoff.png"));
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
}
