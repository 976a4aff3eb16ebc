package io.tidemark.engine.checkpoint;

import io.tidemark.engine.operator.AbstractOperator;
import io.tidemark.engine.state.KeyGroups;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Behind a keyed edge: counts records by key in state that it checkpoints and restores (only
 * its own key groups), tells the ledger its counts at each snapshot, and its final counts at
 * the end of input. Can fail once, to make the job restart.
 */
final class KeyedCounter extends AbstractOperator<Long, Long>
{
    private final Ledger ledger;
    private final int keys;
    private final Map<Long, Long> counts = new HashMap<>();

    /**
     * @param ledger where to report.
     * @param keys   records are keyed by id modulo this; 0 keys each record by its own id.
     */
    KeyedCounter(final Ledger ledger, final int keys)
    {
        this.ledger = ledger;
        this.keys = keys;
    }

    static long keyOf(final long id, final int keys)
    {
        return keys == 0 ? id : id % keys;
    }

    @Override
    public void processElement(final Long value, final long timestamp)
    {
        final long afterCheckpoint = ledger.failAfterCheckpoint;
        final long afterRecords = ledger.failAfterRecords;
        final boolean due = afterCheckpoint > 0 && ledger.completed.get() >= afterCheckpoint || afterRecords > 0 && ledger.processed.get() >= afterRecords;
        if (due && ledger.failed.compareAndSet(false, true))
        {
            throw new IllegalStateException("the injected failure");
        }
        counts.merge(keyOf(value, keys), 1L, Long::sum);
        ledger.seen.merge(value, 1, Integer::sum);
        ledger.processed.incrementAndGet();
    }

    @Override
    public void snapshotState(final DataOutput out) throws IOException
    {
        out.writeInt(counts.size());
        for (final Map.Entry<Long, Long> entry : counts.entrySet())
        {
            out.writeLong(entry.getKey());
            out.writeLong(entry.getValue());
        }
    }

    @Override
    public void restoreState(final DataInput in) throws IOException
    {
        final int size = in.readInt();
        for (int i = 0; i < size; i++)
        {
            final long key = in.readLong();
            final long count = in.readLong();
            if (context.keyGroupRange().contains(KeyGroups.keyGroupFor(key, context.maxParallelism())))
            {
                counts.merge(key, count, Long::sum);
            }
        }
    }

    @Override
    public OperatorSnapshot snapshot(final long checkpointId) throws Exception
    {
        ledger.downstream(checkpointId, counts);
        return super.snapshot(checkpointId);
    }

    @Override
    public void notifyCheckpointComplete(final long checkpointId)
    {
        ledger.completed.accumulateAndGet(checkpointId, Math::max);
    }

    @Override
    public void notifyCheckpointAborted(final long checkpointId)
    {
        ledger.aborted.incrementAndGet();
    }

    @Override
    public void endInput()
    {
        ledger.finals(counts);
    }
}
