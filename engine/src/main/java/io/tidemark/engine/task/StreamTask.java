package io.tidemark.engine.task;

import io.tidemark.engine.checkpoint.CheckpointBarrier;
import io.tidemark.engine.operator.ChainedInput;
import io.tidemark.engine.operator.OperatorException;
import io.tidemark.engine.operator.TwoInputEntrance;
import io.tidemark.engine.time.TwoInputWatermarkValve;
import io.tidemark.engine.time.Watermark;
import io.tidemark.engine.time.WatermarkValve;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * A task fed by channels: reads its input channels round robin, a batch from each, hands
 * records to the head operator (with the key computed upstream, on a keyed edge), and turns
 * the watermarks and idleness of all channels into the head's watermark through a
 * {@link WatermarkValve}. Ends when every channel has ended. Sleeps on a {@link Doorbell}
 * when there is no input.
 *
 * <p>A checkpoint's barrier is taken when every input that has not ended delivered it (an
 * ended input counts as delivered). Aligned (exactly once), an input that delivered the
 * barrier is not read again until then, so that the snapshot holds exactly the records before
 * the barrier on every input; unaligned (at least once), inputs go on being read, and the
 * snapshot may hold records that follow the barrier on the inputs that delivered it early.
 *
 * <p>A chain headed by a {@link io.tidemark.engine.operator.TwoInputOperator} reads two logical
 * inputs, each over its own channels: records go to the operator's first or second input by
 * their channel, the watermarks go through a {@link TwoInputWatermarkValve} (each input's
 * channels combined, then the two inputs), and barriers are aligned over the channels of both
 * inputs alike.
 */
final class StreamTask extends Task implements ChannelReader.Handler, Doorbell.Lendable
{
    /** The least a task spins for input before it sleeps: a few empty rounds. */
    static final long MIN_SPIN_NANOS = 1_000;
    /**
     * The most a task spins for input before it sleeps: about what a sleep and wake-up cost in
     * CPU on both sides (measured 15-20 µs in a VM), so that spinning never costs much more than
     * the wake-up it tries to save.
     */
    static final long MAX_SPIN_NANOS = 20_000;
    /**
     * Empty rounds spent yielding, after the spin, by a task that has just drained a full
     * batch: it was behind, so its producers are likely waiting for room, and a yield hands
     * them the core without a wake-up on either side.
     */
    static final int YIELD_ROUNDS_WHEN_BEHIND = 10;
    /**
     * A round run by a writer that takes longer than this costs more than a wake-up (as
     * {@link #MAX_SPIN_NANOS}): {@link #COSTLY_LENT_ROUNDS} of them in a row mean a consumer
     * with real work, which should run beside its producers rather than on their thread.
     */
    static final long MAX_LENT_NANOS = MAX_SPIN_NANOS;
    /**
     * Costly rounds in a row after which a writer wakes the task's own thread. More than one:
     * a round is timed by the wall clock, and a writer preempted in the middle of a cheap round
     * (milliseconds, on a loaded machine) would otherwise hand the task back to a thread that
     * must first get a core, while records wait.
     */
    static final int COSTLY_LENT_ROUNDS = 2;
    /** The longest sleep: processing-time timers have millisecond resolution. */
    static final long MAX_SLEEP_NANOS = 1_000_000;
    /** A route's bit for a channel of the second input. */
    private static final int SECOND = 2;
    /** A route's bit for a keyed channel into a keyed two-input operator. */
    private static final int KEYED = 1;

    private final ChannelReader[] inputs;
    private final Doorbell doorbell;
    private final BooleanSupplier hasInput = this::hasInput;
    private final IdleBackoff backoff = new IdleBackoff(MIN_SPIN_NANOS, MAX_SPIN_NANOS, YIELD_ROUNDS_WHEN_BEHIND);
    /** The valve of a one-input head, else {@code null}. */
    private final WatermarkValve valve;
    /** The valve of a two-input head, else {@code null}. */
    private final TwoInputWatermarkValve twoInputValve;
    private final ChainedInput<Object> head;
    private final TwoInputEntrance<Object, Object> twoInputHead;
    private final boolean keyed;
    /** For a two-input head, per channel: its input is the second ({@code 2}), keyed ({@code +1}). */
    private final byte[] routes;
    private final boolean[] ended;
    private final boolean aligned;
    /** Inputs that delivered the barrier being aligned; held back when aligned. */
    private final boolean[] delivered;
    private int endedCount;
    private int current;
    private CheckpointBarrier aligning;
    private long alignmentStartNanos;
    /** The newest checkpoint this task took or saw aborted: older barriers are stale. */
    private long lastCheckpoint;
    /** Whether the current round handed over a barrier; read by a round run by a writer. */
    private boolean barrierSeen;
    /** Rounds run by writers in a row that took longer than {@link #MAX_LENT_NANOS}. */
    private int costlyLentRounds;

    StreamTask(final String name, final OperatorChain chain, final ChannelReader[] inputs, final Doorbell doorbell, final JobControl control,
        final ExecutionConfig config, final TaskCheckpoints checkpoints)
    {
        super(name, chain, control, config, checkpoints);
        this.inputs = byInput(inputs);
        this.doorbell = doorbell;
        this.twoInputHead = chain.twoInputHead();
        if (twoInputHead == null)
        {
            this.head = chain.head();
            this.keyed = head.isKeyed();
            if (!head.operator().retainsInput())
            {
                // Each reader recycles only if its channel's writer copies: a channel fed by
                // reference still frees its slots.
                for (final ChannelReader reader : inputs)
                {
                    reader.recycleRecords();
                }
            }
            this.valve = new WatermarkValve(inputs.length, head);
            this.twoInputValve = null;
            this.routes = null;
        }
        else
        {
            this.head = null;
            this.keyed = false;
            this.valve = null;
            this.routes = new byte[inputs.length];
            int firstChannels = 0;
            for (int i = 0; i < inputs.length; i++)
            {
                final ChannelReader reader = this.inputs[i];
                firstChannels += reader.input() == 1 ? 1 : 0;
                routes[i] = (byte)((reader.input() == 2 ? SECOND : 0) + (reader.keyed() && twoInputHead.isKeyed() ? KEYED : 0));
            }
            this.twoInputValve = new TwoInputWatermarkValve(firstChannels, inputs.length - firstChannels, twoInputHead);
        }
        this.ended = new boolean[inputs.length];
        this.aligned = checkpoints.aligned;
        this.delivered = new boolean[inputs.length];
        if (config.handOff())
        {
            doorbell.lendTo(this);
        }
    }

    /** The channels of the first input, then those of the second, each in their order. */
    private static ChannelReader[] byInput(final ChannelReader[] readers)
    {
        final ChannelReader[] ordered = new ChannelReader[readers.length];
        int next = 0;
        for (int input = 1; input <= 2; input++)
        {
            for (final ChannelReader reader : readers)
            {
                if (reader.input() == input)
                {
                    ordered[next++] = reader;
                }
            }
        }
        return ordered;
    }

    @Override
    void process() throws Exception
    {
        while (endedCount < inputs.length)
        {
            afterBatch(round(false));
        }
    }

    /**
     * Reads a batch from each input that may be read.
     *
     * @param toBarrier whether to stop after the first barrier, as a round run by a writer does.
     * @return how many elements it handled.
     */
    private int round(final boolean toBarrier)
    {
        barrierSeen = false;
        int work = 0;
        for (int i = 0; i < inputs.length && !(toBarrier && barrierSeen); i++)
        {
            if (!ended[i] && !(aligned && delivered[i]))
            {
                current = i;
                work += inputs[i].drain(this, BATCH);
            }
        }
        return work;
    }

    /**
     * A round on a writer's thread while this task's own thread sleeps, then what the task does
     * between batches, then what it would do before sleeping again: publish what its outputs
     * hold back. The task's own thread takes over when the round found it behind (a full
     * batch), was costly twice in a row, or handed over a barrier. A failure here is this
     * task's, and fails the job.
     *
     * <p>The round ends at a barrier so that what follows a barrier is never handled on a
     * borrowed thread: that thread's own task may still be in the middle of its output, and a
     * task downstream that aligns may hold a channel until that output is done.
     */
    @Override
    public boolean runLent()
    {
        final long start = System.nanoTime();
        try
        {
            final int work = endedCount < inputs.length ? round(true) : 0;
            final long end = betweenBatches(work, start);
            chain.flush();
            costlyLentRounds = end - start > MAX_LENT_NANOS ? costlyLentRounds + 1 : 0;
            final boolean ownThread = work >= BATCH || costlyLentRounds >= COSTLY_LENT_ROUNDS || barrierSeen || endedCount == inputs.length;
            if (ownThread)
            {
                costlyLentRounds = 0;
            }
            return ownThread;
        }
        catch (final Throwable t)
        {
            // Cancelled, the job stops: this task's own thread unwinds it, and the writer's
            // task stops at its own next check, outside the operators that called the writer.
            failUnlessCancelled(t);
            return true;
        }
    }

    /**
     * Without input the task does what its {@link IdleBackoff} says: spin for as long as the
     * recent short gaps in its input, yield a few times if it was behind, then publish what its
     * outputs hold back and sleep until a writer of its inputs rings (or a millisecond passes,
     * for its timers).
     */
    @Override
    void idle(final int work, final long nowNanos)
    {
        if (work > 0)
        {
            backoff.onInput(nowNanos, work >= BATCH);
            return;
        }
        switch (backoff.onEmpty(nowNanos))
        {
            case SPIN:
                Thread.onSpinWait();
                break;
            case YIELD:
                Thread.yield();
                break;
            default:
                chain.flush();
                doorbell.sleep(MAX_SLEEP_NANOS, hasInput);
                break;
        }
    }

    @Override
    public boolean hasInput()
    {
        for (int i = 0; i < inputs.length; i++)
        {
            if (!ended[i] && !(aligned && delivered[i]) && inputs[i].hasInput())
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public void onRecord(final Object key, final Object value, final long timestamp)
    {
        if (twoInputHead != null)
        {
            if ((routes[current] & KEYED) != 0)
            {
                twoInputHead.setCurrentKey(key);
            }
            onTwoInputRecord(value, timestamp);
        }
        else if (keyed)
        {
            head.collectKeyed(key, value, timestamp);
        }
        else
        {
            head.collect(value, timestamp);
        }
    }

    @Override
    public void onLongKeyedRecord(final long key, final Object value, final long timestamp)
    {
        if (twoInputHead != null)
        {
            if ((routes[current] & KEYED) != 0)
            {
                twoInputHead.setCurrentLongKey(key);
            }
            onTwoInputRecord(value, timestamp);
        }
        else if (keyed)
        {
            head.collectLongKeyed(key, value, timestamp);
        }
        else
        {
            head.collect(value, timestamp);
        }
    }

    private void onTwoInputRecord(final Object value, final long timestamp)
    {
        if ((routes[current] & SECOND) == 0)
        {
            twoInputHead.collect1(value, timestamp);
        }
        else
        {
            twoInputHead.collect2(value, timestamp);
        }
    }

    @Override
    public void onWatermark(final long watermark)
    {
        if (valve != null)
        {
            valve.inputWatermark(current, watermark);
        }
        else
        {
            twoInputValve.inputWatermark(current, watermark);
        }
    }

    @Override
    public void onIdle(final boolean idle)
    {
        if (valve != null)
        {
            valve.inputIdle(current, idle);
        }
        else
        {
            twoInputValve.inputIdle(current, idle);
        }
    }

    @Override
    public void onBarrier(final CheckpointBarrier barrier)
    {
        barrierSeen = true;
        if (barrier.id() <= lastCheckpoint || aligning != null && barrier.id() < aligning.id())
        {
            // Of a checkpoint taken or dropped already.
            return;
        }
        if (aligning == null || barrier.id() > aligning.id())
        {
            // A newer barrier while aligning an older one: the older was aborted.
            releaseAlignment();
            aligning = barrier;
            alignmentStartNanos = System.nanoTime();
        }
        delivered[current] = true;
        completeAlignmentIfDone();
    }

    @Override
    public void onEndOfInput()
    {
        ended[current] = true;
        endedCount++;
        // A producer always sends END before it ends; this makes sure of it.
        onWatermark(Watermark.END);
        if (aligning != null)
        {
            completeAlignmentIfDone();
        }
    }

    @Override
    void checkpointAborted(final long checkpointId)
    {
        lastCheckpoint = Math.max(lastCheckpoint, checkpointId);
        if (aligning != null && aligning.id() <= checkpointId)
        {
            releaseAlignment();
        }
    }

    private void completeAlignmentIfDone()
    {
        for (int i = 0; i < inputs.length; i++)
        {
            if (!delivered[i] && !ended[i])
            {
                return;
            }
        }
        final CheckpointBarrier barrier = aligning;
        final long alignmentNanos = aligned ? System.nanoTime() - alignmentStartNanos : 0;
        releaseAlignment();
        lastCheckpoint = barrier.id();
        try
        {
            checkpoint(barrier, alignmentNanos);
        }
        catch (final RuntimeException e)
        {
            throw e;
        }
        catch (final Exception e)
        {
            throw new OperatorException("checkpoint " + barrier.id() + " of " + name, e);
        }
    }

    private void releaseAlignment()
    {
        aligning = null;
        Arrays.fill(delivered, false);
    }
}
