package io.tidemark.engine.task;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A counter that one thread advances and another reads: a channel's head or tail. Padded
 * with seven longs on each side so that it owns its cache line: the producer's tail and the
 * consumer's head would otherwise share one, and every write by one thread would evict the
 * line from the other's cache (false sharing).
 */
final class Sequence extends SequenceRightPadding
{
    private static final VarHandle VALUE;

    static
    {
        try
        {
            VALUE = MethodHandles.lookup().findVarHandle(SequenceValue.class, "value", long.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * @return the value, with acquire semantics: what the writer wrote before its release is
     * visible after this read.
     */
    long getAcquire()
    {
        return (long)VALUE.getAcquire(this);
    }

    /**
     * @param value the new value, with release semantics: everything written before is
     *              visible to a reader that acquires this value.
     */
    void setRelease(final long value)
    {
        VALUE.setRelease(this, value);
    }
}

/** Padding before the value; the fields exist only to take space. */
abstract class SequenceLeftPadding
{
    long p01, p02, p03, p04, p05, p06, p07;
}

/** The value itself. */
abstract class SequenceValue extends SequenceLeftPadding
{
    long value;
}

/** Padding after the value. */
abstract class SequenceRightPadding extends SequenceValue
{
    long p11, p12, p13, p14, p15, p16, p17;
}
