package io.tidemark.runtime.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of Prometheus's text format (version 0.0.4): every line is a {@code # HELP},
 * a {@code # TYPE} or a sample of a family typed before it, or the reading fails naming the
 * line. What the tests read the server's {@code /metrics} with.
 */
final class PrometheusText
{
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME.pattern() + ")(\\{(.*)\\})? (\\S+)( -?[0-9]+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\\"n])*)\",?");
    private static final List<String> TYPES = List.of("counter", "gauge", "histogram", "summary", "untyped", "unknown", "info", "stateset", "gaugehistogram");

    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, String> types = new HashMap<>();

    /**
     * @param name   the sample's name (with a {@code _total}, {@code _bucket} ... suffix).
     * @param labels its labels.
     * @param value  its value.
     */
    record Sample(String name, Map<String, String> labels, double value)
    {
    }

    /**
     * @param text the text format.
     * @throws IllegalArgumentException naming the first line that is not in the format.
     */
    PrometheusText(final String text)
    {
        int number = 0;
        for (final String line : text.split("\n", -1))
        {
            number++;
            if (line.isEmpty())
            {
                continue;
            }
            if (line.startsWith("# HELP "))
            {
                require(NAME.matcher(line.substring(7).split(" ", 2)[0]).matches(), number, line);
            }
            else if (line.startsWith("# TYPE "))
            {
                final String[] parts = line.substring(7).split(" ");
                require(parts.length == 2 && NAME.matcher(parts[0]).matches() && TYPES.contains(parts[1]), number, line);
                types.put(parts[0], parts[1]);
            }
            else
            {
                require(!line.startsWith("#"), number, line);
                samples.add(sample(line, number));
            }
        }
    }

    private Sample sample(final String line, final int number)
    {
        final Matcher matcher = SAMPLE.matcher(line);
        require(matcher.matches(), number, line);
        final String name = matcher.group(1);
        require(types.containsKey(family(name)), number, line + " (no TYPE before it)");
        final Map<String, String> labels = new LinkedHashMap<>();
        if (matcher.group(3) != null)
        {
            final Matcher label = LABEL.matcher(matcher.group(3));
            int at = 0;
            while (at < matcher.group(3).length())
            {
                require(label.find(at) && label.start() == at, number, line);
                labels.put(label.group(1), label.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\"));
                at = label.end();
            }
        }
        final String value = matcher.group(4);
        final double parsed = switch (value)
        {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(value);
        };
        return new Sample(name, labels, parsed);
    }

    private String family(final String name)
    {
        for (final String suffix : List.of("", "_total", "_bucket", "_count", "_sum", "_created", "_info"))
        {
            if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length())))
            {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    private static void require(final boolean condition, final int number, final String line)
    {
        if (!condition)
        {
            throw new IllegalArgumentException("line " + number + " is not in Prometheus's text format: " + line);
        }
    }

    /**
     * @param name a sample's name.
     * @return the type of its family, or null if the text has no such family.
     */
    String type(final String name)
    {
        return types.get(family(name));
    }

    /**
     * @param name   a sample name.
     * @param labels label names and values, alternating, that the samples must have (others may differ).
     * @return the samples of that name with those labels.
     */
    List<Sample> samples(final String name, final String... labels)
    {
        final List<Sample> found = new ArrayList<>();
        for (final Sample sample : samples)
        {
            boolean matches = sample.name().equals(name);
            for (int i = 0; i < labels.length && matches; i += 2)
            {
                matches = labels[i + 1].equals(sample.labels().get(labels[i]));
            }
            if (matches)
            {
                found.add(sample);
            }
        }
        return found;
    }

    /**
     * @param name   a sample name.
     * @param labels label names and values, alternating.
     * @return the sum of the matching samples' values.
     */
    double sum(final String name, final String... labels)
    {
        return samples(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    /**
     * @param name   a sample name.
     * @param labels label names and values, alternating, naming exactly one sample.
     * @return its value.
     * @throws AssertionError if not exactly one sample matches.
     */
    double value(final String name, final String... labels)
    {
        final List<Sample> found = samples(name, labels);
        if (found.size() != 1)
        {
            throw new AssertionError("expected one sample " + name + " " + List.of(labels) + ", found " + found);
        }
        return found.get(0).value();
    }
}
