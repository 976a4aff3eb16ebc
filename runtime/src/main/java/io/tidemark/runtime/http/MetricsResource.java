package io.tidemark.runtime.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tidemark.log.topic.LogManager;
import io.tidemark.runtime.jobs.JobManager;
import io.tidemark.runtime.metrics.FetchSessionMetrics;
import io.tidemark.runtime.metrics.JobMetrics;
import io.tidemark.runtime.metrics.KafkaRequestMetrics;
import io.tidemark.runtime.metrics.LogMetrics;

/**
 * {@code /metrics}: the server's registry in Prometheus's text format, and as JSON for
 * {@code GET /api/metrics}. Every figure is read
 * when scraped from the state the server keeps anyway (the engine's operator metrics, the
 * logs' offsets, the groups as the API describes them, the broker's request counters), so
 * nothing is kept twice and nothing on a hot path waits for a scrape. JVM and process figures
 * come from the Prometheus client's JVM instrumentation, registered on the first scrape: it
 * reads the JVM's management beans, whose loading would otherwise add a noticeable share to
 * the server's start (so its allocation counters count from the first scrape, as a counter
 * of a fresh process would).
 */
final class MetricsResource
{
    /** The text format's content type, version 0.0.4. */
    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private boolean jvmRegistered;

    /**
     * @param logs     the server's log.
     * @param groups   the API's groups resource.
     * @param jobs     the server's jobs, or null if it runs none.
     * @param requests the Kafka listener's request counters.
     * @param fetchSessions the broker's fetch session counters.
     * @param clock    the wall clock, epoch milliseconds.
     */
    MetricsResource(final LogManager logs, final GroupsResource groups, final JobManager jobs, final KafkaRequestMetrics requests,
        final FetchSessionMetrics fetchSessions, final LongSupplier clock)
    {
        registry.register(requests);
        registry.register(fetchSessions);
        registry.register(new LogMetrics(logs));
        registry.register(new GroupMetrics(groups));
        if (jobs != null)
        {
            registry.register(new JobMetrics(jobs::runs, clock));
        }
    }

    /**
     * @return every metric, in the text format.
     */
    byte[] scrape()
    {
        registerJvmMetrics();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try
        {
            writer.write(out, registry.scrape());
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write the metrics into memory", e);
        }
        return out.toByteArray();
    }

    /**
     * @return every metric, as JSON: the same scrape as {@link #scrape()}'s ({@link MetricsJson}).
     */
    ObjectNode json()
    {
        registerJvmMetrics();
        return MetricsJson.of(registry.scrape());
    }

    /** Registers the JVM's figures once, on the first scrape; scrapes may come from several threads. */
    private synchronized void registerJvmMetrics()
    {
        if (!jvmRegistered)
        {
            JvmMetrics.builder().register(registry);
            jvmRegistered = true;
        }
    }
}
