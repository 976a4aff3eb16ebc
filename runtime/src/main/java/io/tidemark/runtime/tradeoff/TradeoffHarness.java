package io.tidemark.runtime.tradeoff;

import io.tidemark.runtime.LatePolicyOption;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Workload T1, the watermark trade-off: replays one stream through the engine once per
 * watermark strategy and reports, per strategy, how long results wait and how complete the
 * first results are, against a batch ground truth.
 */
public final class TradeoffHarness
{
    private TradeoffHarness()
    {
    }

    /**
     * @param stream     the events, in arrival order.
     * @param strategies the sweep.
     * @param policy     what happens to late events.
     * @param progress   where a line per finished strategy goes, or {@code null}.
     * @return the report.
     */
    public static TradeoffReport run(final EventStream stream, final List<SweepStrategy> strategies, final LatePolicyOption policy, final PrintWriter progress)
    {
        if (stream.size() == 0)
        {
            throw new IllegalArgumentException("the stream is empty");
        }
        final GroundTruth truth = new GroundTruth(stream, ReplayJob.WINDOW.toMillis());
        final List<StrategyResult> rows = new ArrayList<>();
        for (final SweepStrategy strategy : strategies)
        {
            final long started = System.nanoTime();
            final StrategyResult row = ReplayJob.run(stream, truth, strategy, policy);
            rows.add(row);
            if (progress != null)
            {
                progress.printf(Locale.ROOT, "  %-16s done in %.1f s%n", strategy.name(), (System.nanoTime() - started) / 1e9);
            }
        }
        return new TradeoffReport(stream.size(), stream.maxDelay(), policy.cliName(), rows);
    }
}
