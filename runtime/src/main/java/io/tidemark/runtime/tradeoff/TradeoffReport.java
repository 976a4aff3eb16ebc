package io.tidemark.runtime.tradeoff;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.XYItemLabelGenerator;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The harness's output: a table for the terminal, a CSV, and a PNG plot of result latency
 * against completeness with one point per strategy (drawn by JFreeChart).
 *
 * @param events  the number of events replayed.
 * @param maxDelay the largest delay in the stream, ms.
 * @param policy  the late-data policy, as typed.
 * @param rows    one per strategy, in sweep order.
 */
public record TradeoffReport(long events, long maxDelay, String policy, List<StrategyResult> rows)
{
    private static final String CSV_HEADER =
        "strategy,latency_p50_ms,latency_p99_ms,completeness,late_events,dropped,dead_lettered,late_updates,flushed_at_end,final_matches_truth";

    /**
     * @param name a strategy's name.
     * @return its row.
     * @throws IllegalArgumentException if there is none.
     */
    public StrategyResult row(final String name)
    {
        return rows.stream().filter(r -> r.strategy().equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no strategy '" + name + "' in the report"));
    }

    /**
     * Prints the table.
     *
     * @param out where.
     */
    public void printTable(final PrintWriter out)
    {
        out.printf(Locale.ROOT, "%,d events, largest delay %s, late-data policy %s%n", events, SweepStrategy.format(maxDelay), policy);
        final String format = "%-16s %12s %12s %13s %11s %9s %13s %12s %8s %7s%n";
        out.printf(Locale.ROOT, format, "strategy", "latency p50", "latency p99", "completeness", "late events", "dropped", "dead-lettered",
            "late updates", "at end", "final");
        for (final StrategyResult r : rows)
        {
            out.printf(Locale.ROOT, format, r.strategy(), seconds(r.latencyP50()), seconds(r.latencyP99()),
                String.format(Locale.ROOT, "%.4f%%", 100 * r.completeness()), r.lateEvents(), r.dropped(), r.deadLettered(), r.lateUpdates(),
                r.flushedAtEnd(), r.finalMatchesTruth() == null ? "-" : r.finalMatchesTruth() ? "exact" : "WRONG");
        }
    }

    /**
     * Writes the table as CSV.
     *
     * @param file where.
     * @throws IOException if writing fails.
     */
    public void writeCsv(final Path file) throws IOException
    {
        final List<String> lines = new ArrayList<>();
        lines.add(CSV_HEADER);
        for (final StrategyResult r : rows)
        {
            lines.add(String.join(",", r.strategy(), Long.toString(r.latencyP50()), Long.toString(r.latencyP99()),
                String.format(Locale.ROOT, "%.6f", r.completeness()), Long.toString(r.lateEvents()), Long.toString(r.dropped()),
                Long.toString(r.deadLettered()), Long.toString(r.lateUpdates()), Long.toString(r.flushedAtEnd()),
                r.finalMatchesTruth() == null ? "" : r.finalMatchesTruth().toString()));
        }
        Files.write(file, lines, UTF_8);
    }

    /**
     * Draws latency (p50 of first results, log scale) against completeness, one labelled
     * point per strategy, bounded and adaptive strategies in two series.
     *
     * @param file the PNG to write.
     * @throws IOException if writing fails.
     */
    public void writePlot(final Path file) throws IOException
    {
        final XYSeries bounded = new XYSeries("bounded out-of-orderness", false, true);
        final XYSeries adaptive = new XYSeries("adaptive percentile", false, true);
        final List<List<String>> labels = List.of(new ArrayList<>(), new ArrayList<>());
        for (final StrategyResult r : rows)
        {
            final boolean isAdaptive = r.strategy().startsWith("adaptive");
            // A log axis cannot show 0; a latency under 1 ms is drawn at 1 ms.
            (isAdaptive ? adaptive : bounded).add(Math.max(1, r.latencyP50()) / 1000.0, 100 * r.completeness());
            labels.get(isAdaptive ? 1 : 0).add(r.strategy());
        }
        final XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(bounded);
        data.addSeries(adaptive);

        final LogAxis x = new LogAxis("result latency p50 (s, log scale): emission time - window end");
        final NumberAxis y = new NumberAxis("completeness of first results (%)");
        y.setAutoRangeIncludesZero(false);
        final XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        final XYItemLabelGenerator label = (dataset, series, item) -> labels.get(series).get(item);
        renderer.setDefaultItemLabelGenerator(label);
        renderer.setDefaultItemLabelsVisible(true);
        final XYPlot plot = new XYPlot(data, x, y, renderer);
        final JFreeChart chart = new JFreeChart(
            String.format(Locale.ROOT, "Watermark trade-off: %,d events, policy %s", events, policy), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 1000, 650);
    }

    private static String seconds(final long millis)
    {
        return String.format(Locale.ROOT, "%.3f s", millis / 1000.0);
    }
}
