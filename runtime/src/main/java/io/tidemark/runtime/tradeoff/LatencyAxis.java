package io.tidemark.runtime.tradeoff;

import io.tidemark.engine.api.Durations;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A horizontal log axis of latencies in seconds whose ticks fall on round durations and read
 * as durations ({@code 500ms}, {@code 2s}, {@code 5m}) rather than as powers ({@code 10^-0.6}):
 * 1, 2 and 5 times a power of ten under ten seconds and from an hour up, and in between the
 * steps of a clock ({@code 30s}, {@code 1m}, {@code 10m}, {@code 30m}), since 100 seconds
 * would read {@code 1m40s}.
 */
final class LatencyAxis extends LogAxis
{
    private static final double[] STEPS = {1, 2, 5};
    /** Below this the ticks are 1-2-5 seconds. */
    private static final double TEN_SECONDS = 10;
    /** Ticks from ten seconds to an hour, seconds. */
    private static final double[] CLOCK_STEPS = {10, 20, 30, 60, 2 * 60, 5 * 60, 10 * 60, 20 * 60, 30 * 60};
    /** From here up the ticks are 1-2-5 hours. */
    private static final double HOUR = 3600;

    /**
     * @param label the axis label.
     */
    LatencyAxis(final String label)
    {
        super(label);
    }

    @Override
    public List<NumberTick> refreshTicks(final Graphics2D g2, final AxisState state, final Rectangle2D dataArea, final RectangleEdge edge)
    {
        return ticks(getLowerBound(), getUpperBound()).stream()
            .map(value -> new NumberTick(TickType.MAJOR, value, label(value), TextAnchor.TOP_CENTER, TextAnchor.CENTER, 0.0))
            .toList();
    }

    /**
     * @param lower the axis's lower bound, seconds, above 0.
     * @param upper its upper bound.
     * @return the round durations between them; the bounds themselves when fewer than two fall
     *         between (a range narrower than a step).
     */
    static List<Double> ticks(final double lower, final double upper)
    {
        final List<Double> candidates = new ArrayList<>();
        for (int power = (int)Math.floor(Math.log10(lower)); Math.pow(10, power) < TEN_SECONDS; power++)
        {
            addSteps(candidates, Math.pow(10, power));
        }
        for (final double step : CLOCK_STEPS)
        {
            candidates.add(step);
        }
        for (int power = 0; Math.pow(10, power) * HOUR <= upper; power++)
        {
            addSteps(candidates, Math.pow(10, power) * HOUR);
        }
        final List<Double> ticks = candidates.stream().filter(value -> value >= lower && value <= upper).toList();
        return ticks.size() >= 2 ? ticks : List.of(lower, upper);
    }

    /** Adds 1, 2 and 5 times the unit. */
    private static void addSteps(final List<Double> candidates, final double unit)
    {
        for (final double step : STEPS)
        {
            // Rounded so that 0.1 * 5 is 0.5, not 0.5000000000000001.
            candidates.add(Double.parseDouble(String.format(Locale.ROOT, "%.3g", step * unit)));
        }
    }

    /**
     * @param seconds a tick's value.
     * @return it as a duration, to the millisecond.
     */
    static String label(final double seconds)
    {
        return Durations.format(Duration.ofMillis(Math.round(seconds * 1000)));
    }
}
