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
     * Does with a late record what this policy says, for the window operators that never
     * update a window late: sends it to the side output or drops it, and counts it.
     *
     * @param value     the late record.
     * @param timestamp its timestamp.
     * @param output    the operator's output, for the side output.
     * @param metrics   the operator's metrics.
     * @param <T>       the record type.
     */
    @SuppressWarnings("unchecked")
    <T> void handle(final T value, final long timestamp, final Output<?> output, final OperatorMetrics metrics)
    {
        if (kind == Kind.SIDE_OUTPUT)
        {
            output.collect((OutputTag<T>)sideOutput, value, timestamp);
            metrics.lateRecordToSideOutput();
        }
        else
        {
            metrics.lateRecordDropped();
        }
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
