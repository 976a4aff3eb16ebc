package io.tidemark.bench.server;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Tidemark's figures beside Kafka's, metric by metric: both medians, the ratio
 * Tidemark / Kafka, and, where we set one, the target and whether it is met.
 * Throughputs ({@code ..._per_s}) are better higher; latencies ({@code ..._ms}) and costs
 * ({@code ..._per_record}) lower.
 */
public final class Comparison
{
    /**
     * The server's targets, as the ratio Tidemark / Kafka to reach: at least Kafka's throughput
     * with kafka-clients, 1.5 times its throughput with kcat, at most 0.3 of its L4 p99, and at
     * most a quarter of its CPU time per record in L1-L3, with kafka-clients and with kcat.
     */
    static final Map<String, Double> TARGETS = Map.ofEntries(
        Map.entry("L1.records_per_s", 1.0),
        Map.entry("L2.records_per_s", 1.0),
        Map.entry("L3.records_per_s", 1.0),
        Map.entry("kcat-L1.records_per_s", 1.5),
        Map.entry("kcat-L3.records_per_s", 1.5),
        Map.entry("L4.p99_ms", 0.3),
        Map.entry("L1.broker_cpu_ns_per_record", 0.25),
        Map.entry("L2.broker_cpu_ns_per_record", 0.25),
        Map.entry("L3.broker_cpu_ns_per_record", 0.25),
        Map.entry("kcat-L1.broker_cpu_ns_per_record", 0.25),
        Map.entry("kcat-L3.broker_cpu_ns_per_record", 0.25));

    /**
     * One metric side by side.
     *
     * @param metric the metric's name.
     * @param tidemark Tidemark's median, {@code NaN} if not measured.
     * @param kafka Kafka's median, {@code NaN} if not measured.
     * @param samples the fewest samples either side has.
     */
    public record Row(String metric, double tidemark, double kafka, int samples)
    {
        /**
         * Tidemark / Kafka.
         *
         * @return the ratio, {@code NaN} if either side is missing or Kafka's is 0.
         */
        public double ratio()
        {
            return kafka == 0 ? Double.NaN : tidemark / kafka;
        }

        /**
         * Whether a larger figure is better (a throughput) rather than a smaller one (a latency, a cost).
         *
         * @return true for throughputs.
         */
        public boolean higherIsBetter()
        {
            return !metric.endsWith("_ms") && !metric.endsWith("_per_record");
        }

        /**
         * Whether the target for this metric is met.
         *
         * @return "yes" or "no", or "" if there is no target or a figure is missing.
         */
        public String targetMet()
        {
            final Double target = TARGETS.get(metric);
            final double ratio = ratio();
            if (target == null || Double.isNaN(ratio))
            {
                return "";
            }
            return (higherIsBetter() ? ratio >= target : ratio <= target) ? "yes" : "no";
        }
    }

    private Comparison()
    {
    }

    /**
     * Pairs two runs' metrics, in the order Tidemark's run measured them, then any metric
     * only Kafka's run has.
     *
     * @param tidemark Tidemark's run.
     * @param kafka Kafka's run.
     * @return one row per metric.
     */
    public static List<Row> rows(final Measurements tidemark, final Measurements kafka)
    {
        final Set<String> metrics = new LinkedHashSet<>(tidemark.metrics());
        metrics.addAll(kafka.metrics());
        final List<Row> rows = new ArrayList<>();
        for (final String metric : metrics)
        {
            rows.add(new Row(metric, tidemark.median(metric), kafka.median(metric),
                Math.min(tidemark.count(metric), kafka.count(metric))));
        }
        return rows;
    }

    /**
     * The rows as a Markdown table, ready for {@code docs/BENCHMARKS.md}.
     *
     * @param rows the rows.
     * @return the table, one line per row after a header.
     */
    public static String table(final List<Row> rows)
    {
        final StringBuilder out = new StringBuilder()
            .append("| metric | tidemark | kafka | tidemark/kafka | target | met? | samples |\n")
            .append("|---|---:|---:|---:|---:|---|---:|\n");
        for (final Row row : rows)
        {
            final Double target = TARGETS.get(row.metric());
            out.append("| ").append(row.metric())
                .append(" | ").append(figure(row.tidemark()))
                .append(" | ").append(figure(row.kafka()))
                .append(" | ").append(Double.isNaN(row.ratio()) ? "-" : String.format(Locale.ROOT, "%.2f", row.ratio()))
                .append(" | ").append(target == null ? "" : (row.higherIsBetter() ? ">= " : "<= ") + target)
                .append(" | ").append(row.targetMet())
                .append(" | ").append(row.samples())
                .append(" |\n");
        }
        return out.toString();
    }

    /**
     * A figure with three significant digits and an SI suffix for large ones (665 k, 2.48 M).
     *
     * @param value the figure.
     * @return the text, "-" for a missing figure.
     */
    static String figure(final double value)
    {
        if (Double.isNaN(value))
        {
            return "-";
        }
        final double magnitude = Math.abs(value);
        if (magnitude >= 1e6)
        {
            return significant(value / 1e6) + " M";
        }
        if (magnitude >= 1e3)
        {
            return significant(value / 1e3) + " k";
        }
        return significant(value);
    }

    private static String significant(final double value)
    {
        final double magnitude = Math.abs(value);
        final int decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
