package io.tidemark.runtime.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/**
 * One metric family being filled at scrape time: a gauge or a counter, a point per label set.
 */
public final class MetricFamily
{
    private final GaugeSnapshot.Builder gauge;
    private final CounterSnapshot.Builder counter;

    private MetricFamily(final GaugeSnapshot.Builder gauge, final CounterSnapshot.Builder counter)
    {
        this.gauge = gauge;
        this.counter = counter;
    }

    /**
     * @param name the family's name.
     * @param help what it measures.
     * @return an empty gauge family.
     */
    public static MetricFamily gauge(final String name, final String help)
    {
        return new MetricFamily(GaugeSnapshot.builder().name(name).help(help), null);
    }

    /**
     * @param name the family's name, without the {@code _total} the text format adds.
     * @param help what it counts.
     * @return an empty counter family.
     */
    public static MetricFamily counter(final String name, final String help)
    {
        return new MetricFamily(null, CounterSnapshot.builder().name(name).help(help));
    }

    /**
     * Adds a point.
     *
     * @param value  its value.
     * @param labels its label names and values, alternating.
     * @return this family.
     */
    public MetricFamily add(final double value, final String... labels)
    {
        if (gauge != null)
        {
            gauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of(labels)).value(value).build());
        }
        else
        {
            counter.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.of(labels)).value(value).build());
        }
        return this;
    }

    /**
     * @return the family's snapshot.
     */
    public MetricSnapshot build()
    {
        return gauge != null ? gauge.build() : counter.build();
    }
}
