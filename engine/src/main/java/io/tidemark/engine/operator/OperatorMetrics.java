package io.tidemark.engine.operator;

import io.tidemark.engine.time.Watermark;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What one operator subtask reports while it runs: its current input watermark, whether its
 * input is idle, how many records it took in and sent on, the newest event time it took in,
 * what became of late and out-of-range records, and how its task spent its time (busy or
 * waiting for room downstream, shared by the operators of one chain). Written only by the task thread, readable from any thread (the dashboard, tests).
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
    private static final VarHandle RECORDS_OUT;
    private static final VarHandle NEWEST_EVENT_TIME;
    private static final VarHandle LATE_WINDOWS_MISSED;
    private static final VarHandle BUSY_NANOS;
    private static final VarHandle BACKPRESSURED_NANOS;

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
            RECORDS_OUT = lookup.findVarHandle(OperatorMetrics.class, "recordsOut", long.class);
            NEWEST_EVENT_TIME = lookup.findVarHandle(OperatorMetrics.class, "newestEventTime", long.class);
            LATE_WINDOWS_MISSED = lookup.findVarHandle(OperatorMetrics.class, "lateWindowsMissed", long.class);
            BUSY_NANOS = lookup.findVarHandle(OperatorMetrics.class, "busyNanos", long.class);
            BACKPRESSURED_NANOS = lookup.findVarHandle(OperatorMetrics.class, "backpressuredNanos", long.class);
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
    private long recordsOut;
    private long newestEventTime = Watermark.NONE;
    private long lateWindowsMissed;
    private long busyNanos;
    private long backpressuredNanos;

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
     * @return records sent on, to the main and side outputs.
     */
    public long recordsOut()
    {
        return (long)RECORDS_OUT.getOpaque(this);
    }

    /**
     * @return the largest timestamp of the records received, {@link Watermark#NONE} before
     * the first: what the watermark trails.
     */
    public long newestEventTime()
    {
        return (long)NEWEST_EVENT_TIME.getOpaque(this);
    }

    /**
     * @return windows that records missed because those windows had fired already, counted
     * only for records that were on time for another of their windows (hopping windows): the
     * record itself is not late, but each of these windows' results lacks it.
     */
    public long lateWindowsMissed()
    {
        return (long)LATE_WINDOWS_MISSED.getOpaque(this);
    }

    /**
     * @return nanoseconds the subtask's task spent processing, not counting the waits for
     * room downstream; the same for every operator of a chain.
     */
    public long busyNanos()
    {
        return (long)BUSY_NANOS.getOpaque(this);
    }

    /**
     * @return nanoseconds the subtask's task waited for room in a full channel downstream.
     */
    public long backpressuredNanos()
    {
        return (long)BACKPRESSURED_NANOS.getOpaque(this);
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

    /**
     * Counts a record received and keeps the newest event time; called by the engine on the
     * way in.
     *
     * @param timestamp the record's timestamp.
     */
    public void recordIn(final long timestamp)
    {
        RECORDS_IN.setOpaque(this, recordsIn + 1);
        if (timestamp > newestEventTime)
        {
            NEWEST_EVENT_TIME.setOpaque(this, timestamp);
        }
    }

    /** Counts a record sent on; called by the engine on the way out. */
    public void recordOut()
    {
        RECORDS_OUT.setOpaque(this, recordsOut + 1);
    }

    /**
     * Counts the windows an on-time record missed because they had fired.
     *
     * @param windows how many.
     */
    public void lateWindowsMissed(final long windows)
    {
        LATE_WINDOWS_MISSED.setOpaque(this, lateWindowsMissed + windows);
    }

    /**
     * Records how the subtask's task has spent its time so far; called by the task between
     * batches.
     *
     * @param busy          nanoseconds processing, not counting backpressure.
     * @param backpressured nanoseconds waiting for room downstream.
     */
    public void taskTime(final long busy, final long backpressured)
    {
        BUSY_NANOS.setOpaque(this, busy);
        BACKPRESSURED_NANOS.setOpaque(this, backpressured);
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
