package io.tidemark.runtime.tradeoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;

import io.tidemark.runtime.CommandOutput;
import io.tidemark.runtime.LatePolicyOption;
import org.junit.jupiter.api.Test;

/**
 * Strategies a run does not reach, and the plot's labels, on a T1 stream of five minutes.
 */
class TradeoffReportTest
{
    /** 100 devices for five minutes of event time, as {@code --events 300000} but smaller. */
    private static final TradeoffReport REPORT = TradeoffHarness.run(T1Generator.withDefaults(100, 300, 42).generate(), SweepStrategy.t1(),
        LatePolicyOption.UPDATE, TradeoffHarness.Progress.NONE);

    @Test
    void aBoundLongerThanTheRunIsNotReachedAndTheOthersAre()
    {
        assertTrue(REPORT.row("bounded 0s").reached(), REPORT.row("bounded 0s").toString());
        assertTrue(REPORT.row("bounded 30s").reached(), REPORT.row("bounded 30s").toString());
        assertTrue(REPORT.row("adaptive p99").reached(), REPORT.row("adaptive p99").toString());
        for (final String name : List.of("bounded 5m", "bounded 15m"))
        {
            final StrategyResult row = REPORT.row(name);
            assertFalse(row.reached(), row.toString());
            assertTrue(row.notReached().startsWith("its bound is longer than the 4m59."), row.notReached());
            assertEquals(1.0, row.completeness(), "what it would have shown: everything complete, only because the input ended");
        }
    }

    @Test
    void aStrategyWhoseWindowsOnlyTheEndOfInputClosedIsNotReached()
    {
        final SweepStrategy adaptive = SweepStrategy.adaptive(0.99);
        assertNull(ReplayJob.notReached(adaptive, 1, 1_000));
        assertEquals("no window closed before the end of input", ReplayJob.notReached(adaptive, 0, 1_000_000));
        assertEquals("no window closed before the end of input", ReplayJob.notReached(SweepStrategy.bounded(Duration.ofSeconds(2)), 0, 60_000));
        assertEquals("its bound is longer than the 1m of event time in the run",
            ReplayJob.notReached(SweepStrategy.bounded(Duration.ofMinutes(5)), 3, 60_000));
    }

    @Test
    void theTableMarksThemFitsEightyColumnsAndSaysWhy()
    {
        final StringWriter text = new StringWriter();
        REPORT.printTable(new PrintWriter(text, true));
        final String printed = text.toString();
        CommandOutput.assertFitsTerminal(printed);
        assertTrue(printed.matches("(?s).*\nbounded 5m\\s+\\(not reached in this run\\).*"), printed);
        assertTrue(printed.contains("not reached in this run, and left out of the plot:\n  bounded 5m: its bound is longer than"), printed);
        assertTrue(printed.contains("\nbounded 500ms     "), printed);
        assertFalse(printed.contains("PT"), printed);
    }

    @Test
    void thePlotLeavesOutWhatWasNotReachedAndNoTwoLabelsOverlap()
    {
        final TradeoffReport.Plot plot = REPORT.render();
        assertEquals(11, plot.labels().size(), plot.labels().toString());
        assertFalse(plot.labels().contains("bounded 5m"));
        for (int i = 0; i < plot.boxes().size(); i++)
        {
            for (int j = i + 1; j < plot.boxes().size(); j++)
            {
                assertFalse(plot.boxes().get(i).intersects(plot.boxes().get(j)), plot.labels().get(i) + " overlaps " + plot.labels().get(j));
            }
        }
    }

    @Test
    void aRunThatReachedNoStrategyStillDrawsAPlotThatSaysSo()
    {
        final TradeoffReport none = new TradeoffReport(30_000, 1_000, "update", List.of(
            new StrategyResult("bounded 0s", 0, 0, 1.0, 0, 0, 0, 0, 30, Boolean.TRUE, "no window closed before the end of input")));
        final TradeoffReport.Plot plot = none.render();
        assertEquals(List.of(), plot.labels());
        assertEquals(1000, plot.image().getWidth());
    }
}
