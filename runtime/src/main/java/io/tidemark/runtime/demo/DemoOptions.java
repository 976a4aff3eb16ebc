package io.tidemark.runtime.demo;

import io.tidemark.runtime.LatePolicyOption;
import io.tidemark.runtime.TypedDuration;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code tidemark demo} runs.
 *
 * @param dataDir     the embedded data directory, or {@code null} for a temporary one that is
 *                    deleted afterwards.
 * @param duration    how long to generate, in wall time, as typed.
 * @param follow      whether to run until interrupted instead.
 * @param window      tumbling, hopping or session windows.
 * @param watermark   bounded or adaptive.
 * @param bound       the out-of-orderness bound (bounded), or the largest bound (adaptive), as
 *                    typed.
 * @param percentile  the adaptive strategy's percentile, in (0, 1).
 * @param late        the late-data policy.
 * @param speed       how many times faster event time runs than the wall clock.
 * @param users       how many users.
 * @param partitions  partitions of {@code page_views}.
 * @param seed        the generator's seed.
 * @param port        the Kafka listener's port on 127.0.0.1 (0 for any free one), or {@code null}
 *                    for {@value #DEFAULT_PORT}, or any free one if that is taken.
 * @param httpPort    the HTTP API's port on 127.0.0.1 (0 for any free one), or {@code null}
 *                    for {@value #DEFAULT_HTTP_PORT}, or any free one if that is taken.
 */
public record DemoOptions(
    Path dataDir, TypedDuration duration, boolean follow, WindowKind window, WatermarkKind watermark, TypedDuration bound, double percentile,
    LatePolicyOption late, double speed, int users, int partitions, long seed, Integer port, Integer httpPort)
{
    /** The Kafka listener's port unless told otherwise: Kafka's own. */
    public static final int DEFAULT_PORT = 9092;
    /** The HTTP API's port unless told otherwise: the server's. */
    public static final int DEFAULT_HTTP_PORT = 8081;

    /** Window shapes the demo can show. */
    public enum WindowKind
    {
        /** One-minute windows side by side. */
        TUMBLING,
        /** One-minute windows every 20 seconds, overlapping. */
        HOPPING,
        /** A user's views with gaps under 30 seconds. */
        SESSION
    }

    /** Watermark strategies the demo can show. */
    public enum WatermarkKind
    {
        /** A fixed out-of-orderness bound. */
        BOUNDED,
        /** A bound learnt from a percentile of observed lateness. */
        ADAPTIVE
    }

    /**
     * @return the options of a plain {@code tidemark demo}.
     */
    public static DemoOptions defaults()
    {
        return new DemoOptions(null, new TypedDuration(Duration.ofSeconds(60), "60s"), false, WindowKind.TUMBLING, WatermarkKind.BOUNDED,
            TypedDuration.of(Duration.ofSeconds(5)), 0.99,
            LatePolicyOption.UPDATE, 10, 1000, 4, 42, null, null);
    }
}
