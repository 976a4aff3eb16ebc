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
 * A horizontal log axis of latencies in seconds whose ticks fall on 1, 2 and 5 times a power
 * of ten and read as durations ({@code 500ms}, {@code 2s}, {@code 10s}) rather than as powers
 * ({@code 10^-0.6}).
 */
final class LatencyAxis extends LogAxis
{
    private static final double[] STEPS = {1, 2, 5};

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
     * @return the 1-2-5 values between them; the bounds themselves when fewer than two fall
     *         between (a range narrower than a step).
     */
    static List<Double> ticks(final double lower, final double upper)
    {
        final List<Double> ticks = new ArrayList<>();
        for (int power = (int)Math.floor(Math.log10(lower)); Math.pow(10, power) <= upper; power++)
        {
            for (final double step : STEPS)
            {
                // Rounded so that 0.1 * 5 is 0.5, not 0.5000000000000001.
                final double value = Double.parseDouble(String.format(Locale.ROOT, "%.3g", step * Math.pow(10, power)));
                if (value >= lower && value <= upper)
                {
                    ticks.add(value);
                }
            }
        }
        return ticks.size() >= 2 ? ticks : List.of(lower, upper);
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
