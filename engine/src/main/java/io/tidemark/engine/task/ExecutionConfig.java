package io.tidemark.engine.task;

import io.tidemark.engine.checkpoint.CheckpointConfig;
import java.nio.file.Path;

import io.tidemark.engine.state.KeyGroups;
import io.tidemark.engine.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * The settings of a job's execution. The knobs that trade latency for throughput are the
 * buffer timeout (how long a record may wait in a channel for its batch to fill) and the
 * channel batch size; the channel capacity bounds memory and sets how much a slow consumer
 * can fall behind before its producers block.
 */
public final class ExecutionConfig
{
    private int parallelism = 1;
    private int maxParallelism = KeyGroups.DEFAULT_MAX_PARALLELISM;
    private long bufferTimeoutNanos = Duration.ofMillis(10).toNanos();
    private int channelCapacity = 1024;
    private int channelBatchSize = 256;
    private long autoWatermarkIntervalMillis = 200;
    private Clock clock = Clock.SYSTEM;
    private Supplier<IdleStrategy> idleStrategies = () -> new BackoffIdleStrategy(10, 0, 1_000, 100_000);
    private CheckpointConfig checkpointConfig;
    private RestartStrategy restartStrategy = RestartStrategy.NONE;
    private Path restoreFrom;
    private Supplier<IdleStrategy> backpressureIdleStrategies = () -> new BackoffIdleStrategy(10, 10, 1_000, 100_000);
    private boolean handOff = true;
    private boolean objectReuse;

    /**
     * @return the default parallelism of every operator; 1 unless set.
     */
    public int parallelism()
    {
        return parallelism;
    }

    /**
     * @param parallelism the default parallelism, between 1 and the max parallelism.
     * @return this config.
     */
    public ExecutionConfig parallelism(final int parallelism)
    {
        if (parallelism < 1)
        {
            throw new IllegalArgumentException("parallelism must be positive: " + parallelism);
        }
        this.parallelism = parallelism;
        return this;
    }

    /**
     * @return the number of key groups; the upper bound of any keyed operator's parallelism.
     */
    public int maxParallelism()
    {
        return maxParallelism;
    }

    /**
     * @param maxParallelism the number of key groups, positive; fixed for the life of the
     *                       job's state.
     * @return this config.
     */
    public ExecutionConfig maxParallelism(final int maxParallelism)
    {
        if (maxParallelism < 1)
        {
            throw new IllegalArgumentException("max parallelism must be positive: " + maxParallelism);
        }
        this.maxParallelism = maxParallelism;
        return this;
    }

    /**
     * @return the longest a record waits in a channel before being published, in nanoseconds.
     */
    public long bufferTimeoutNanos()
    {
        return bufferTimeoutNanos;
    }

    /**
     * @param timeout the longest a record waits for its batch; zero publishes every record
     *                at once (lowest latency); 10 ms by default.
     * @return this config.
     */
    public ExecutionConfig bufferTimeout(final Duration timeout)
    {
        if (timeout.isNegative())
        {
            throw new IllegalArgumentException("the buffer timeout must not be negative: " + timeout);
        }
        this.bufferTimeoutNanos = timeout.toNanos();
        return this;
    }

    /**
     * @return the slots per channel.
     */
    public int channelCapacity()
    {
        return channelCapacity;
    }

    /**
     * @param capacity slots per channel, a power of two; 1024 by default.
     * @return this config.
     */
    public ExecutionConfig channelCapacity(final int capacity)
    {
        if (capacity < 2 || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("the channel capacity must be a power of two >= 2: " + capacity);
        }
        this.channelCapacity = capacity;
        return this;
    }

    /**
     * @return records published together.
     */
    public int channelBatchSize()
    {
        return channelBatchSize;
    }

    /**
     * @param batchSize records published together, positive; 256 by default (capped at
     *                  the capacity).
     * @return this config.
     */
    public ExecutionConfig channelBatchSize(final int batchSize)
    {
        if (batchSize < 1)
        {
            throw new IllegalArgumentException("the batch size must be positive: " + batchSize);
        }
        this.channelBatchSize = batchSize;
        return this;
    }

    /**
     * @return processing time between periodic watermark emits, in milliseconds.
     */
    public long autoWatermarkIntervalMillis()
    {
        return autoWatermarkIntervalMillis;
    }

    /**
     * @param interval processing time between periodic watermark emits, positive; 200 ms by
     *                 default.
     * @return this config.
     */
    public ExecutionConfig autoWatermarkInterval(final Duration interval)
    {
        if (interval.toMillis() < 1)
        {
            throw new IllegalArgumentException("the watermark interval must be at least 1 ms: " + interval);
        }
        this.autoWatermarkIntervalMillis = interval.toMillis();
        return this;
    }

    /**
     * @return the processing-time clock.
     */
    public Clock clock()
    {
        return clock;
    }

    /**
     * @param clock the processing-time clock: the system clock, or a manual one for
     *              deterministic tests and simulations.
     * @return this config.
     */
    public ExecutionConfig clock(final Clock clock)
    {
        this.clock = clock;
        return this;
    }

    /**
     * @return a new idle strategy for one task thread that found no input (a source).
     */
    public IdleStrategy newIdleStrategy()
    {
        return idleStrategies.get();
    }

    /**
     * @param idleStrategies makes the idle strategy of each task thread that found no input
     *                       (stream tasks sleep on their doorbell instead). The default spins
     *                       briefly, then parks for 1 µs up to 100 µs (at least the timer
     *                       slack, 50 µs on Linux); it does not yield, since a thread that
     *                       yields on a busy machine stays runnable and can wait out another
     *                       process's whole time slice.
     * @return this config.
     */
    public ExecutionConfig idleStrategy(final Supplier<IdleStrategy> idleStrategies)
    {
        this.idleStrategies = idleStrategies;
        return this;
    }

    /**
     * @return a new idle strategy for one channel writer waiting for room.
     */
    public IdleStrategy newBackpressureIdleStrategy()
    {
        return backpressureIdleStrategies.get();
    }

    /**
     * @param idleStrategies makes the idle strategy of each channel writer that found its ring
     *                       full. The default spins briefly, yields, then parks for 1 µs up to
     *                       100 µs: the writer waits for a consumer of the same job, and a
     *                       yield hands that consumer the core at once (without the yields, W1
     *                       lost a third of its throughput to parks and wake-ups).
     * @return this config.
     */
    public ExecutionConfig backpressureIdleStrategy(final Supplier<IdleStrategy> idleStrategies)
    {
        this.backpressureIdleStrategies = idleStrategies;
        return this;
    }

    /**
     * @return whether a writer that publishes to a sleeping stream task runs the task's next
     *         round on its own thread instead of waking it; true unless set off.
     */
    public boolean handOff()
    {
        return handOff;
    }

    /**
     * @param handOff whether a writer that publishes to a sleeping stream task runs the task's
     *                next round itself, on the writer's thread, instead of waking the task's
     *                thread: the records then do not wait for the sleeper to get a core, which
     *                on a busy machine can take another process's whole time slice (the
     *                latency workload's tail). On unless set off. A task is
     *                still run by one thread at a time, but not always by its own; turn this
     *                off for operators that depend on the identity of their thread (thread
     *                locals, thread-bound clients).
     * @return this config.
     */
    public ExecutionConfig handOff(final boolean handOff)
    {
        this.handOff = handOff;
        return this;
    }

    /**
     * @return whether the job's map and filter functions may be fed records that the engine
     *         recycles; off unless set.
     */
    public boolean objectReuse()
    {
        return objectReuse;
    }

    /**
     * @param objectReuse whether the job's map and filter functions keep nothing of their input
     *                    past the call except through what they return. When on, a map or a
     *                    filter whose consumers chained in its task keep nothing either (down to
     *                    a sink whose {@link io.tidemark.engine.sink.Sink#keepsRecords} is false)
     *                    takes the {@link io.tidemark.engine.functions.ReusableRecord}s its input
     *                    channel recycles, so that the hop allocates nothing; a function that
     *                    then keeps its input (in a field, a map of last values, a dedupe set)
     *                    sees it overwritten by later records. When off (the default), each such
     *                    function gets records of its own, which it may keep.
     * @return this config.
     */
    public ExecutionConfig objectReuse(final boolean objectReuse)
    {
        this.objectReuse = objectReuse;
        return this;
    }

    /**
     * @return the checkpoint settings, or {@code null} when the job does not checkpoint.
     */
    public CheckpointConfig checkpointConfig()
    {
        return checkpointConfig;
    }

    /**
     * @param checkpoints how the job checkpoints, or {@code null} for no checkpoints.
     * @return this.
     */
    public ExecutionConfig checkpointing(final CheckpointConfig checkpoints)
    {
        this.checkpointConfig = checkpoints;
        return this;
    }

    /**
     * @return when and how often a job whose task failed starts again; {@link RestartStrategy#NONE}
     * unless set.
     */
    public RestartStrategy restartStrategy()
    {
        return restartStrategy;
    }

    /**
     * A job whose task fails cancels every task and, while the strategy allows, waits its
     * delay and starts again: from its last completed checkpoint if it checkpoints, else from
     * the start of its input.
     *
     * @param strategy the restart strategy.
     * @return this.
     */
    public ExecutionConfig restartStrategy(final RestartStrategy strategy)
    {
        this.restartStrategy = Objects.requireNonNull(strategy, "strategy");
        return this;
    }

    /**
     * The same pause before each restart, at most {@code attempts} over the job's life.
     *
     * @param attempts restarts allowed, 0 or more.
     * @param delay    the pause before each.
     * @return this.
     */
    public ExecutionConfig restartStrategy(final int attempts, final Duration delay)
    {
        return restartStrategy(RestartStrategy.fixedDelay(attempts, delay));
    }

    /**
     * @return the checkpoint or savepoint directory the job starts from, or {@code null}.
     */
    public Path restoreFrom()
    {
        return restoreFrom;
    }

    /**
     * @param checkpointDirectory a completed checkpoint's or savepoint's directory to start
     *                            from, taking precedence over the latest checkpoint in the
     *                            checkpoint directory; {@code null} for none.
     * @return this.
     */
    public ExecutionConfig restoreFrom(final Path checkpointDirectory)
    {
        this.restoreFrom = checkpointDirectory;
        return this;
    }

    /**
     * @return an independent copy, so that a running job is not affected by later changes.
     */
    public ExecutionConfig copy()
    {
        final ExecutionConfig copy = new ExecutionConfig();
        copy.parallelism = parallelism;
        copy.maxParallelism = maxParallelism;
        copy.bufferTimeoutNanos = bufferTimeoutNanos;
        copy.channelCapacity = channelCapacity;
        copy.channelBatchSize = channelBatchSize;
        copy.autoWatermarkIntervalMillis = autoWatermarkIntervalMillis;
        copy.clock = clock;
        copy.idleStrategies = idleStrategies;
        copy.backpressureIdleStrategies = backpressureIdleStrategies;
        copy.checkpointConfig = checkpointConfig;
        copy.restartStrategy = restartStrategy;
        copy.restoreFrom = restoreFrom;
        copy.handOff = handOff;
        copy.objectReuse = objectReuse;
        return copy;
    }
}
