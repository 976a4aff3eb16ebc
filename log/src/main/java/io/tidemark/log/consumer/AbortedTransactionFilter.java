package io.tidemark.log.consumer;

import java.util.List;

import io.tidemark.log.AbortedTransaction;
import io.tidemark.log.record.ControlRecord;
import io.tidemark.log.record.RecordBatch;
import org.agrona.collections.LongHashSet;

/**
 * Kafka's read-committed filter over the batches of one read: given the partition's
 * {@link io.tidemark.log.PartitionLog#abortedTransactions aborted transactions} of the range
 * read (ordered by first offset), a producer joins the aborted set when a batch reaches its
 * transaction's first offset and leaves it at its abort marker; transactional batches of a
 * producer in the set are skipped. One per reader, reused from read to read; it allocates
 * nothing per batch.
 */
public final class AbortedTransactionFilter
{
    private final LongHashSet abortedProducers = new LongHashSet();
    private List<AbortedTransaction> aborted = List.of();
    private int nextAborted;

    /**
     * Starts a read.
     *
     * @param aborted the aborted transactions of the range about to be read, ordered by first
     *        offset, as the partition gives them.
     */
    public void start(final List<AbortedTransaction> aborted)
    {
        this.aborted = aborted;
        this.nextAborted = 0;
        abortedProducers.clear();
    }

    /**
     * Looks at the next batch of the read, in order: every batch must be shown, control
     * batches too, as they end aborted transactions.
     *
     * @param batch the batch.
     * @return true if the batch holds records of an aborted transaction, which a read-committed
     *         reader skips.
     * @throws io.tidemark.log.record.CorruptRecordException if a control batch holds no record.
     */
    public boolean aborts(final RecordBatch batch)
    {
        if (batch.producerId() < 0)
        {
            return false;
        }
        while (nextAborted < aborted.size() && aborted.get(nextAborted).firstOffset() <= batch.lastOffset())
        {
            abortedProducers.add(aborted.get(nextAborted++).producerId());
        }
        if (batch.isControl() && ControlRecord.type(batch) == ControlRecord.ABORT)
        {
            abortedProducers.remove(batch.producerId());
            return false;
        }
        return batch.isTransactional() && abortedProducers.contains(batch.producerId());
    }
}
