package io.tidemark.engine.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.functions.MapFunction;
import io.tidemark.engine.sink.CollectSink;
import io.tidemark.engine.source.GeneratorSource;
import io.tidemark.engine.time.WatermarkStrategy;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Restart strategies: their delays, their limit in a row and its reset after a long enough
 * run, and a job without checkpoints, which starts over from the start of its input.
 */
class RestartStrategyTest
{
    private static final int RECORDS = 1_000;
    /** Failures still to throw, shared by every copy of the failing map (each run gets new copies). */
    private static final AtomicInteger FAILURES_LEFT = new AtomicInteger();

    @Test
    void delaysGrowByTheMultiplierUpToTheMaxDelay()
    {
        final RestartStrategy exponential = RestartStrategy.exponentialDelay(10, Duration.ofSeconds(1), 2, Duration.ofSeconds(5));
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofSeconds(5)),
            List.of(exponential.delayBefore(0), exponential.delayBefore(1), exponential.delayBefore(2), exponential.delayBefore(3), exponential.delayBefore(60)));
        final RestartStrategy fixed = RestartStrategy.fixedDelay(3, Duration.ofMillis(250));
        assertEquals(Duration.ofMillis(250), fixed.delayBefore(0));
        assertEquals(Duration.ofMillis(250), fixed.delayBefore(2));
        assertTrue(fixed.withResetAfter(Duration.ofMinutes(1)).resets(TimeUnit.MINUTES.toNanos(1)));
        assertFalse(fixed.resets(Long.MAX_VALUE), "without a reset time, restarts count for the job's whole life");
    }

    @Test
    void badStrategiesAreRefusedWithTheirReason()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RestartStrategy.fixedDelay(-1, Duration.ZERO)).getMessage().contains("-1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RestartStrategy.exponentialDelay(1, Duration.ofSeconds(1), 0.5, Duration.ofSeconds(2)))
            .getMessage().contains("multiplier"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RestartStrategy.exponentialDelay(1, Duration.ofSeconds(2), 2, Duration.ofSeconds(1)))
            .getMessage().contains("below the first"));
    }

    @Test
    void aJobWithoutCheckpointsRestartsFromTheStartOfItsInput()
    {
        FAILURES_LEFT.set(2);
        final CollectSink<Long> sink = new CollectSink<>();
        final JobHandle job = failingJob(sink, RestartStrategy.fixedDelay(2, Duration.ZERO), 0);
        job.awaitTermination();
        assertEquals(ExecutionState.FINISHED, job.state());
        assertEquals(2, job.restarts());
        assertTrue(job.lastFailure().getMessage().contains("failing on purpose"), job.lastFailure().getMessage());
        final List<Long> results = sink.results();
        assertEquals(RECORDS / 2 * 2 + RECORDS, results.size(), "two runs failed halfway, the third read everything from the start");
        assertEquals(3, Collections.frequency(results, 0L));
        assertEquals(1, Collections.frequency(results, RECORDS - 1L));
    }

    @Test
    void attemptsCountInARowAndAFailureAfterALongEnoughRunStartsANewSeries()
    {
        // One restart in a row, but each run lasts past the reset time: every failure starts a new series.
        FAILURES_LEFT.set(3);
        final JobHandle resetting = failingJob(new CollectSink<>(), RestartStrategy.fixedDelay(1, Duration.ZERO).withResetAfter(Duration.ofMillis(20)), 40);
        resetting.awaitTermination();
        assertEquals(ExecutionState.FINISHED, resetting.state());
        assertEquals(3, resetting.restarts());

        // Without the reset, the second failure in a row ends the job.
        FAILURES_LEFT.set(3);
        final JobHandle failing = failingJob(new CollectSink<>(), RestartStrategy.fixedDelay(1, Duration.ZERO), 40);
        assertThrows(JobExecutionException.class, failing::awaitTermination);
        assertEquals(ExecutionState.FAILED, failing.state());
        assertEquals(1, failing.restarts());
        assertTrue(failing.termination().toCompletableFuture().isDone());
    }

    /** Numbers through a map that, while failures are left, throws at the middle record after running at least {@code runMillis}. */
    private static JobHandle failingJob(final CollectSink<Long> sink, final RestartStrategy strategy, final long runMillis)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.getConfig().restartStrategy(strategy);
        env.fromSource(GeneratorSource.of(RECORDS, i -> i), WatermarkStrategy.noWatermarks(), "numbers")
            .map(new FailHalfway(runMillis))
            .sinkTo(sink);
        return env.executeAsync("restarts");
    }

    /** Throws at the middle record while failures are left, once its run has lasted {@code runMillis}. */
    private static final class FailHalfway implements MapFunction<Long, Long>
    {
        private static final long serialVersionUID = 1L;
        private final long runMillis;
        private long startedNanos;

        FailHalfway(final long runMillis)
        {
            this.runMillis = runMillis;
        }

        @Override
        public Long map(final Long value)
        {
            if (value == 0)
            {
                startedNanos = System.nanoTime();
            }
            if (value == RECORDS / 2 && FAILURES_LEFT.getAndUpdate(left -> Math.max(0, left - 1)) > 0)
            {
                final long until = startedNanos + TimeUnit.MILLISECONDS.toNanos(runMillis);
                while (System.nanoTime() < until)
                {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                throw new IllegalStateException("failing on purpose at " + value);
            }
            return value;
        }
    }
}
