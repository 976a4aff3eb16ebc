package io.tidemark.connector.log;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What one subtask of the exactly-once log sink keeps in a checkpoint. The layout:
 * <pre>
 * magic int32 ("TLS1"), checkpoint id int64, subtask int32, parallelism int32,
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
record LogSinkState(long checkpointId, int subtask, int parallelism, int idsCreated, List<PendingTransaction> pending)
{
    private static final int MAGIC = 0x544C5331;

    LogSinkState
    {
        pending = List.copyOf(pending);
    }

    /**
     * @param out where to write.
     * @throws IOException if writing fails.
     */
    void write(final DataOutput out) throws IOException
    {
        out.writeInt(MAGIC);
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
     * @param in what {@link #write} wrote.
     * @return the state.
     * @throws IOException if the bytes are not a log sink's state, or cut short.
     */
    static LogSinkState read(final DataInput in) throws IOException
    {
        final int magic = in.readInt();
        if (magic != MAGIC)
        {
            throw new IOException("not the state of an exactly-once log sink: it starts with 0x" + Integer.toHexString(magic) +
                ", not 0x" + Integer.toHexString(MAGIC) + " (was the job's sink changed since the checkpoint?)");
        }
        final long checkpointId = in.readLong();
        final int subtask = in.readInt();
        final int parallelism = in.readInt();
        final int idsCreated = in.readInt();
        final int count = in.readInt();
        if (subtask < 0 || parallelism <= subtask || idsCreated < 0 || count < 0 || count > idsCreated)
        {
            throw new IOException("damaged exactly-once log sink state: subtask " + subtask + " of " + parallelism + ", " + idsCreated +
                " transactional ids, " + count + " pending");
        }
        final List<PendingTransaction> pending = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            pending.add(new PendingTransaction(in.readUTF(), in.readLong(), in.readShort(), in.readLong()));
        }
        return new LogSinkState(checkpointId, subtask, parallelism, idsCreated, pending);
    }
}
