package io.tidemark.runtime.broker.api;

import java.util.ArrayList;
import java.util.List;

import io.tidemark.log.AbortedTransaction;
import io.tidemark.log.LogSlice;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.runtime.broker.SliceRecords;
import io.tidemark.runtime.metrics.FetchSessionMetrics;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * One pass over a fetch's partitions: the response it would send now, the record bytes it
 * carries, whether a partition failed, and the partitions read with their log end offsets
 * before reading, to watch while the fetch waits and to tell whether they grew since.
 *
 * <p>A pass over a session's partitions also keeps which partitions its response carries, so
 * that the session learns what its client was told only when the response is sent
 * ({@link #answer}): a waiting fetch may read several times and send only the last.
 */
final class FetchPass
{
    private final FetchResponseData response;
    private final boolean committed;
    private final FetchSession session;
    private final FetchSessionMetrics metrics;
    private int remaining;
    private int bytes;
    private boolean failed;
    private Watches watches;
    /** For a session's pass: the epoch its session expected next when it read, to tell whether a later fetch moved the session since. */
    private final int epoch;
    /** For a session's pass: the partitions the response carries, with their entries. */
    private final List<SessionPartition> carried;
    private final List<PartitionData> carriedData;
    private int leftOut;

    /**
     * @param response the response to fill.
     * @param committed whether the fetch is read-committed.
     * @param maxBytes the fetch's limit on record bytes.
     * @param partitionCount the partitions it names, to size the watch.
     * @param session the session whose partitions are read, or null.
     * @param metrics where a session's pass counts the partitions it left out, or null.
     */
    FetchPass(final FetchResponseData response, final boolean committed, final int maxBytes, final int partitionCount, final FetchSession session,
        final FetchSessionMetrics metrics)
    {
        this.metrics = metrics;
        this.response = response;
        this.committed = committed;
        this.remaining = maxBytes;
        this.session = session;
        // A session's pass runs under its monitor and takes the arrays its last finished pass left.
        final Watches spare = session == null ? null : session.takeWatches();
        this.watches = spare == null ? new Watches(partitionCount) : spare.clear();
        this.epoch = session == null ? 0 : session.epoch;
        carried = session == null ? null : new ArrayList<>();
        carriedData = session == null ? null : new ArrayList<>();
    }

    /**
     * Reads one partition into a new response entry: its batches from the fetch offset (at
     * least one whole batch for the first non-empty partition) and its marks.
     *
     * @param endBefore the log end offset read before, for the watch.
     * @param lastStable the last stable offset read before, so the slice stops where the entry says the stable part ends.
     */
    PartitionData read(final TopicPartition partition, final PartitionLog log, final long fetchOffset, final int partitionMaxBytes,
        final long endBefore, final long lastStable)
    {
        final PartitionData data = new PartitionData().setPartitionIndex(partition.partition()).setRecords(MemoryRecords.EMPTY);
        boolean sent = false;
        if (bytes == 0 || remaining > 0)
        {
            final int max = Math.max(1, Math.min(partitionMaxBytes, remaining));
            final LogSlice slice = committed ? log.read(fetchOffset, max, lastStable) : log.read(fetchOffset, max);
            if (slice.sizeInBytes() > 0 && (bytes == 0 || slice.sizeInBytes() <= remaining))
            {
                data.setRecords(new SliceRecords(slice));
                bytes += slice.sizeInBytes();
                remaining -= slice.sizeInBytes();
                sent = true;
            }
        }
        // Read after the slice: the high watermark covers every record sent.
        data.setHighWatermark(log.logEndOffset()).setLastStableOffset(lastStable).setLogStartOffset(log.logStartOffset())
            .setAbortedTransactions(committed ? aborted(log, sent, fetchOffset, lastStable) : null);
        watch(partition, log, endBefore);
        return data;
    }

    /** @return an entry for a partition that cannot be read, with the error; the pass answers at once. */
    PartitionData failed(final int partitionIndex, final short error)
    {
        failed = true;
        return new PartitionData().setPartitionIndex(partitionIndex).setRecords(MemoryRecords.EMPTY).setErrorCode(error)
            .setHighWatermark(-1).setLastStableOffset(-1).setLogStartOffset(-1);
    }

    /**
     * @return a pass that answers at once, with no partitions and the session's refusal of a
     *         stale epoch (with the session's id): a waiting fetch whose session a later fetch
     *         moved on, as Kafka answers it; it tells its session nothing.
     */
    static FetchPass superseded(final boolean committed, final int sessionId)
    {
        final FetchPass pass = new FetchPass(new FetchResponseData().setErrorCode(Errors.INVALID_FETCH_SESSION_EPOCH.code())
            .setSessionId(sessionId), committed, 0, 0, null, null);
        pass.failed = true;
        return pass;
    }

    /** Watches a partition that was read, with its log end offset before reading. */
    void watch(final TopicPartition partition, final PartitionLog log, final long endBefore)
    {
        watches.add(partition, log, endBefore);
    }

    /** @return for a session's pass, the epoch its session expected next when it read. */
    int epoch()
    {
        return epoch;
    }

    /** Gives a session's pass's arrays back to its session, for its next pass; the pass watches nothing after. */
    void release()
    {
        if (session != null && watches != null)
        {
            synchronized (session)
            {
                session.giveWatches(watches);
            }
        }
        watches = null;
    }

    /** Notes that the response carries this entry of a session's partition. */
    void carry(final SessionPartition partition, final PartitionData data)
    {
        carried.add(partition);
        carriedData.add(data);
    }

    /** Notes that a session's partition was left out of the response, unchanged. */
    void leaveOut()
    {
        leftOut++;
    }

    boolean committed()
    {
        return committed;
    }

    FetchResponseData response()
    {
        return response;
    }

    int bytes()
    {
        return bytes;
    }

    boolean failed()
    {
        return failed;
    }

    /** @return the partitions read, to watch, with their end offsets before; none once {@link #release}d. */
    Watches watches()
    {
        return watches;
    }

    /**
     * @return the response, to send now; a session learns what it tells its client.
     */
    FetchResponseData answer()
    {
        if (session != null)
        {
            synchronized (session)
            {
                for (int i = 0; i < carried.size(); i++)
                {
                    final SessionPartition partition = carried.get(i);
                    final PartitionData data = carriedData.get(i);
                    partition.answered(data);
                    if (data.records().sizeInBytes() > 0)
                    {
                        session.sentRecords(partition);
                    }
                }
            }
            if (leftOut > 0)
            {
                metrics.leftOut(leftOut);
            }
        }
        return response;
    }

    /**
     * @return the aborted transactions a read-committed consumer of the partition from
     *         {@code fetchOffset} needs, to drop their records: all up to the last stable offset,
     *         which bounds whatever the slice holds; none when no records are sent.
     */
    private static List<FetchResponseData.AbortedTransaction> aborted(final PartitionLog log, final boolean sent, final long fetchOffset,
        final long lastStable)
    {
        final List<FetchResponseData.AbortedTransaction> aborted = new ArrayList<>();
        if (!sent)
        {
            return aborted;
        }
        for (final AbortedTransaction transaction : log.abortedTransactions(fetchOffset, lastStable))
        {
            aborted.add(new FetchResponseData.AbortedTransaction().setProducerId(transaction.producerId())
                .setFirstOffset(transaction.firstOffset()));
        }
        return aborted;
    }
}
