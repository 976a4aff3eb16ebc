package io.tidemark.engine.operator;

import io.tidemark.engine.time.WatermarkValve;

/**
 * The entrance of a {@link TwoInputOperator}, the head of its task's chain: what the task
 * calls with a record of either input (with its key, on a keyed edge) and with the watermark
 * and idleness it combined over both. Counts records and records the watermark and idleness
 * in the operator's {@link OperatorMetrics}, as {@link ChainedInput} does for one input, and
 * turns a checked failure into an {@link OperatorException} that names the operator.
 *
 * @param <IN1> the first input's type.
 * @param <IN2> the second input's type.
 */
public final class TwoInputEntrance<IN1, IN2> implements WatermarkValve.Output
{
    private final TwoInputOperator<IN1, IN2, ?> operator;
    private final OperatorMetrics metrics;
    private final KeyedOperator keyed;

    /**
     * @param operator the operator to feed.
     * @param metrics  its metrics.
     */
    public TwoInputEntrance(final TwoInputOperator<IN1, IN2, ?> operator, final OperatorMetrics metrics)
    {
        this.operator = operator;
        this.metrics = metrics;
        this.keyed = operator instanceof KeyedOperator k ? k : null;
    }

    /**
     * @return whether the operator takes the key of each record of a keyed input.
     */
    public boolean isKeyed()
    {
        return keyed != null;
    }

    /**
     * Feeds a record of the first input whose key was computed upstream.
     *
     * @param key       the record's key.
     * @param value     the record.
     * @param timestamp its timestamp.
     */
    public void collectKeyed1(final Object key, final IN1 value, final long timestamp)
    {
        keyed.setCurrentKey(key);
        collect1(value, timestamp);
    }

    /**
     * Feeds a record of the second input whose key was computed upstream.
     *
     * @param key       the record's key.
     * @param value     the record.
     * @param timestamp its timestamp.
     */
    public void collectKeyed2(final Object key, final IN2 value, final long timestamp)
    {
        keyed.setCurrentKey(key);
        collect2(value, timestamp);
    }

    /**
     * Makes a record's key, computed upstream, the operator's current key; its record follows
     * through {@link #collect1} or {@link #collect2}.
     *
     * @param key the key.
     */
    public void setCurrentKey(final Object key)
    {
        keyed.setCurrentKey(key);
    }

    /**
     * Makes a record's {@code long} key, computed upstream, the operator's current key, by
     * value; its record follows through {@link #collect1} or {@link #collect2}.
     *
     * @param key the key.
     */
    public void setCurrentLongKey(final long key)
    {
        keyed.setCurrentLongKey(key);
    }

    /**
     * @param value     a record of the first input.
     * @param timestamp its timestamp.
     */
    public void collect1(final IN1 value, final long timestamp)
    {
        metrics.recordIn(timestamp);
        try
        {
            operator.processElement1(value, timestamp);
        }
        catch (final OperatorException e)
        {
            throw e;
        }
        catch (final Exception e)
        {
            throw new OperatorException(name(), e);
        }
    }

    /**
     * @param value     a record of the second input.
     * @param timestamp its timestamp.
     */
    public void collect2(final IN2 value, final long timestamp)
    {
        metrics.recordIn(timestamp);
        try
        {
            operator.processElement2(value, timestamp);
        }
        catch (final OperatorException e)
        {
            throw e;
        }
        catch (final Exception e)
        {
            throw new OperatorException(name(), e);
        }
    }

    /**
     * Holds back a watermark behind the operator's own: one it restored may be ahead of its
     * input's. One equal to it goes through (the operator has nothing left to fire for it)
     * because downstream, which started afresh, must hear it: above all {@code END}, when the
     * job resumes a checkpoint taken at its end.
     */
    @Override
    public void emitWatermark(final long watermark)
    {
        if (watermark < operator.currentWatermark())
        {
            return;
        }
        metrics.watermark(watermark);
        try
        {
            operator.processWatermark(watermark);
        }
        catch (final OperatorException e)
        {
            throw e;
        }
        catch (final Exception e)
        {
            throw new OperatorException(name(), e);
        }
    }

    @Override
    public void emitIdle(final boolean idle)
    {
        metrics.idle(idle);
        operator.processIdle(idle);
    }

    /**
     * @return its metrics.
     */
    public OperatorMetrics metrics()
    {
        return metrics;
    }

    private String name()
    {
        return metrics.operatorName() + "[" + metrics.subtaskIndex() + "]";
    }
}
