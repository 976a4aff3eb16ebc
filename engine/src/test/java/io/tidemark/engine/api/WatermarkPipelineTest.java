package io.tidemark.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.sink.CollectSink;
import io.tidemark.engine.source.GeneratorSource;
import io.tidemark.engine.task.JobHandle;
import io.tidemark.engine.testing.Poll;
import io.tidemark.engine.time.ManualClock;
import io.tidemark.engine.time.Watermark;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.engine.window.WindowResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The watermark problems users of stream processors report most, end to end. Processing
 * time is a manual clock, so periodic watermarks and idleness happen exactly when the test
 * moves it.
 */
class WatermarkPipelineTest
{
    private static final long HOUR = Duration.ofHours(1).toMillis();

    private final ManualClock clock = new ManualClock(0);
    private final ControlledSource<Click> source = new ControlledSource<>(2);
    private final CollectSink<WindowResult<String, Long>> counts = new CollectSink<>();
    private final CollectSink<Click> late = new CollectSink<>();

    private JobHandle start(final WatermarkStrategy<Click> strategy)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setClock(clock);
        final OutputTag<Click> lateTag = new OutputTag<>("late");
        final DataStream<WindowResult<String, Long>> windowed = env.fromSource(source, strategy.withTimestampAssigner((c, ts) -> c.time()), "clicks")
            .keyBy(Click::user)
            .window(TumblingEventTimeWindows.of(Duration.ofSeconds(10)))
            .sideOutputLateData(lateTag)
            .aggregate(AggregateFunctions.<Click>count())
            .name("counts");
        windowed.sinkTo(counts);
        windowed.getSideOutput(lateTag).sinkTo(late);
        return env.executeAsync("watermarks");
    }

    private void feedAnnFrom1To25Seconds()
    {
        for (long t = 1_000; t <= 25_000; t += 1_000)
        {
            source.feed(0, new Click("ann", t));
        }
    }

    private void tick()
    {
        clock.advance(200);
    }

    @Test
    void aSlowSplitHoldsTheWatermarkBackUntilItProgresses()
    {
        final JobHandle job = start(WatermarkStrategy.forMonotonousTimestamps());
        feedAnnFrom1To25Seconds();
        Poll.until("split 0's records reach the window", () -> job.metrics("counts", 0).recordsIn() == 25);
        clock.advance(HOUR);
        assertEquals(Watermark.NONE, job.watermark("counts", 0), "split 1 has said nothing, and idleness is not set: event time stands still");

        // Had split 0 been allowed to move event time alone, it would be at 24 999 by now and
        // could never come back to 4 999.
        source.feed(1, new Click("bob", 5_000));
        Poll.until("split 1 moves the watermark to its own", () -> job.watermark("counts", 0) == 4_999, this::tick);
        assertEquals(List.of(), counts.results(), "split 1 holds the minimum below the end of [0, 10 s)");

        source.feed(1, new Click("bob", 30_000));
        Poll.until("split 0 is now the slower one", () -> job.watermark("counts", 0) == 24_999, this::tick);
        Poll.until("[0, 10 s) and [10 s, 20 s) fire", () -> counts.size() == 3);

        source.end(0);
        source.end(1);
        job.awaitTermination();
        assertEquals(List.of(
            new WindowResult<>("ann", 0L, 10_000L, 9L, false),
            new WindowResult<>("ann", 10_000L, 20_000L, 10L, false),
            new WindowResult<>("ann", 20_000L, 30_000L, 6L, false),
            new WindowResult<>("bob", 0L, 10_000L, 1L, false),
            new WindowResult<>("bob", 30_000L, 40_000L, 1L, false)), sorted(counts.results()));
        assertEquals(List.of(), late.results());
    }

    @Test
    void anIdleSplitStopsHoldingTheWatermarkAndRejoinsWhenItResumes()
    {
        final JobHandle job = start(WatermarkStrategy.<Click>forMonotonousTimestamps().withIdleness(Duration.ofHours(1)));
        feedAnnFrom1To25Seconds();
        Poll.until("split 0's records reach the window", () -> job.metrics("counts", 0).recordsIn() == 25);
        clock.advance(HOUR);
        Poll.until("split 1 is declared idle and the windows split 0 completed fire", () -> counts.size() == 2, this::tick);
        assertEquals(24_999, job.watermark("counts", 0));

        // Split 1 resumes with an old event: it is late, and goes where the policy says.
        source.feed(1, new Click("bob", 3_000));
        Poll.until("the late event reaches the side output", () -> late.size() == 1);
        assertEquals(List.of(new Click("bob", 3_000)), late.results());

        // Split 1 takes part in the minimum again: split 0 racing ahead does not move
        // event time past split 1.
        source.feed(0, new Click("ann", 40_000));
        source.feed(1, new Click("bob", 35_000));
        Poll.until("the source's watermark moves", () -> job.metrics("clicks", 0).watermark() > 24_999, this::tick);
        assertEquals(34_999, job.metrics("clicks", 0).watermark(), "the minimum of split 0 (39 999) and split 1 (34 999)");
        Poll.until("the operator follows", () -> job.watermark("counts", 0) == 34_999);

        source.end(0);
        source.end(1);
        job.awaitTermination();
        assertEquals(1, job.metrics("counts", 0).lateRecordsToSideOutput());
        assertEquals(0, job.metrics("counts", 0).lateRecordsDropped());
        assertEquals(25 + 1 + 1, counts.results().stream().mapToLong(WindowResult::value).sum(), "every on-time event is counted once");
    }

    @Test
    void aSourceSubtaskWithoutSplitsIsIdleFromTheStartAndNeverSendsTheFinalWatermark()
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2)
            .setAutoWatermarkInterval(Duration.ofMillis(5));
        env.fromSource(GeneratorSource.of(Long.MAX_VALUE, i -> i).withSplits(1),
                WatermarkStrategy.<Long>forMonotonousTimestamps().withTimestampAssigner((x, ts) -> x), "numbers")
            .keyBy(x -> x % 10)
            .window(TumblingEventTimeWindows.of(Duration.ofSeconds(1)))
            .aggregate(AggregateFunctions.<Long>count())
            .name("counts")
            .sinkTo((subtask, parallelism) -> (value, timestamp) -> { });
        final JobHandle job = env.executeAsync("unbounded");
        Poll.until("event time advances on both window subtasks",
            () -> job.watermark("counts", 0) > 100_000 && job.watermark("counts", 1) > 100_000);
        assertTrue(job.metrics("numbers", 1).idle(), "subtask 1 owns no split");
        assertEquals(Watermark.NONE, job.watermark("numbers", 1));
        assertTrue(job.watermark("counts", 0) < Watermark.END);
        job.cancel();
        assertTrue(job.awaitTermination(Duration.ofSeconds(10)));
        assertTrue(job.isDone());
    }

    private static List<WindowResult<String, Long>> sorted(final List<WindowResult<String, Long>> results)
    {
        final List<WindowResult<String, Long>> copy = new ArrayList<>(results);
        copy.sort(Comparator.comparing(WindowResult<String, Long>::key).thenComparingLong(WindowResult::windowStart));
        return copy;
    }
}
