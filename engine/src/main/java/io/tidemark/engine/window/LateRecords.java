package io.tidemark.engine.window;

import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.operator.Output;

/**
 * When an event-time window takes a record behind the watermark, and what becomes of a
 * record none of its windows takes: the one place every window operator (the general
 * {@link WindowOperator} and the array-backed ones) decides lateness and counts the fates.
 *
 * <p>A window ending at {@code maxTimestamp} takes records while the watermark is below
 * {@code maxTimestamp + allowedLateness}, firing again at once for each that arrives after
 * its on-time firing, as the default event-time trigger does; under
 * {@link LateDataPolicy.Kind#LATE_UPDATE} it then takes records as late updates until its
 * cleanup time, the late-update retention later. The sums saturate at {@link Long#MAX_VALUE}.
 */
final class LateRecords
{
    /** What a window does with a record, by the watermark at its arrival. */
    enum Fate
    {
        /** The window has not fired: the record joins it. */
        ON_TIME,
        /** The window has fired, but is within the allowed lateness: it takes the record and fires again. */
        FIRES_LATE,
        /** Past the allowed lateness, within the late-update retention: the record updates the window's result. */
        UPDATES,
        /** The window has been discarded, or is past the allowed lateness without late updates. */
        MISSED
    }

    private final long allowedLateness;
    private final LateDataPolicy policy;
    private final long retention;
    private final long sessionGrace;

    /**
     * @param allowedLateness how long after a window's end it takes records; not negative.
     * @param policy          what becomes of a record no window takes.
     * @param mergeAtEnd      whether the windows are sessions that merge after they fired
     *                        (their function can withdraw a fired result), kept one
     *                        millisecond longer so that a record at a session's end, the
     *                        oldest one still taken then, merges with it rather than opening
     *                        a session beside it. Other sessions are final, as in Flink, once
     *                        the watermark reaches their end plus the allowed lateness.
     */
    LateRecords(final long allowedLateness, final LateDataPolicy policy, final boolean mergeAtEnd)
    {
        this.allowedLateness = allowedLateness;
        this.policy = policy;
        this.retention = policy.kind() == LateDataPolicy.Kind.LATE_UPDATE ? policy.retentionMillis() : 0;
        this.sessionGrace = mergeAtEnd ? 1 : 0;
    }

    /**
     * @param maxTimestamp the window's last timestamp.
     * @param watermark    the watermark.
     * @return what the window does with a record that arrives now.
     */
    Fate fate(final long maxTimestamp, final long watermark)
    {
        if (maxTimestamp > watermark)
        {
            return Fate.ON_TIME;
        }
        if (saturatingAdd(maxTimestamp, allowedLateness) > watermark)
        {
            return Fate.FIRES_LATE;
        }
        return retention > 0 && cleanupTime(maxTimestamp) > watermark ? Fate.UPDATES : Fate.MISSED;
    }

    /**
     * @param maxTimestamp the window's last timestamp.
     * @return the watermark at which the window is discarded: no record can reach it then.
     */
    long cleanupTime(final long maxTimestamp)
    {
        return saturatingAdd(saturatingAdd(saturatingAdd(maxTimestamp, allowedLateness), retention), sessionGrace);
    }

    /**
     * Counts what became of a record: nothing for one a window took on time or within the
     * allowed lateness (but the windows it missed), a late update, or the late-data policy's
     * fate (side output or drop) for one that no window took.
     *
     * @param value     the record.
     * @param timestamp its timestamp.
     * @param accepted  whether a window took it on time or within the allowed lateness.
     * @param updated   whether a window took it as a late update.
     * @param missed    how many of its windows it missed.
     * @param output    the operator's output, for the side output.
     * @param metrics   the operator's metrics.
     * @param <T>       the record type.
     */
    <T> void settle(final T value, final long timestamp, final boolean accepted, final boolean updated, final int missed, final Output<?> output,
        final OperatorMetrics metrics)
    {
        if (accepted)
        {
            if (missed > 0)
            {
                metrics.lateWindowsMissed(missed);
            }
        }
        else if (updated)
        {
            metrics.lateRecordUpdated();
        }
        else
        {
            policy.handle(value, timestamp, output, metrics);
        }
    }

    /**
     * Refuses a record whose windows do not fit in a {@code long}, as
     * {@link LateDataPolicy#refuseOutOfRange} says.
     *
     * @param value     the record.
     * @param timestamp its timestamp.
     * @param output    the operator's output, for the side output.
     * @param metrics   the operator's metrics.
     * @param <T>       the record type.
     */
    <T> void refuseOutOfRange(final T value, final long timestamp, final Output<?> output, final OperatorMetrics metrics)
    {
        policy.refuseOutOfRange(value, timestamp, output, metrics);
    }

    /**
     * @return whether a record no window takes goes on to the side output, whose consumers
     * may keep it.
     */
    boolean emitsRecords()
    {
        return policy.kind() == LateDataPolicy.Kind.SIDE_OUTPUT;
    }

    /**
     * @param a a time.
     * @param b a non-negative duration.
     * @return {@code a + b}, or {@link Long#MAX_VALUE} where that overflows.
     */
    static long saturatingAdd(final long a, final long b)
    {
        final long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
