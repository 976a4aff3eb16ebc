package io.tidemark.engine.operator;

import io.tidemark.engine.time.Watermark;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What one operator subtask reports while it runs: its current input watermark, whether its
 * input is idle, how many records it took in, and what became of late and out-of-range
 * records. Written only by the task thread, readable from any thread (the dashboard, tests).
 * A window operator accounts for every record it takes in exactly once: in a window result
 * (on time), or in one of {@link #lateRecordsUpdated()}, {@link #lateRecordsToSideOutput()},
 * {@link #lateRecordsDropped()} and {@link #outOfRangeRecords()}.
 *
 * <p>Writes are opaque stores, a plain {@code mov} on x86: no fence per record. A reader
 * sees each value whole and, soon enough, the latest; it may see two counters from slightly
 * different moments.
 */
public final class OperatorMetrics
{
    private static final VarHandle WATERMARK;
    private static final VarHandle IDLE;
    private static final VarHandle RECORDS_IN;
    private static final VarHandle LATE_DROPPED;
    private static final VarHandle LATE_SIDE_OUTPUT;
    private static final VarHandle LATE_UPDATES;
    private static final VarHandle OUT_OF_RANGE;
    private static final VarHandle FIRINGS;
    private static final VarHandle UPDATE_FIRINGS;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            WATERMARK = lookup.findVarHandle(OperatorMetrics.class, "watermark", long.class);
            IDLE = lookup.findVarHandle(OperatorMetrics.class, "idle", boolean.class);
            RECORDS_IN = lookup.findVarHandle(OperatorMetrics.class, "recordsIn", long.class);
            LATE_DROPPED = lookup.findVarHandle(OperatorMetrics.class, "lateRecordsDropped", long.class);
            LATE_SIDE_OUTPUT = lookup.findVarHandle(OperatorMetrics.class, "lateRecordsToSideOutput", long.class);
            LATE_UPDATES = lookup.findVarHandle(OperatorMetrics.class, "lateRecordsUpdated", long.class);
            OUT_OF_RANGE = lookup.findVarHandle(OperatorMetrics.class, "outOfRangeRecords", long.class);
            FIRINGS = lookup.findVarHandle(OperatorMetrics.class, "windowFirings", long.class);
            UPDATE_FIRINGS = lookup.findVarHandle(OperatorMetrics.class, "updateFirings", long.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String operatorName;
    private final int subtaskIndex;
    private long watermark = Watermark.NONE;
    private boolean idle;
    private long recordsIn;
    private long lateRecordsDropped;
    private long lateRecordsToSideOutput;
    private long lateRecordsUpdated;
    private long outOfRangeRecords;
    private long windowFirings;
    private long updateFirings;

    /**
     * @param operatorName the operator's name in the job.
     * @param subtaskIndex the subtask's index.
     */
    public OperatorMetrics(final String operatorName, final int subtaskIndex)
    {
        this.operatorName = operatorName;
        this.subtaskIndex = subtaskIndex;
    }

    /**
     * @return the operator's name.
     */
    public String operatorName()
    {
        return operatorName;
    }

    /**
     * @return the subtask's index.
     */
    public int subtaskIndex()
    {
        return subtaskIndex;
    }

    /**
     * @return the watermark the operator last received: its event-time clock.
     */
    public long watermark()
    {
        return (long)WATERMARK.getOpaque(this);
    }

    /**
     * @return whether every input of the operator is idle.
     */
    public boolean idle()
    {
        return (boolean)IDLE.getOpaque(this);
    }

    /**
     * @return records received.
     */
    public long recordsIn()
    {
        return (long)RECORDS_IN.getOpaque(this);
    }

    /**
     * @return late records dropped (policy DROP, or beyond a late update's retention).
     */
    public long lateRecordsDropped()
    {
        return (long)LATE_DROPPED.getOpaque(this);
    }

    /**
     * @return late records sent to the late-data side output.
     */
    public long lateRecordsToSideOutput()
    {
        return (long)LATE_SIDE_OUTPUT.getOpaque(this);
    }

    /**
     * @return late records that made a window fire again with a revised result.
     */
    public long lateRecordsUpdated()
    {
        return (long)LATE_UPDATES.getOpaque(this);
    }

    /**
     * @return records refused because a window they belong to would start before
     * {@link Long#MIN_VALUE} or end after {@link Long#MAX_VALUE}: timestamps within a window
     * size (or session gap) of the ends of time. Not counted as late: they went to the
     * late-data side output if the window has one, and were dropped otherwise.
     */
    public long outOfRangeRecords()
    {
        return (long)OUT_OF_RANGE.getOpaque(this);
    }

    /**
     * @return window results emitted.
     */
    public long windowFirings()
    {
        return (long)FIRINGS.getOpaque(this);
    }

    /**
     * @return window results emitted as updates of an earlier result.
     */
    public long updateFirings()
    {
        return (long)UPDATE_FIRINGS.getOpaque(this);
    }

    /**
     * Records the watermark the operator received; called by the engine on the way in.
     *
     * @param value the watermark.
     */
    public void watermark(final long value)
    {
        WATERMARK.setOpaque(this, value);
    }

    /**
     * Records the operator's input idleness; called by the engine on the way in.
     *
     * @param value whether every input is idle.
     */
    public void idle(final boolean value)
    {
        IDLE.setOpaque(this, value);
    }

    /** Counts a record received; called by the engine on the way in. */
    public void recordIn()
    {
        RECORDS_IN.setOpaque(this, recordsIn + 1);
    }

    /** Counts a late record dropped. */
    public void lateRecordDropped()
    {
        LATE_DROPPED.setOpaque(this, lateRecordsDropped + 1);
    }

    /** Counts a late record sent to the side output. */
    public void lateRecordToSideOutput()
    {
        LATE_SIDE_OUTPUT.setOpaque(this, lateRecordsToSideOutput + 1);
    }

    /** Counts a late record that caused a late update. */
    public void lateRecordUpdated()
    {
        LATE_UPDATES.setOpaque(this, lateRecordsUpdated + 1);
    }

    /** Counts a record refused because its windows do not fit in the range of a {@code long}. */
    public void outOfRangeRecord()
    {
        OUT_OF_RANGE.setOpaque(this, outOfRangeRecords + 1);
    }

    /**
     * Counts a window result.
     *
     * @param update whether it revises an earlier result.
     */
    public void windowFired(final boolean update)
    {
        FIRINGS.setOpaque(this, windowFirings + 1);
        if (update)
        {
            UPDATE_FIRINGS.setOpaque(this, updateFirings + 1);
        }
    }

    @Override
    public String toString()
    {
        return operatorName + "[" + subtaskIndex + "] watermark=" + Watermark.format(watermark()) + (idle() ? " idle" : "") + " in=" + recordsIn();
    }
}
