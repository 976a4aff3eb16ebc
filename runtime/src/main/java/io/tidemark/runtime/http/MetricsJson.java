package io.tidemark.runtime.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBucket;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DistributionDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;

/**
 * One scrape of the metrics registry as JSON ({@code GET /api/metrics}): each family under the
 * name {@code /metrics} gives it (a counter's with {@code _total}), its type and help, and its
 * points with their labels; a histogram's buckets are cumulative and keyed by their upper bound,
 * as the text format's {@code le}.
 */
final class MetricsJson
{
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private MetricsJson()
    {
    }

    /**
     * @param snapshots a scrape of the registry.
     * @return it as {@code {"metrics": [{"name", "type", "help", "points": [...]}]}}.
     */
    static ObjectNode of(final MetricSnapshots snapshots)
    {
        final ArrayNode families = JSON.arrayNode();
        for (final MetricSnapshot snapshot : snapshots)
        {
            final String name = snapshot.getMetadata().getPrometheusName();
            final ObjectNode family = families.addObject();
            family.put("name", snapshot instanceof CounterSnapshot ? name + "_total" : snapshot instanceof InfoSnapshot ? name + "_info" : name)
                .put("type", type(snapshot)).put("help", snapshot.getMetadata().getHelp());
            final ArrayNode points = family.putArray("points");
            for (final DataPointSnapshot point : snapshot.getDataPoints())
            {
                point(points.addObject(), point);
            }
        }
        final ObjectNode answer = JSON.objectNode();
        answer.set("metrics", families);
        return answer;
    }

    private static String type(final MetricSnapshot snapshot)
    {
        if (snapshot instanceof CounterSnapshot)
        {
            return "counter";
        }
        if (snapshot instanceof GaugeSnapshot)
        {
            return "gauge";
        }
        if (snapshot instanceof HistogramSnapshot)
        {
            return "histogram";
        }
        if (snapshot instanceof SummarySnapshot)
        {
            return "summary";
        }
        if (snapshot instanceof InfoSnapshot)
        {
            return "info";
        }
        return snapshot instanceof StateSetSnapshot ? "stateset" : "unknown";
    }

    private static void point(final ObjectNode json, final DataPointSnapshot point)
    {
        final ObjectNode labels = json.putObject("labels");
        for (final Label label : point.getLabels())
        {
            labels.put(label.getName(), label.getValue());
        }
        if (point instanceof CounterSnapshot.CounterDataPointSnapshot counter)
        {
            json.put("value", counter.getValue());
        }
        else if (point instanceof GaugeSnapshot.GaugeDataPointSnapshot gauge)
        {
            json.put("value", gauge.getValue());
        }
        else if (point instanceof UnknownSnapshot.UnknownDataPointSnapshot unknown)
        {
            json.put("value", unknown.getValue());
        }
        else if (point instanceof InfoSnapshot.InfoDataPointSnapshot)
        {
            json.put("value", 1);
        }
        else if (point instanceof StateSetSnapshot.StateSetDataPointSnapshot stateSet)
        {
            final ObjectNode states = json.putObject("states");
            for (int i = 0; i < stateSet.size(); i++)
            {
                states.put(stateSet.getName(i), stateSet.isTrue(i));
            }
        }
        else if (point instanceof DistributionDataPointSnapshot distribution)
        {
            distribution(json, distribution);
        }
    }

    private static void distribution(final ObjectNode json, final DistributionDataPointSnapshot point)
    {
        if (point.hasCount())
        {
            json.put("count", point.getCount());
        }
        if (point.hasSum())
        {
            json.put("sum", point.getSum());
        }
        if (point instanceof HistogramSnapshot.HistogramDataPointSnapshot histogram && histogram.hasClassicHistogramData())
        {
            final ObjectNode buckets = json.putObject("buckets");
            long cumulative = 0;
            for (final ClassicHistogramBucket bucket : histogram.getClassicBuckets())
            {
                cumulative += bucket.getCount();
                buckets.put(bucket.getUpperBound() == Double.POSITIVE_INFINITY ? "+Inf" : Double.toString(bucket.getUpperBound()), cumulative);
            }
        }
        else if (point instanceof SummarySnapshot.SummaryDataPointSnapshot summary)
        {
            final ObjectNode quantiles = json.putObject("quantiles");
            for (final Quantile quantile : summary.getQuantiles())
            {
                quantiles.put(Double.toString(quantile.getQuantile()), quantile.getValue());
            }
        }
    }
}
