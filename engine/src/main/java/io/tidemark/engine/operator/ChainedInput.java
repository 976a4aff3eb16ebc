package io.tidemark.engine.operator;

import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.time.WatermarkValve;

/**
 * The entrance of an operator: what the previous operator of a chain (or the task reading a
 * channel) calls. Counts records and records the watermark and idleness in the operator's
 * {@link OperatorMetrics} on the way in, so no operator has to, and turns a checked failure
 * into an {@link OperatorException} that names the operator.
 *
 * @param <IN> the operator's input type.
 */
public final class ChainedInput<IN> implements Output<IN>, WatermarkValve.Output
{
    private final OneInputOperator<IN, ?> operator;
    private final OperatorMetrics metrics;
    private final KeyedOperator keyed;

    /**
     * @param operator the operator to feed.
     * @param metrics  its metrics.
     */
    public ChainedInput(final OneInputOperator<IN, ?> operator, final OperatorMetrics metrics)
    {
        this.operator = operator;
        this.metrics = metrics;
        this.keyed = operator instanceof KeyedOperator k ? k : null;
    }

    /**
     * @return whether the operator needs the key of each record.
     */
    public boolean isKeyed()
    {
        return keyed != null;
    }

    /**
     * Feeds a record whose key was computed upstream.
     *
     * @param key       the record's key.
     * @param value     the record.
     * @param timestamp its timestamp.
     */
    public void collectKeyed(final Object key, final IN value, final long timestamp)
    {
        keyed.setCurrentKey(key);
        collect(value, timestamp);
    }

    /**
     * Feeds a record whose {@code long} key was computed upstream.
     *
     * @param key       the record's key.
     * @param value     the record.
     * @param timestamp its timestamp.
     */
    public void collectLongKeyed(final long key, final IN value, final long timestamp)
    {
        keyed.setCurrentLongKey(key);
        collect(value, timestamp);
    }

    @Override
    public void collect(final IN value, final long timestamp)
    {
        metrics.recordIn(timestamp);
        try
        {
            operator.processElement(value, timestamp);
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
    public <X> void collect(final OutputTag<X> tag, final X value, final long timestamp)
    {
        throw new UnsupportedOperationException("side outputs are routed before they reach an operator's input: " + tag);
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
     * @return the operator behind this entrance.
     */
    public OneInputOperator<IN, ?> operator()
    {
        return operator;
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
