package io.tidemark.runtime.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The Kafka listener's requests per API: how many, how many were answered with an error, and how long
 * each took from decoding to its answer, in latency buckets. The event loops count into arrays
 * made once, one slot per API key and bucket (an atomic add, no lock, no allocation); the
 * registry reads them when it is scraped.
 */
public final class KafkaRequestMetrics implements MultiCollector
{
    /** Upper bounds of the latency buckets, nanoseconds; the last bucket is everything above. */
    private static final long[] BOUNDS_NANOS = {100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000,
        100_000_000, 250_000_000, 500_000_000, 1_000_000_000, 2_500_000_000L, 5_000_000_000L, 10_000_000_000L, 30_000_000_000L};
    private static final int BUCKETS = BOUNDS_NANOS.length + 1;
    private static final double NANOS_PER_SECOND = 1e9;

    private final int keys;
    private final AtomicLongArray requests;
    private final AtomicLongArray errors;
    private final AtomicLongArray latencyNanos;
    private final AtomicLongArray buckets;

    /** Counters for every API key Kafka defines, at zero. */
    public KafkaRequestMetrics()
    {
        int highest = 0;
        for (final ApiKeys key : ApiKeys.values())
        {
            highest = Math.max(highest, key.id);
        }
        keys = highest + 1;
        requests = new AtomicLongArray(keys);
        errors = new AtomicLongArray(keys);
        latencyNanos = new AtomicLongArray(keys);
        buckets = new AtomicLongArray(keys * BUCKETS);
    }

    /**
     * Counts one answered request; called by the event loop that answered it.
     *
     * @param apiKey the request's API key.
     * @param nanos  from decoding the request to writing its answer.
     * @param failed whether it was answered with an error: the whole request failed, or its answer
     *               carries an error code for any of its entries.
     */
    public void record(final short apiKey, final long nanos, final boolean failed)
    {
        if (apiKey < 0 || apiKey >= keys)
        {
            return;
        }
        requests.incrementAndGet(apiKey);
        if (failed)
        {
            errors.incrementAndGet(apiKey);
        }
        latencyNanos.addAndGet(apiKey, nanos);
        int bucket = 0;
        while (bucket < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[bucket])
        {
            bucket++;
        }
        buckets.incrementAndGet(apiKey * BUCKETS + bucket);
    }

    /**
     * @param apiKey an API key.
     * @return requests of that API answered so far.
     */
    public long requests(final short apiKey)
    {
        return apiKey < 0 || apiKey >= keys ? 0 : requests.get(apiKey);
    }

    /**
     * @param apiKey   an API key.
     * @param quantile between 0 and 1.
     * @return the upper bound, in seconds, of the latency bucket holding that quantile of the
     *         API's requests; 0 before any request, infinity if it is in the last bucket.
     */
    public double latencyQuantileSeconds(final short apiKey, final double quantile)
    {
        final long total = requests(apiKey);
        if (total == 0)
        {
            return 0;
        }
        final long rank = (long)Math.ceil(quantile * total);
        long seen = 0;
        for (int bucket = 0; bucket < BOUNDS_NANOS.length; bucket++)
        {
            seen += buckets.get(apiKey * BUCKETS + bucket);
            if (seen >= rank)
            {
                return BOUNDS_NANOS[bucket] / NANOS_PER_SECOND;
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /**
     * @param apiKey an API key.
     * @return requests of that API answered with an error for the whole request.
     */
    public long errors(final short apiKey)
    {
        return apiKey < 0 || apiKey >= keys ? 0 : errors.get(apiKey);
    }

    /**
     * @return the APIs that have been asked at least once, by key.
     */
    public List<ApiKeys> used()
    {
        final List<ApiKeys> used = new ArrayList<>();
        for (final ApiKeys key : ApiKeys.values())
        {
            if (requests.get(key.id) > 0)
            {
                used.add(key);
            }
        }
        return used;
    }

    @Override
    public MetricSnapshots collect()
    {
        final CounterSnapshot.Builder counts = CounterSnapshot.builder().name("tidemark_kafka_requests")
            .help("Kafka API requests answered, by API");
        final CounterSnapshot.Builder failures = CounterSnapshot.builder().name("tidemark_kafka_request_errors")
            .help("Kafka API requests answered with an error, at the top or for any topic, partition or group in the answer, by API");
        final HistogramSnapshot.Builder latency = HistogramSnapshot.builder().name("tidemark_kafka_request_latency_seconds")
            .help("Time from decoding a Kafka API request to writing its answer, by API");
        final double[] bounds = new double[BUCKETS];
        for (int bucket = 0; bucket < BOUNDS_NANOS.length; bucket++)
        {
            bounds[bucket] = BOUNDS_NANOS[bucket] / NANOS_PER_SECOND;
        }
        bounds[BUCKETS - 1] = Double.POSITIVE_INFINITY;
        for (final ApiKeys key : used())
        {
            final Labels labels = Labels.of("api", key.name);
            counts.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(requests.get(key.id)).build());
            failures.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(errors.get(key.id)).build());
            final long[] inBucket = new long[BUCKETS];
            for (int bucket = 0; bucket < BUCKETS; bucket++)
            {
                inBucket[bucket] = buckets.get(key.id * BUCKETS + bucket);
            }
            latency.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(labels)
                .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, inBucket)).sum(latencyNanos.get(key.id) / NANOS_PER_SECOND).build());
        }
        return MetricSnapshots.of(counts.build(), failures.build(), latency.build());
    }
}
