package io.tidemark.engine.checkpoint;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a job checkpoints: how often, how long a checkpoint may take, how long to pause between
 * two, how many completed checkpoints to keep, where, and with which
 * {@link DeliveryGuarantee}. At most one checkpoint is in flight at a time. Immutable: each
 * {@code with...} returns a copy.
 *
 * <pre>{@code
 * env.enableCheckpointing(CheckpointConfig.every(Duration.ofSeconds(1))
 *     .withGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
 *     .withDirectory(Path.of("data/checkpoints")));
 * }</pre>
 *
 * <p>A job given a directory that already holds a completed checkpoint resumes from the
 * latest one.
 *
 * @param interval            the time between two checkpoint triggers.
 * @param timeout             a checkpoint not complete after this long is aborted.
 * @param minPause            the least time from one checkpoint's end to the next trigger.
 * @param retained            how many completed checkpoints are kept on disk, at least 1.
 * @param directory           where checkpoints are written, or {@code null} to keep them in
 *                            memory only (the job survives task failures, not a restart).
 * @param guarantee           the delivery guarantee.
 * @param alignmentTimeout    how long an aligning task may hold inputs back before it
 *                            switches to an unaligned checkpoint; {@code null} never.
 */
public record CheckpointConfig(Duration interval, Duration timeout, Duration minPause, int retained, Path directory, DeliveryGuarantee guarantee,
                               Duration alignmentTimeout)
{
    /** Completed checkpoints kept by default. */
    public static final int DEFAULT_RETAINED = 3;

    /**
     * @param interval         the time between two checkpoint triggers, positive.
     * @param timeout          positive.
     * @param minPause         not negative.
     * @param retained         at least 1.
     * @param directory        where to write, or {@code null}.
     * @param guarantee        the guarantee.
     * @param alignmentTimeout positive, or {@code null}.
     */
    public CheckpointConfig
    {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(minPause, "minPause");
        Objects.requireNonNull(guarantee, "guarantee");
        if (interval.isZero() || interval.isNegative())
        {
            throw new IllegalArgumentException("the checkpoint interval must be positive: " + interval);
        }
        if (timeout.isZero() || timeout.isNegative())
        {
            throw new IllegalArgumentException("the checkpoint timeout must be positive: " + timeout);
        }
        if (minPause.isNegative())
        {
            throw new IllegalArgumentException("the pause between checkpoints must not be negative: " + minPause);
        }
        if (retained < 1)
        {
            throw new IllegalArgumentException("at least one completed checkpoint must be kept: " + retained);
        }
        if (alignmentTimeout != null && (alignmentTimeout.isZero() || alignmentTimeout.isNegative()))
        {
            throw new IllegalArgumentException("the alignment timeout must be positive: " + alignmentTimeout);
        }
    }

    /**
     * @param interval the time between two checkpoint triggers.
     * @return exactly-once checkpoints at that interval, a timeout of 10 minutes, no pause, 3
     * kept, in memory only.
     */
    public static CheckpointConfig every(final Duration interval)
    {
        return new CheckpointConfig(interval, Duration.ofMinutes(10), Duration.ZERO, DEFAULT_RETAINED, null, DeliveryGuarantee.EXACTLY_ONCE, null);
    }

    /**
     * @param newGuarantee the guarantee.
     * @return a copy with it.
     */
    public CheckpointConfig withGuarantee(final DeliveryGuarantee newGuarantee)
    {
        return new CheckpointConfig(interval, timeout, minPause, retained, directory, newGuarantee, alignmentTimeout);
    }

    /**
     * @param newDirectory where checkpoints are written; a completed one found there is resumed.
     * @return a copy with it.
     */
    public CheckpointConfig withDirectory(final Path newDirectory)
    {
        return new CheckpointConfig(interval, timeout, minPause, retained, Objects.requireNonNull(newDirectory, "directory"), guarantee, alignmentTimeout);
    }

    /**
     * @param newTimeout how long a checkpoint may take before it is aborted.
     * @return a copy with it.
     */
    public CheckpointConfig withTimeout(final Duration newTimeout)
    {
        return new CheckpointConfig(interval, newTimeout, minPause, retained, directory, guarantee, alignmentTimeout);
    }

    /**
     * @param newMinPause the least time between one checkpoint's end and the next trigger.
     * @return a copy with it.
     */
    public CheckpointConfig withMinPause(final Duration newMinPause)
    {
        return new CheckpointConfig(interval, timeout, newMinPause, retained, directory, guarantee, alignmentTimeout);
    }

    /**
     * @param newRetained how many completed checkpoints to keep.
     * @return a copy with it.
     */
    public CheckpointConfig withRetained(final int newRetained)
    {
        return new CheckpointConfig(interval, timeout, minPause, newRetained, directory, guarantee, alignmentTimeout);
    }

    /**
     * @param newAlignmentTimeout how long to align before switching to an unaligned checkpoint.
     * @return a copy with it.
     */
    public CheckpointConfig withAlignmentTimeout(final Duration newAlignmentTimeout)
    {
        return new CheckpointConfig(interval, timeout, minPause, retained, directory, guarantee, newAlignmentTimeout);
    }
}
