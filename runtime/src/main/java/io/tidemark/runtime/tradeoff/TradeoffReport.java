package io.tidemark.runtime.tradeoff;

import io.tidemark.engine.api.Durations;
import io.tidemark.runtime.Plural;
import io.tidemark.runtime.TerminalText;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The harness's output: a table for the terminal, a CSV, and a PNG plot of result latency
 * against completeness with one point per strategy (drawn by JFreeChart, labelled by
 * {@link LabelLayout}). A strategy the run did not reach ({@link StrategyResult#notReached()})
 * is marked in the table and the CSV and left out of the plot, which says so.
 *
 * @param events   the number of events replayed.
 * @param maxDelay the largest delay in the stream, ms.
 * @param policy   the late-data policy, as typed.
 * @param rows     one per strategy, in sweep order.
 */
public record TradeoffReport(long events, long maxDelay, String policy, List<StrategyResult> rows)
{
    private static final String CSV_HEADER = "strategy,latency_p50_ms,latency_p99_ms,completeness,late_events,dropped,dead_lettered,"
        + "late_updates,flushed_at_end,final_matches_truth,reached";
    private static final String ROW = "%-14s %9s %9s %9s %7s %8s %7s %7s%n";
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 650;
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    /**
     * The plot as drawn, with where its point labels went.
     *
     * @param image  the picture.
     * @param labels the strategies labelled, in the order of {@code boxes}.
     * @param boxes  each label's box, in pixels.
     */
    record Plot(BufferedImage image, List<String> labels, List<Rectangle2D> boxes)
    {
    }

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
     * Prints the table, within 80 columns, and why any strategy was not reached.
     *
     * @param out where.
     */
    public void printTable(final PrintWriter out)
    {
        out.printf(Locale.ROOT, "%s, largest delay %s, late-data policy %s%n", Plural.of(events, "event"), duration(maxDelay), policy);
        final String[] fate = switch (policy)
        {
            case "drop" -> new String[] {"late", "dropped"};
            case "dead-letter" -> new String[] {"dead-", "lettered"};
            default -> new String[] {"late", "updates"};
        };
        out.printf(Locale.ROOT, ROW, "", "latency", "latency", "", "late", fate[0], "closed", "final");
        out.printf(Locale.ROOT, ROW, "strategy", "p50", "p99", "complete", "events", fate[1], "at end", "results");
        for (final StrategyResult r : rows)
        {
            final long fateCount = switch (policy)
            {
                case "drop" -> r.dropped();
                case "dead-letter" -> r.deadLettered();
                default -> r.lateUpdates();
            };
            final String finalResults = r.finalMatchesTruth() == null ? "-" : r.finalMatchesTruth() ? "exact" : "WRONG";
            if (r.reached())
            {
                out.printf(Locale.ROOT, ROW, r.strategy(), latency(r.latencyP50()), latency(r.latencyP99()),
                    String.format(Locale.ROOT, "%.4f%%", 100 * r.completeness()), count(r.lateEvents()), count(fateCount), count(r.flushedAtEnd()),
                    finalResults);
            }
            else
            {
                out.printf(Locale.ROOT, "%-14s %-46s %7s %7s%n", r.strategy(), "  (not reached in this run)", count(r.flushedAtEnd()), finalResults);
            }
        }
        final List<StrategyResult> notReached = rows.stream().filter(r -> !r.reached()).toList();
        if (!notReached.isEmpty())
        {
            out.println();
            out.println("not reached in this run, and left out of the plot:");
            for (final StrategyResult r : notReached)
            {
                TerminalText.wrap("  " + r.strategy() + ": " + r.notReached(), 4).forEach(out::println);
            }
            for (final String line : TerminalText.wrap("Only the end of input closed their windows, so they would show as 0 latency "
                + "and 100% complete, which says nothing about them. Replay more event time (--events, or a longer --input) to reach them.", 0))
            {
                out.println(line);
            }
        }
    }

    /**
     * Writes the table as CSV; the figures of a strategy not reached are left empty.
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
            lines.add(String.join(",", r.strategy(), r.reached() ? Long.toString(r.latencyP50()) : "", r.reached() ? Long.toString(r.latencyP99()) : "",
                r.reached() ? String.format(Locale.ROOT, "%.6f", r.completeness()) : "", Long.toString(r.lateEvents()), Long.toString(r.dropped()),
                Long.toString(r.deadLettered()), Long.toString(r.lateUpdates()), Long.toString(r.flushedAtEnd()),
                r.finalMatchesTruth() == null ? "" : r.finalMatchesTruth().toString(), Boolean.toString(r.reached())));
        }
        Files.write(file, lines, UTF_8);
    }

    /**
     * Draws latency (p50 of first results, log scale, ticks in plain durations) against
     * completeness, one labelled point per strategy reached, bounded and adaptive strategies
     * in two series; the strategies not reached are named under the title.
     *
     * @param file the PNG to write.
     * @throws IOException if writing fails.
     */
    public void writePlot(final Path file) throws IOException
    {
        ImageIO.write(render().image(), "png", file.toFile());
    }

    /**
     * @return the plot, drawn.
     */
    Plot render()
    {
        final XYSeries bounded = new XYSeries("bounded out-of-orderness", false, true);
        final XYSeries adaptive = new XYSeries("adaptive percentile", false, true);
        final List<StrategyResult> shown = rows.stream().filter(StrategyResult::reached).toList();
        for (final StrategyResult r : shown)
        {
            // A log axis cannot show 0; a latency under 1 ms is drawn at 1 ms.
            (r.strategy().startsWith("adaptive") ? adaptive : bounded).add(latencySeconds(r), 100 * r.completeness());
        }
        final XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(bounded);
        data.addSeries(adaptive);

        final LatencyAxis x = new LatencyAxis("result latency p50, log scale: emission time - window end");
        final NumberAxis y = new NumberAxis("completeness of first results");
        y.setAutoRangeIncludesZero(false);
        y.setNumberFormatOverride(new DecimalFormat("0.00'%'", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        final XYPlot plot = new XYPlot(data, x, y, new XYLineAndShapeRenderer(false, true));
        final JFreeChart chart = new JFreeChart(
            String.format(Locale.ROOT, "Watermark trade-off: %s, policy %s", Plural.of(events, "event"), policy), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        final List<String> missing = rows.stream().filter(r -> !r.reached()).map(StrategyResult::strategy).toList();
        if (shown.isEmpty())
        {
            chart.addSubtitle(new TextTitle("no strategy was reached in this run: only the end of input closed windows; replay more event time"));
        }
        else if (!missing.isEmpty())
        {
            chart.addSubtitle(new TextTitle("not reached in this run, left out (only the end of input closed their windows): "
                + String.join(", ", missing)));
        }

        final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g2 = image.createGraphics();
        try
        {
            g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g2.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            final ChartRenderingInfo info = new ChartRenderingInfo();
            chart.draw(g2, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT), info);
            final Rectangle2D area = info.getPlotInfo().getDataArea();
            g2.setFont(LABEL_FONT);
            final FontMetrics metrics = g2.getFontMetrics();
            final List<Point2D> points = new ArrayList<>();
            final List<Double> widths = new ArrayList<>();
            for (final StrategyResult r : shown)
            {
                points.add(new Point2D.Double(x.valueToJava2D(latencySeconds(r), area, plot.getDomainAxisEdge()),
                    y.valueToJava2D(100 * r.completeness(), area, plot.getRangeAxisEdge())));
                widths.add((double)metrics.stringWidth(r.strategy()));
            }
            final List<Rectangle2D> boxes = LabelLayout.place(points, widths, metrics.getHeight(), area);
            g2.setColor(Color.DARK_GRAY);
            g2.setStroke(new BasicStroke(0.8f));
            for (int i = 0; i < boxes.size(); i++)
            {
                final Rectangle2D box = boxes.get(i);
                final Point2D point = points.get(i);
                // Labels of the first ring touch their point; one pushed further out needs a line to it.
                if (distance(box, point) > LabelLayout.MARKER + metrics.getHeight())
                {
                    g2.draw(new Line2D.Double(point, nearest(box, point)));
                }
                g2.drawString(shown.get(i).strategy(), (float)box.getX(), (float)(box.getY() + metrics.getAscent()));
            }
            return new Plot(image, shown.stream().map(StrategyResult::strategy).toList(), boxes);
        }
        finally
        {
            g2.dispose();
        }
    }

    private static double latencySeconds(final StrategyResult r)
    {
        return Math.max(1, r.latencyP50()) / 1000.0;
    }

    /** @return the point of the box nearest to {@code point}. */
    private static Point2D nearest(final Rectangle2D box, final Point2D point)
    {
        return new Point2D.Double(Math.max(box.getMinX(), Math.min(point.getX(), box.getMaxX())),
            Math.max(box.getMinY(), Math.min(point.getY(), box.getMaxY())));
    }

    private static double distance(final Rectangle2D box, final Point2D point)
    {
        return nearest(box, point).distance(point);
    }

    /**
     * @return a latency to the millisecond under a minute, to the second above: at most 9
     *         characters, the table's column.
     */
    private static String latency(final long millis)
    {
        return duration(millis < 60_000 ? millis : Math.round(millis / 1000.0) * 1000);
    }

    private static String duration(final long millis)
    {
        return Durations.format(Duration.ofMillis(millis));
    }

    private static String count(final long count)
    {
        return String.format(Locale.ROOT, "%,d", count);
    }
}
