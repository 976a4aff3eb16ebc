package io.tidemark.engine.window;

import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.operator.Output;
import java.time.Duration;
import java.util.Objects;

/**
 * What a window operator does with a record that arrives behind the watermark by more than
 * the allowed lateness, when the window it belongs to has already been emitted and
 * discarded. (Records behind the watermark but within the allowed lateness still join their
 * window, which fires again; no policy is needed for them.) Every such record is accounted
 * for in the operator's metrics, none vanishes silently.
 *
 * <p>The policy also decides where records go that no window can hold because a window
 * they belong to would start before {@link Long#MIN_VALUE} or end after
 * {@link Long#MAX_VALUE}: to the side output under {@link Kind#SIDE_OUTPUT}, else dropped;
 * they are counted in {@code outOfRangeRecords}, never as late.
 */
public final class LateDataPolicy
{
    /** The three fates of a late record. */
    public enum Kind
    {
        /** Dropped, and counted in {@code lateRecordsDropped}. */
        DROP,
        /** Emitted unchanged on a side output (a dead-letter stream or topic). */
        SIDE_OUTPUT,
        /**
         * Added to its window, which fires again at once; the result is marked as an update
         * of the earlier one, so an upsert sink ends with the right value. The window's
         * contents are kept for {@code retention} beyond the allowed lateness to make this
         * possible; records later still are dropped and counted.
         */
        LATE_UPDATE
    }

    private static final LateDataPolicy DROP = new LateDataPolicy(Kind.DROP, null, 0);

    private final Kind kind;
    private final OutputTag<?> sideOutput;
    private final long retention;

    private LateDataPolicy(final Kind kind, final OutputTag<?> sideOutput, final long retention)
    {
        this.kind = kind;
        this.sideOutput = sideOutput;
        this.retention = retention;
    }

    /**
     * @return drop and count, the default.
     */
    public static LateDataPolicy drop()
    {
        return DROP;
    }

    /**
     * @param tag the side output late records go to; its type must be the window's input type.
     * @return send to a side output.
     */
    public static LateDataPolicy sideOutput(final OutputTag<?> tag)
    {
        return new LateDataPolicy(Kind.SIDE_OUTPUT, Objects.requireNonNull(tag, "tag"), 0);
    }

    /**
     * @param retention how long after the allowed lateness a window's contents are kept
     *                  for late updates; positive.
     * @return re-emit the revised window result, marked as an update.
     */
    public static LateDataPolicy lateUpdate(final Duration retention)
    {
        final long millis = retention.toMillis();
        if (millis <= 0)
        {
            throw new IllegalArgumentException("the late-update retention must be positive: " + retention);
        }
        return new LateDataPolicy(Kind.LATE_UPDATE, null, millis);
    }

    /**
     * @return which policy.
     */
    public Kind kind()
    {
        return kind;
    }

    /**
     * @return the side output for {@link Kind#SIDE_OUTPUT}, else {@code null}.
     */
    public OutputTag<?> sideOutput()
    {
        return sideOutput;
    }

    /**
     * @return the retention in milliseconds for {@link Kind#LATE_UPDATE}, else 0.
     */
    public long retentionMillis()
    {
        return retention;
    }

    /**
     * Does with a late record that updates no window what this policy says: sends it to the
     * side output or drops it, and counts it.
     *
     * @param value     the late record.
     * @param timestamp its timestamp.
     * @param output    the operator's output, for the side output.
     * @param metrics   the operator's metrics.
     * @param <T>       the record type.
     */
    public <T> void handle(final T value, final long timestamp, final Output<?> output, final OperatorMetrics metrics)
    {
        if (toSideOutput(value, timestamp, output))
        {
            metrics.lateRecordToSideOutput();
        }
        else
        {
            metrics.lateRecordDropped();
        }
    }

    /**
     * Refuses a record whose windows do not fit in the range of a {@code long}: sends it to
     * the side output if this policy has one (dropping it otherwise, also under
     * {@link Kind#LATE_UPDATE}: there is no window to update), and counts it as out of range,
     * not as late.
     *
     * @param value     the record.
     * @param timestamp its timestamp.
     * @param output    the operator's output, for the side output.
     * @param metrics   the operator's metrics.
     * @param <T>       the record type.
     */
    <T> void refuseOutOfRange(final T value, final long timestamp, final Output<?> output, final OperatorMetrics metrics)
    {
        toSideOutput(value, timestamp, output);
        metrics.outOfRangeRecord();
    }

    /** @return whether the record went to the side output, which only this policy's kind has. */
    @SuppressWarnings("unchecked")
    private <T> boolean toSideOutput(final T value, final long timestamp, final Output<?> output)
    {
        if (kind != Kind.SIDE_OUTPUT)
        {
            return false;
        }
        output.collect((OutputTag<T>)sideOutput, value, timestamp);
        return true;
    }

    @Override
    public String toString()
    {
        return switch (kind)
        {
            case DROP -> "drop";
            case SIDE_OUTPUT -> "side output " + sideOutput.id();
            case LATE_UPDATE -> "late update, retention " + retention + " ms";
        };
    }
}
