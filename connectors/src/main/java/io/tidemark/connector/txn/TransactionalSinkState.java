package io.tidemark.connector.txn;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What one subtask of an exactly-once sink keeps in a checkpoint. The layout:
 * <pre>
 * magic int32 (the sink's: "TLS1" for the log sink, "TKS1" for the Kafka sink), checkpoint id int64, subtask int32, parallelism int32,
 * transactional ids created int32, pending count int32, per pending: { transactional id (modified UTF-8), producer id int64,
 * epoch int16, checkpoint id int64 }
 * </pre>
 *
 * @param checkpointId the checkpoint it belongs to.
 * @param subtask     the subtask that wrote it.
 * @param parallelism the sink's parallelism then.
 * @param idsCreated  how many transactional ids {@code <prefix>-<subtask>-<k>} the subtask had
 *                    made ({@code k} below this): a restored sink looks at all of them.
 * @param pending     the transactions pre-committed and not yet known to be committed, oldest
 *                    checkpoint first.
 */
public record TransactionalSinkState(long checkpointId, int subtask, int parallelism, int idsCreated, List<PendingTransaction> pending)
{
    /**
     * @param checkpointId the checkpoint it belongs to.
     * @param subtask      the subtask that wrote it.
     * @param parallelism  the sink's parallelism then.
     * @param idsCreated   how many transactional ids the subtask had made.
     * @param pending      the transactions pre-committed and not yet known to be committed.
     */
    public TransactionalSinkState
    {
        pending = List.copyOf(pending);
    }

    /**
     * Which sink's state: the first int of the layout, and the name errors use.
     *
     * @param magic the first int.
     * @param sink  the sink's name, such as "exactly-once log sink".
     */
    public record Kind(int magic, String sink)
    {
    }

    /**
     * @param out  where to write.
     * @param kind the sink's kind.
     * @throws IOException if writing fails.
     */
    public void write(final DataOutput out, final Kind kind) throws IOException
    {
        out.writeInt(kind.magic());
        out.writeLong(checkpointId);
        out.writeInt(subtask);
        out.writeInt(parallelism);
        out.writeInt(idsCreated);
        out.writeInt(pending.size());
        for (final PendingTransaction transaction : pending)
        {
            out.writeUTF(transaction.transactionalId());
            out.writeLong(transaction.producerId());
            out.writeShort(transaction.epoch());
            out.writeLong(transaction.checkpointId());
        }
    }

    /**
     * @param snapshots what {@link #write} wrote in each inherited subtask.
     * @param kind      the sink's kind.
     * @return the states, in the same order.
     * @throws IOException if a snapshot is not that sink's state, or cut short.
     */
    public static List<TransactionalSinkState> readAll(final List<DataInput> snapshots, final Kind kind) throws IOException
    {
        final List<TransactionalSinkState> states = new ArrayList<>(snapshots.size());
        for (final DataInput snapshot : snapshots)
        {
            states.add(read(snapshot, kind));
        }
        return states;
    }

    /**
     * @param in   what {@link #write} wrote.
     * @param kind the sink's kind.
     * @return the state.
     * @throws IOException if the bytes are not that sink's state, or cut short.
     */
    public static TransactionalSinkState read(final DataInput in, final Kind kind) throws IOException
    {
        final int magic = in.readInt();
        if (magic != kind.magic())
        {
            throw new IOException("not the state of an " + kind.sink() + ": it starts with 0x" + Integer.toHexString(magic) +
                ", not 0x" + Integer.toHexString(kind.magic()) + " (was the job's sink changed since the checkpoint?)");
        }
        final long checkpointId = in.readLong();
        final int subtask = in.readInt();
        final int parallelism = in.readInt();
        final int idsCreated = in.readInt();
        final int count = in.readInt();
        if (subtask < 0 || parallelism <= subtask || idsCreated < 0 || count < 0 || count > idsCreated)
        {
            throw new IOException("damaged state of an " + kind.sink() + ": subtask " + subtask + " of " + parallelism + ", " + idsCreated +
                " transactional ids, " + count + " pending");
        }
        final List<PendingTransaction> pending = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            pending.add(new PendingTransaction(in.readUTF(), in.readLong(), in.readShort(), in.readLong()));
        }
        return new TransactionalSinkState(checkpointId, subtask, parallelism, idsCreated, pending);
    }
}
