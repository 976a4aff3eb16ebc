package io.tidemark.runtime.tradeoff;

import io.tidemark.runtime.LatePolicyOption;

import java.util.ArrayList;
import java.util.List;

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
     * What a sweep tells while it runs, for a progress bar and a line per strategy.
     */
    public interface Progress
    {
        /** Tells nothing. */
        Progress NONE = new Progress()
        {
        };

        /**
         * @param index    the strategy's place in the sweep, from 0.
         * @param strategy the strategy about to be replayed.
         */
        default void replaying(final int index, final SweepStrategy strategy)
        {
        }

        /**
         * Called from the replay's own thread as it goes, a batch at a time.
         *
         * @param events events replayed since the last call.
         */
        default void replayed(final int events)
        {
        }

        /**
         * @param row     what the strategy achieved.
         * @param seconds how long its replay took, wall time.
         */
        default void finished(final StrategyResult row, final double seconds)
        {
        }
    }

    /**
     * @param stream     the events, in arrival order.
     * @param strategies the sweep.
     * @param policy     what happens to late events.
     * @param progress   told as the sweep goes.
     * @return the report.
     */
    public static TradeoffReport run(final EventStream stream, final List<SweepStrategy> strategies, final LatePolicyOption policy, final Progress progress)
    {
        if (stream.size() == 0)
        {
            throw new IllegalArgumentException("the stream is empty");
        }
        final GroundTruth truth = new GroundTruth(stream, ReplayJob.WINDOW.toMillis());
        final List<StrategyResult> rows = new ArrayList<>();
        for (int i = 0; i < strategies.size(); i++)
        {
            final SweepStrategy strategy = strategies.get(i);
            progress.replaying(i, strategy);
            final long started = System.nanoTime();
            final StrategyResult row = ReplayJob.run(stream, truth, strategy, policy, progress);
            rows.add(row);
            progress.finished(row, (System.nanoTime() - started) / 1e9);
        }
        return new TradeoffReport(stream.size(), stream.maxDelay(), policy.cliName(), rows);
    }
}
