package io.tidemark.runtime.demo;

import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.connector.log.LogSerializer;
import io.tidemark.engine.connector.log.LogSink;
import io.tidemark.engine.connector.log.LogSource;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.task.JobHandle;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.EventTimeSessionWindows;
import io.tidemark.engine.window.SlidingEventTimeWindows;
import io.tidemark.engine.window.TimeWindow;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.engine.window.WindowAssigner;
import io.tidemark.engine.window.WindowResult;
import io.tidemark.log.topic.LogManager;

import java.time.Duration;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The demo's job: page views per user (in the chosen windows) and in total per event-time
 * minute, read from {@code page_views} with the chosen watermark strategy and late-data
 * policy. Late views under the dead-letter policy go to {@code page_views.dead-letter}.
 */
final class DemoJob
{
    /** The topic the generator writes and the job reads. */
    static final String TOPIC = "page_views";
    /** Where late views go under the dead-letter policy. */
    static final String DEAD_LETTER_TOPIC = "page_views.dead-letter";
    /** The per-user window operator's name (its metrics carry the late counts). */
    static final String PER_USER = "views per user";
    /** The per-minute total operator's name. */
    static final String TOTAL = "views per minute";
    /** The source's parallelism: partitions are shared among its subtasks. */
    static final int PARALLELISM = 2;

    private static final Duration MINUTE = Duration.ofMinutes(1);
    /** Late updates are possible for this long after a window closes: longer than any outage. */
    private static final Duration RETENTION = Duration.ofMinutes(10);

    private DemoJob()
    {
    }

    static JobHandle start(final LogManager logs, final DemoOptions options, final DemoConsole console)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(PARALLELISM);
        final DataStream<PageView> views = env.fromSource(
                LogSource.unbounded(logs, TOPIC, (key, value) -> new PageView(new String(key, UTF_8), new String(value, UTF_8))),
                watermarks(options), TOPIC)
            .filter(view -> !view.isEndMarker());

        final OutputTag<PageView> late = new OutputTag<>("late views");
        final DataStream<WindowResult<String, Long>> perUser = views
            .keyBy(PageView::user)
            .window(assigner(options.window()))
            .lateDataPolicy(options.late().policy(late, RETENTION))
            .aggregate(AggregateFunctions.<PageView>count())
            .name(PER_USER);
        perUser.sinkTo(console.perUserSink());
        perUser.getSideOutput(late).sinkTo(LogSink.deadLetters(logs, DEAD_LETTER_TOPIC,
            LogSerializer.<PageView>keyed(view -> view.user().getBytes(UTF_8), view -> view.page().getBytes(UTF_8)), "late"));

        // The total is always per tumbling minute, whatever the per-user windows are, so that
        // every view is counted exactly once and the run can be checked against the generator.
        final OutputTag<PageView> lateForTotal = new OutputTag<>("late views, total");
        final DataStream<WindowResult<String, Long>> total = views
            .keyBy(view -> "all users")
            .window(TumblingEventTimeWindows.of(MINUTE))
            .lateDataPolicy(options.late().policy(lateForTotal, RETENTION))
            .aggregate(AggregateFunctions.<PageView>count())
            .name(TOTAL)
            .setParallelism(1);
        total.sinkTo(console.totalSink()).setParallelism(1);   // in order: a revision never overtakes the result it revises
        total.getSideOutput(lateForTotal).sinkTo((subtask, parallelism) -> (view, timestamp) -> { }).setParallelism(1);
        return env.executeAsync("tidemark demo");
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

    private static WatermarkStrategy<PageView> watermarks(final DemoOptions options)
    {
        return switch (options.watermark())
        {
            case BOUNDED -> WatermarkStrategy.forBoundedOutOfOrderness(options.bound());
            case ADAPTIVE -> WatermarkStrategy.forAdaptiveLateness(options.percentile(), Duration.ZERO, options.bound());
        };
    }
}
