package io.tidemark.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.KeyedCoProcessFunction;
import io.tidemark.engine.sink.CollectSink;
import io.tidemark.engine.state.ValueState;
import io.tidemark.engine.state.ValueStateDescriptor;
import io.tidemark.engine.task.JobHandle;
import io.tidemark.engine.testing.Poll;
import io.tidemark.engine.time.Watermark;
import io.tidemark.engine.time.WatermarkStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A keyed two-input operator in a checkpointed job at parallelism 2: barriers aligned over
 * both inputs, its keyed state and timers restored after a failure, each record of either
 * input counted once.
 */
class TwoInputCheckpointTest
{
    /** Set by the test once checkpoints hold state: the next record fails the task, once. */
    private static final AtomicBoolean FAIL = new AtomicBoolean();

    /** Counts each id on each input; reports the counts when the final watermark fires the key's timer. */
    static final class CountBothSides extends KeyedCoProcessFunction<Long, Long, Long, String>
    {
        private static final long serialVersionUID = 1L;
        private static final ValueStateDescriptor<Long> FIRST = new ValueStateDescriptor<>("first");
        private static final ValueStateDescriptor<Long> SECOND = new ValueStateDescriptor<>("second");

        @Override
        public void processElement1(final Long id, final Context<Long, String> ctx, final Collector<String> out) throws Exception
        {
            count(ctx, FIRST);
        }

        @Override
        public void processElement2(final Long id, final Context<Long, String> ctx, final Collector<String> out) throws Exception
        {
            count(ctx, SECOND);
        }

        private static void count(final Context<Long, String> ctx, final ValueStateDescriptor<Long> side) throws Exception
        {
            if (FAIL.compareAndSet(true, false))
            {
                throw new IllegalStateException("the injected failure");
            }
            final ValueState<Long> count = ctx.getState(side);
            count.update(count.value() == null ? 1 : count.value() + 1);
            ctx.timerService().registerEventTimeTimer(Watermark.END - 1);
        }

        @Override
        public void onTimer(final long timestamp, final Context<Long, String> ctx, final Collector<String> out) throws Exception
        {
            out.collect(ctx.getCurrentKey() + "=" + ctx.getState(FIRST).value() + "/" + ctx.getState(SECOND).value());
        }
    }

    @Test
    void aFailedTwoInputTaskRestartsFromTheLastCheckpointAndCountsEachRecordOfEitherInputOnce()
    {
        final FeedSource first = new FeedSource(2, true);
        final FeedSource second = new FeedSource(2, true);
        final CollectSink<String> sink = new CollectSink<>();
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        env.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(30)));
        env.getConfig().restartStrategy(2, Duration.ZERO);
        env.fromSource(first, WatermarkStrategy.noWatermarks(), "first")
            .connect(env.fromSource(second, WatermarkStrategy.noWatermarks(), "second"))
            .keyBy(id -> id, id -> id)
            .process(new CountBothSides())
            .sinkTo(sink);
        final JobHandle job = env.executeAsync("two inputs");
        // A little more input on every poll, up to a bound that keeps the final timers few, and past it while the failure waits for a record.
        final Runnable feed = () ->
        {
            for (int split = 0; split < 2; split++)
            {
                if (FAIL.get() || first.fed(split).size() < 2_000)
                {
                    first.feed(split, 4);
                    second.feed(split, 4);
                }
            }
        };
        Poll.until("two completed checkpoints", () -> job.latestCheckpoint().map(c -> c.id() >= 2).orElse(false), feed);
        FAIL.set(true);
        Poll.until("the job to restart", () -> job.restarts() == 1, feed);
        final long restoredFrom = job.latestCheckpoint().orElseThrow().id();
        Poll.until("a checkpoint after the restart", () -> job.latestCheckpoint().orElseThrow().id() > restoredFrom, feed);
        for (int split = 0; split < 2; split++)
        {
            first.end(split);
            second.end(split);
        }
        job.awaitTermination();

        final List<String> expected = new ArrayList<>();
        for (int split = 0; split < 2; split++)
        {
            for (final long id : first.fed(split))
            {
                expected.add(id + "=1/1");
            }
        }
        final List<String> results = new ArrayList<>(sink.results());
        expected.sort(null);
        results.sort(null);
        assertEquals(expected, results, "both sources were fed the same ids; each counted once on each input");
        assertEquals(1, job.restarts());
    }
}
