package io.tidemark.engine.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.checkpoint.CheckpointConfig;
import io.tidemark.engine.checkpoint.CheckpointStats;
import io.tidemark.engine.checkpoint.DeliveryGuarantee;
import io.tidemark.engine.functions.CoFlatMapFunction;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.source.GeneratorSource;
import io.tidemark.engine.testing.Poll;
import io.tidemark.engine.time.WatermarkStrategy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Checkpoints of a job whose writers run sleeping tasks themselves (the hand-off), with
 * records flowing. The shape is the one where a lent round could hold a barrier back: a paced
 * source and a fast one feed two subtasks of a doubling operator, both of which feed one sink
 * task. The fast source's barrier reaches a doubler first, whose input from the fast source
 * is then held and fills; the paced source's barrier, written to the first doubler, completes
 * its alignment on the paced source's thread. Were that round to go on past the barrier, it
 * would double the held records into the channel to the sink, which holds that channel until
 * the second doubler's barrier arrives: a barrier the paced source had not yet written, its
 * thread being the one waiting for room. The same with a two-input doubler, whose barriers are
 * aligned over the channels of both inputs.
 */
class HandOffAlignmentTest
{
    /** A record of the paced source every this often: its consumers fall asleep between two. */
    private static final long PACE_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final int CHECKPOINTS = 5;

    private static long completed(final JobHandle job)
    {
        return job.checkpointStats().stream().filter(s -> s.status() == CheckpointStats.Status.COMPLETED).count();
    }

    /** A paced source and a fast one, each on its own thread, with the hand-off and checkpoints every 10 ms. */
    private static StreamExecutionEnvironment environment(final DeliveryGuarantee guarantee)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(1);
        env.getConfig().handOff(true).bufferTimeout(Duration.ZERO).channelCapacity(8);
        env.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(10)).withGuarantee(guarantee));
        return env;
    }

    private static DataStream<Long> paced(final StreamExecutionEnvironment env)
    {
        return env.fromSource(GeneratorSource.of(Long.MAX_VALUE, i ->
        {
            LockSupport.parkNanos(PACE_NANOS);
            return i;
        }), WatermarkStrategy.noWatermarks(), "paced");
    }

    private static DataStream<Long> fast(final StreamExecutionEnvironment env)
    {
        return env.fromSource(GeneratorSource.of(Long.MAX_VALUE, i -> i), WatermarkStrategy.noWatermarks(), "fast");
    }

    /** Runs the job until it has completed some checkpoints, with records through both doublers, then cancels it. */
    private static void assertCheckpointsComplete(final StreamExecutionEnvironment env, final DataStream<Long> doubled, final String name)
    {
        doubled.name("doubler").setParallelism(2)
            .rebalance()
            .filter(value -> value < 0).name("sink").setParallelism(1);
        final JobHandle job = env.executeAsync(name);
        try
        {
            Poll.until(CHECKPOINTS + " completed checkpoints", () -> completed(job) >= CHECKPOINTS);
            assertTrue(job.metrics("doubler", 0).recordsIn() > 0 && job.metrics("doubler", 1).recordsIn() > 0, "records flowed");
        }
        finally
        {
            job.cancel();
            job.awaitTermination(Duration.ofSeconds(20));
        }
        assertEquals(null, job.lastFailure());
    }

    @ParameterizedTest
    @EnumSource(value = DeliveryGuarantee.class, names = {"EXACTLY_ONCE", "AT_LEAST_ONCE"})
    void checkpointsCompleteWhileWritersRunTheirSleepingConsumers(final DeliveryGuarantee guarantee)
    {
        final StreamExecutionEnvironment env = environment(guarantee);
        // The paced source's channel comes first in each doubler's round, so that the round
        // which completes an alignment on the paced source's thread reaches the held channel.
        final DataStream<Long> doubled = paced(env).union(fast(env)).rebalance().flatMap((final Long value, final Collector<Long> out) ->
        {
            out.collect(value);
            out.collect(value);
        });
        assertCheckpointsComplete(env, doubled, "hand-off and " + guarantee);
    }

    @Test
    void alignedCheckpointsCompleteWhenTheDoublersHaveTwoInputs()
    {
        final StreamExecutionEnvironment env = environment(DeliveryGuarantee.EXACTLY_ONCE);
        final DataStream<Long> doubled = paced(env).rebalance().connect(fast(env).rebalance()).flatMap(new Doubling());
        assertCheckpointsComplete(env, doubled, "hand-off, two inputs");
    }

    /** Each record of either input twice. */
    private static final class Doubling implements CoFlatMapFunction<Long, Long, Long>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap1(final Long value, final Collector<Long> out)
        {
            out.collect(value);
            out.collect(value);
        }

        @Override
        public void flatMap2(final Long value, final Collector<Long> out)
        {
            out.collect(value);
            out.collect(value);
        }
    }
}
