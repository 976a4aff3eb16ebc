package io.tidemark.runtime.demo;

import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.api.JobContext;
import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.api.StreamJob;
import io.tidemark.connector.log.LogSerializer;
import io.tidemark.connector.log.LogSink;
import io.tidemark.connector.log.LogSource;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.EventTimeSessionWindows;
import io.tidemark.engine.window.SlidingEventTimeWindows;
import io.tidemark.engine.window.TimeWindow;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.engine.window.WindowAssigner;
import io.tidemark.engine.window.WindowResult;
import io.tidemark.log.topic.LogManager;
import io.tidemark.runtime.LatePolicyOption;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The demo's job, built into the server as {@code demo}: page views per user (in the chosen
 * windows) and in total per event-time minute, read from {@value #TOPIC} with the chosen
 * watermark strategy and late-data policy. Results go to {@value #PER_USER_TOPIC} and
 * {@value #TOTALS_TOPIC} (one record per result, see {@link DemoResults}); late views under the
 * dead-letter policy go to {@value #DEAD_LETTER_TOPIC}. The topics other than the input are
 * made if missing.
 *
 * <p>Arguments, each {@code name=value} and all optional: {@code window=tumbling|hopping|session},
 * {@code watermark=bounded|adaptive}, {@code bound-ms=5000}, {@code percentile=0.99},
 * {@code late=drop|dead-letter|update}.
 */
public final class DemoJob implements StreamJob
{
    /** The topic the generator writes and the job reads. */
    static final String TOPIC = "page_views";
    /** Where late views go under the dead-letter policy. */
    static final String DEAD_LETTER_TOPIC = "page_views.dead-letter";
    /** The per-user window results. */
    static final String PER_USER_TOPIC = "page_views.per_user";
    /** The per-minute totals, in one partition so that a revision never overtakes the result it revises. */
    static final String TOTALS_TOPIC = "page_views.per_minute";
    /** The per-user window operator's name (its metrics carry the late counts). */
    static final String PER_USER = "views per user";
    /** The per-minute total operator's name. */
    static final String TOTAL = "views per minute";

    private static final Duration MINUTE = Duration.ofMinutes(1);
    /** Late updates are possible for this long after a window closes: longer than any outage. */
    private static final Duration RETENTION = Duration.ofMinutes(10);

    /**
     * What the job is told to show.
     *
     * @param window     the per-user windows.
     * @param watermark  the watermark strategy.
     * @param bound      the out-of-orderness bound (bounded), or the largest bound (adaptive).
     * @param percentile the adaptive strategy's percentile, in (0, 1).
     * @param late       the late-data policy.
     */
    record Settings(DemoOptions.WindowKind window, DemoOptions.WatermarkKind watermark, Duration bound, double percentile, LatePolicyOption late)
    {
        /** @return the job's arguments that ask for these settings. */
        List<String> args()
        {
            return List.of("window=" + window.name().toLowerCase(Locale.ROOT), "watermark=" + watermark.name().toLowerCase(Locale.ROOT),
                "bound-ms=" + bound.toMillis(), "percentile=" + percentile, "late=" + late.cliName());
        }

        /**
         * @param args the job's arguments.
         * @return the settings they ask for, the demo's defaults for those not given.
         * @throws IllegalArgumentException naming an argument that is not understood.
         */
        static Settings parse(final List<String> args)
        {
            final DemoOptions defaults = DemoOptions.defaults();
            DemoOptions.WindowKind window = defaults.window();
            DemoOptions.WatermarkKind watermark = defaults.watermark();
            Duration bound = defaults.bound().value();
            double percentile = defaults.percentile();
            LatePolicyOption late = defaults.late();
            for (final String arg : args)
            {
                final int equals = arg.indexOf('=');
                final String name = equals < 0 ? arg : arg.substring(0, equals);
                final String value = equals < 0 ? "" : arg.substring(equals + 1);
                try
                {
                    switch (name)
                    {
                        case "window" -> window = DemoOptions.WindowKind.valueOf(value.toUpperCase(Locale.ROOT));
                        case "watermark" -> watermark = DemoOptions.WatermarkKind.valueOf(value.toUpperCase(Locale.ROOT));
                        case "bound-ms" -> bound = Duration.ofMillis(Long.parseLong(value));
                        case "percentile" -> percentile = Double.parseDouble(value);
                        case "late" -> late = LatePolicyOption.parse(value);
                        default -> throw new IllegalArgumentException("unknown argument");
                    }
                }
                catch (final IllegalArgumentException e)
                {
                    throw new IllegalArgumentException("bad argument '" + arg + "': use window=tumbling|hopping|session, watermark=bounded|adaptive, "
                        + "bound-ms=N (0 or more), percentile=P (between 0 and 1) or late=drop|dead-letter|update");
                }
            }
            if (bound.isNegative() || !(percentile > 0 && percentile < 1))
            {
                throw new IllegalArgumentException("bound-ms must be 0 or more and percentile between 0 and 1, both excluded: " + args);
            }
            return new Settings(window, watermark, bound, percentile, late);
        }
    }

    @Override
    public void define(final JobContext context)
    {
        final Settings settings = Settings.parse(context.args());
        final LogManager logs = context.logs();
        if (!logs.listTopics().contains(TOPIC))
        {
            throw new IllegalArgumentException("no topic '" + TOPIC + "': the demo's generator writes it");
        }
        final int partitions = logs.partitions(TOPIC).size();
        logs.createTopicIfMissing(PER_USER_TOPIC, partitions, Map.of());
        logs.createTopicIfMissing(TOTALS_TOPIC, 1, Map.of());
        logs.createTopicIfMissing(DEAD_LETTER_TOPIC, 1, Map.of());

        final StreamExecutionEnvironment env = context.env();
        final DataStream<PageView> views = env.fromSource(
                LogSource.unbounded(logs, TOPIC, (key, value) -> new PageView(new String(key, UTF_8), new String(value, UTF_8))),
                watermarks(settings), TOPIC)
            .filter(view -> !view.isEndMarker());

        final OutputTag<PageView> late = new OutputTag<>("late views");
        final DataStream<WindowResult<String, Long>> perUser = views
            .keyBy(PageView::user)
            .window(assigner(settings.window()))
            .lateDataPolicy(settings.late().policy(late, RETENTION))
            .aggregate(AggregateFunctions.<PageView>count())
            .name(PER_USER);
        perUser.sinkTo(LogSink.to(logs, PER_USER_TOPIC, DemoResults.SERIALIZER));
        perUser.getSideOutput(late).sinkTo(LogSink.deadLetters(logs, DEAD_LETTER_TOPIC,
            LogSerializer.<PageView>keyed(view -> view.user().getBytes(UTF_8), view -> view.page().getBytes(UTF_8)), "late"));

        // The total is always per tumbling minute, whatever the per-user windows are, so that
        // every view is counted exactly once and the run can be checked against the generator.
        final OutputTag<PageView> lateForTotal = new OutputTag<>("late views, total");
        final DataStream<WindowResult<String, Long>> total = views
            .keyBy(view -> "all users")
            .window(TumblingEventTimeWindows.of(MINUTE))
            .lateDataPolicy(settings.late().policy(lateForTotal, RETENTION))
            .aggregate(AggregateFunctions.<PageView>count())
            .name(TOTAL)
            .setParallelism(1);
        total.sinkTo(LogSink.to(logs, TOTALS_TOPIC, DemoResults.SERIALIZER)).setParallelism(1);   // in order, into one partition
        total.getSideOutput(lateForTotal).sinkTo((subtask, parallelism) -> (view, timestamp) -> { }).setParallelism(1);
    }

    @Override
    public String description()
    {
        return "The demo's page views per user and per minute, from page_views to page_views.per_user and page_views.per_minute: "
            + "[window=tumbling|hopping|session] [watermark=bounded|adaptive] [bound-ms=5000] [percentile=0.99] [late=drop|dead-letter|update]";
    }

    static WindowAssigner<Object, TimeWindow> assigner(final DemoOptions.WindowKind kind)
    {
        return switch (kind)
        {
            case TUMBLING -> TumblingEventTimeWindows.of(MINUTE);
            case HOPPING -> SlidingEventTimeWindows.of(MINUTE, Duration.ofSeconds(20));
            case SESSION -> EventTimeSessionWindows.withGap(Duration.ofSeconds(30));
        };
    }

    private static WatermarkStrategy<PageView> watermarks(final Settings settings)
    {
        return switch (settings.watermark())
        {
            case BOUNDED -> WatermarkStrategy.forBoundedOutOfOrderness(settings.bound());
            case ADAPTIVE -> WatermarkStrategy.forAdaptiveLateness(settings.percentile(), Duration.ZERO, settings.bound());
        };
    }
}
