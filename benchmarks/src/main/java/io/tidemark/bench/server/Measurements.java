package io.tidemark.bench.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one broker's run: each repetition adds one sample per metric, and a
 * metric's figure is the median of its samples. Kept as a text file, one sample a line
 * ({@code L1.records_per_s 665123.4}; {@code #} starts a comment), so that the benchmark and
 * the comparison can run as separate processes and a run can be read by eye.
 */
public final class Measurements
{
    private final Map<String, List<Double>> samples = new LinkedHashMap<>();

    /**
     * Adds one sample of a metric.
     *
     * @param metric the metric's name, without spaces.
     * @param value the sample.
     */
    public void add(final String metric, final double value)
    {
        samples.computeIfAbsent(checkedName(metric), name -> new ArrayList<>()).add(value);
    }

    /**
     * The metrics measured, in the order first measured.
     *
     * @return the metric names.
     */
    public List<String> metrics()
    {
        return List.copyOf(samples.keySet());
    }

    /**
     * The median of a metric's samples: the middle one, or the mean of the two middle ones.
     *
     * @param metric the metric.
     * @return the median, or {@code NaN} if the metric was never measured.
     */
    public double median(final String metric)
    {
        final List<Double> values = samples.get(metric);
        if (values == null)
        {
            return Double.NaN;
        }
        final double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        final int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /**
     * How many samples a metric has.
     *
     * @param metric the metric.
     * @return the number of samples, 0 if never measured.
     */
    public int count(final String metric)
    {
        final List<Double> values = samples.get(metric);
        return values == null ? 0 : values.size();
    }

    /**
     * Appends one sample to a measurements file, creating it if needed.
     *
     * @param file the file.
     * @param metric the metric's name.
     * @param value the sample.
     * @throws IOException if the file cannot be written.
     */
    public static void append(final Path file, final String metric, final double value) throws IOException
    {
        Files.writeString(file, checkedName(metric) + " " + value + System.lineSeparator(), StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * Reads a measurements file.
     *
     * @param file the file.
     * @return its samples.
     * @throws IOException if the file cannot be read.
     * @throws IllegalArgumentException naming the line, if a line is not {@code metric value}.
     */
    public static Measurements read(final Path file) throws IOException
    {
        final Measurements measurements = new Measurements();
        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final String[] fields = line.split("\\s+");
            try
            {
                if (fields.length != 2)
                {
                    throw new NumberFormatException("expected 'metric value'");
                }
                measurements.add(fields[0], Double.parseDouble(fields[1]));
            }
            catch (final NumberFormatException e)
            {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": not 'metric value': '" + line + "' (" + e.getMessage() + ")", e);
            }
        }
        return measurements;
    }

    private static String checkedName(final String metric)
    {
        if (metric.isEmpty() || metric.chars().anyMatch(Character::isWhitespace))
        {
            throw new IllegalArgumentException("a metric name needs at least one character and no spaces: '" + metric + "'");
        }
        return metric;
    }
}
