package io.tidemark.examples;

import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.sink.CollectSink;
import io.tidemark.engine.source.CollectionSource;
import io.tidemark.engine.task.JobHandle;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.LateDataPolicy;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.engine.window.WindowResult;

import java.time.Duration;
import java.util.List;

/**
 * Late data three ways: the same stream, with one click that arrives after the watermark has
 * closed its minute, under each late-data policy. Drop: the click is lost but counted in the
 * operator's metrics. Dead letter: it goes to a side output (with {@code LogSink.deadLetters}
 * that is a topic) where it can be inspected or replayed. Late update: it joins its window,
 * which fires again with the revised count, marked as an update.
 */
public final class LateDataThreeWays
{
    private LateDataThreeWays()
    {
    }

    /**
     * What one policy produced.
     *
     * @param results     the window results.
     * @param deadLetters the late clicks sent to the side output.
     * @param dropped     the late clicks dropped.
     */
    public record Outcome(List<WindowResult<String, Long>> results, List<Click> deadLetters, long dropped)
    {
    }

    /**
     * @param clicks the events, in arrival order.
     * @param policy {@code "drop"}, {@code "dead-letter"} or {@code "update"}.
     * @return what came out.
     */
    public static Outcome run(final List<Click> clicks, final String policy)
    {
        final OutputTag<Click> late = new OutputTag<>("late clicks");
        final LateDataPolicy chosen = switch (policy)
        {
            case "drop" -> LateDataPolicy.drop();
            case "dead-letter" -> LateDataPolicy.sideOutput(late);
            case "update" -> LateDataPolicy.lateUpdate(Duration.ofMinutes(10));
            default -> throw new IllegalArgumentException("unknown policy '" + policy + "': use drop, dead-letter or update");
        };
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(1)
            .setAutoWatermarkInterval(Duration.ofMillis(1));
        final CollectSink<WindowResult<String, Long>> results = new CollectSink<>();
        final CollectSink<Click> deadLetters = new CollectSink<>();
        // Punctuated: a watermark after every click, so "late" does not depend on timing.
        final DataStream<WindowResult<String, Long>> counts = env.fromSource(CollectionSource.of(clicks),
                WatermarkStrategy.<Click>forPunctuated((click, ts) -> ts - 1).withTimestampAssigner((click, ts) -> click.time()), "clicks")
            .keyBy(Click::user)
            .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
            .lateDataPolicy(chosen)
            .aggregate(AggregateFunctions.<Click>count())
            .name("counts");
        counts.sinkTo(results);
        if (chosen.kind() == LateDataPolicy.Kind.SIDE_OUTPUT)
        {
            counts.getSideOutput(late).sinkTo(deadLetters);
        }
        final JobHandle job = env.execute("late data, " + policy);
        return new Outcome(results.results(), deadLetters.results(), job.metrics("counts", 0).lateRecordsDropped());
    }

    /**
     * @param args unused.
     */
    public static void main(final String[] args)
    {
        final List<Click> clicks = List.of(new Click("ann", 10_000, 1), new Click("ann", 70_000, 1), new Click("ann", 20_000, 1));
        for (final String policy : List.of("drop", "dead-letter", "update"))
        {
            System.out.println(policy + ": " + run(clicks, policy));
        }
    }
}
