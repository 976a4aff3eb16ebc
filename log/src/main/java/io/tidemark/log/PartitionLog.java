package io.tidemark.log;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The log of one partition: an ordered sequence of record batches, each record with an
 * offset one greater than the one before. This is the storage interface: callers (the
 * producer, the consumer, the Kafka-protocol listener) use nothing else, so another backend
 * can replace the segment files.
 *
 * <p>Appends are serialised; reads may run concurrently with them and see only whole,
 * acknowledged batches.
 */
public interface PartitionLog extends AutoCloseable
{
    /**
     * @return which partition this is.
     */
    TopicPartition topicPartition();

    /**
     * Appends one or more record batches, as a producer sends them. Each batch is checked (the
     * whole of {@code batches} or none of it is written), given its offsets, stamped with the
     * log-append time where the topic asks for it, and made durable per the flush policy
     * before this returns. The batches are modified in place.
     *
     * <p>A batch from an idempotent producer (a producer id is set) must come alone. If it
     * repeats one of that producer's last five batches it is not written again: the result
     * carries the offsets it got the first time.
     *
     * <p>Transactions: a transactional batch opens its producer's transaction in this
     * partition at its base offset, unless one is open already (the {@link #lastStableOffset()}
     * stays at or below that offset until the producer's {@link #appendMarker marker}). While
     * its transaction is open, a producer's non-transactional batch is refused. A batch with a
     * producer id and base sequence -1 (written by a coordinator, not a producer) is checked
     * for its epoch only. Control batches (transaction markers) are written by
     * {@link #appendMarker} only, never through this method.
     *
     * @param batches the batches, from position to limit; position is advanced to limit.
     * @return the offsets given.
     * @throws io.tidemark.log.record.CorruptRecordException if a batch is malformed.
     * @throws io.tidemark.log.record.UnsupportedCompressionException if a batch names a codec
     *         id that no codec has (5 to 7).
     * @throws io.tidemark.log.errors.InvalidRecordException if a batch is a control batch, or
     *         transactional without a producer id.
     * @throws io.tidemark.log.errors.InvalidTxnStateException if a non-transactional batch
     *         comes from a producer whose transaction is open here.
     * @throws io.tidemark.log.errors.RecordTooLargeException if a batch exceeds
     *         {@code max.message.bytes}.
     * @throws io.tidemark.log.errors.OutOfOrderSequenceException if an idempotent batch
     *         does not follow its producer's last sequence number.
     * @throws io.tidemark.log.errors.ProducerFencedException if its producer epoch is older
     *         than the producer's current one.
     * @throws io.tidemark.log.errors.UnknownProducerIdException if its producer is unknown and
     *         it does not start at sequence 0.
     * @throws io.tidemark.log.errors.LogStorageException if the write fails.
     */
    AppendResult append(ByteBuffer batches);

    /**
     * Appends one record as a batch of its own, built in the log: the call for an embedded
     * writer that appends each event as it arrives, with no batch to build and no result to
     * allocate. The batch is Kafka's, as {@link #append} would write it (no producer id, no
     * compression); readers see it once this returns, and it is flushed per the log's policy.
     *
     * @param timestamp the record's create time (replaced by the append time if the topic
     *        uses {@code LogAppendTime}).
     * @param key the key, or null (refused in a compacted topic).
     * @param value the value, or null (a tombstone).
     * @return the record's offset.
     * @throws io.tidemark.log.errors.InvalidRecordException if the topic is compacted and the
     *         key is null.
     * @throws io.tidemark.log.errors.RecordTooLargeException if the batch would exceed
     *         {@code max.message.bytes}.
     * @throws io.tidemark.log.errors.LogStorageException if the write fails.
     */
    long appendRecord(long timestamp, byte[] key, byte[] value);

    /**
     * Appends one record as {@link #appendRecord(long, byte[], byte[])} does, timestamped with
     * the log's clock when it is appended: the writer need not read a clock of its own, and the
     * log reads it once, as it does for its roll and flush policy anyway.
     *
     * @param key the key, or null (refused in a compacted topic).
     * @param value the value, or null (a tombstone).
     * @return the record's offset.
     * @throws io.tidemark.log.errors.InvalidRecordException if the topic is compacted and the
     *         key is null.
     * @throws io.tidemark.log.errors.RecordTooLargeException if the batch would exceed
     *         {@code max.message.bytes}.
     * @throws io.tidemark.log.errors.LogStorageException if the write fails.
     */
    long appendRecord(byte[] key, byte[] value);

    /**
     * Reads from the batch that holds {@code offset}, up to {@code maxBytes}, or the whole of
     * that first batch if it is larger.
     *
     * @param offset where to start; the first batch returned may begin before it.
     * @param maxBytes the soft limit of the slice's size.
     * @return the slice; empty when {@code offset} is the log end offset.
     * @throws io.tidemark.log.errors.OffsetOutOfRangeException if {@code offset} is before
     *         the log start offset or after the log end offset.
     */
    LogSlice read(long offset, int maxBytes);

    /**
     * Reads as {@link #read(long, int)} does, but only batches that begin below
     * {@code maxOffset}: a read-committed reader passes the {@link #lastStableOffset()}, which
     * always falls on a batch boundary.
     *
     * @param offset where to start; the first batch returned may begin before it.
     * @param maxBytes the soft limit of the slice's size.
     * @param maxOffset the first offset not to return.
     * @return the slice; empty when {@code offset} is at or beyond {@code maxOffset}.
     * @throws io.tidemark.log.errors.OffsetOutOfRangeException if {@code offset} is before
     *         the log start offset or after the log end offset.
     */
    LogSlice read(long offset, int maxBytes, long maxOffset);

    /**
     * Writes a transaction's end for one producer: a control batch holding one marker record.
     * A commit makes the producer's open transaction here visible to read-committed readers,
     * an abort records it among the {@link #abortedTransactions aborted transactions}; either
     * way the {@link #lastStableOffset()} may move on. A marker for a producer with no open
     * transaction here is written all the same (the coordinator may repeat itself after a crash).
     *
     * @param marker the producer, its epoch and the result.
     * @return the marker's offset.
     * @throws io.tidemark.log.errors.ProducerFencedException if the marker's epoch is older
     *         than the producer's current one.
     * @throws io.tidemark.log.errors.LogStorageException if the write fails.
     */
    AppendResult appendMarker(TransactionMarker marker);

    /**
     * The offset below which no transaction is still open: the first offset of the oldest open
     * transaction, or the log end offset if none is open. Read-committed readers stop here.
     *
     * @return the last stable offset.
     */
    long lastStableOffset();

    /**
     * The aborted transactions a read-committed reader of offsets {@code fromOffset} up to
     * {@code toOffset} must know of: those whose abort marker is at or after
     * {@code fromOffset} and whose first offset is below {@code toOffset}, ordered by first
     * offset.
     *
     * @param fromOffset the first offset read.
     * @param toOffset the first offset not read.
     * @return the aborted transactions; empty if there are none.
     */
    List<AbortedTransaction> abortedTransactions(long fromOffset, long toOffset);

    /**
     * @return the idempotent and transactional producers this partition remembers.
     */
    List<ActiveProducer> activeProducers();

    /**
     * @param timestamp a time, in milliseconds since the epoch.
     * @return the first record whose timestamp is at or after {@code timestamp}, or null if
     *         there is none.
     */
    TimestampOffset offsetForTimestamp(long timestamp);

    /**
     * Kafka's max-timestamp lookup (ListOffsets -3): the record with the largest timestamp at or
     * after the log start offset, the first of them if several share it.
     *
     * @return its timestamp and offset, or null if the log holds no record.
     */
    TimestampOffset maxTimestamp();

    /**
     * @return the offset of the first record kept.
     */
    long logStartOffset();

    /**
     * Kafka's DeleteRecords: moves the log start offset forward to {@code offset}, so that the
     * records below it are no longer read, and deletes the segments all of whose records lie
     * below it. The new start offset is on disk before this returns and survives a crash and a
     * restart; an offset at or below the current start changes nothing.
     *
     * @param offset the first offset to keep, at most the log end offset.
     * @return the log start offset after the call.
     * @throws io.tidemark.log.errors.OffsetOutOfRangeException if {@code offset} is negative or
     *         above the log end offset.
     * @throws io.tidemark.log.errors.LogStorageException if the new start cannot be written; the
     *         start offset is then unchanged.
     */
    long deleteRecordsBefore(long offset);

    /**
     * @return the offset the next appended record will get.
     */
    long logEndOffset();

    /**
     * @return the bytes the log holds.
     */
    long sizeInBytes();

    /**
     * Forces what has been appended to disk.
     */
    void flush();

    /**
     * Flushes if the time-based flush policy says it is due.
     *
     * @param nowMs the current time.
     */
    void flushIfDue(long nowMs);

    /**
     * Takes a new configuration of the topic while the log is open (Kafka's
     * IncrementalAlterConfigs): the next append checks its size limit, timestamp type, roll and
     * flush thresholds against it, and the next retention round its retention. The index
     * interval applies to segments made from then on.
     *
     * @param config the topic's new configuration.
     * @throws io.tidemark.log.errors.LogStorageException if the log is closed.
     */
    void reconfigure(LogConfig config);

    /**
     * Deletes the oldest data the retention policy no longer keeps (by age and by total size),
     * whole segments at a time, moving the log start offset.
     *
     * @param nowMs the current time.
     * @return the number of records deleted.
     */
    long applyRetention(long nowMs);

    /**
     * Runs a round of the log cleaner if the topic is compacted and the log is due (its share of
     * uncleaned bytes in the sealed segments reaches {@code min.cleanable.dirty.ratio}, or its
     * oldest uncleaned segment is older than {@code max.compaction.lag.ms}): the sealed segments
     * old enough for {@code min.compaction.lag.ms} keep only the latest record of each key, each
     * surviving record at its offset. Appends and reads go on meanwhile.
     *
     * @param nowMs the current time.
     * @return the bytes the round reclaimed; 0 if no round was due.
     * @throws io.tidemark.log.errors.LogStorageException if the segments cannot be read or written;
     *         nothing is lost, the next round starts over.
     */
    long clean(long nowMs);

    /**
     * Whether an append of {@code bytes} now may wait for the disk: the topic forces flushes,
     * or the append would roll the active segment (a roll creates files, and waits for the seal
     * of the segment rolled before if that is still forcing it to disk),
     * or a roll is under way. A caller that must not block, such as a network thread, hands
     * such appends to a thread that may. A hint read without the log's lock: the append
     * itself decides.
     *
     * @param bytes the size of the batches to append.
     * @return true if the append may wait for the disk.
     */
    boolean appendMayWait(int bytes);

    /**
     * Forgets the idempotent producers that have not written to this partition for
     * {@code idleMs} (Kafka's {@code producer.id.expiration.ms}), so that the state of
     * producers long gone does not pile up. A forgotten producer that writes again with a
     * sequence other than 0 is told its id is unknown, and starts over as Kafka's producer does.
     *
     * @param nowMs the current time.
     * @param idleMs how long a producer may stay silent and still be remembered.
     * @return the number of producers forgotten.
     */
    int expireProducers(long nowMs, long idleMs);

    /**
     * Starts a new segment if the active one holds any record, so that everything appended
     * before can later be deleted whole by {@link #deleteSegmentsBefore}.
     */
    void roll();

    /**
     * Deletes every segment all of whose records lie below {@code offset} (never the active
     * one), moving the log start offset: how a log that rewrites its live state at its head
     * drops the superseded history.
     *
     * @param offset the first offset that must be kept.
     * @return the number of records deleted.
     */
    long deleteSegmentsBefore(long offset);

    /**
     * @return what was repaired when the log was opened.
     */
    RecoveryReport recoveryReport();

    /**
     * Flushes and releases the files.
     */
    @Override
    void close();

    /**
     * Releases the files without writing anything (no flush, index or snapshot): for a log
     * about to be deleted, so that deleting needs no free space. Later calls fail as after
     * {@link #close()}.
     */
    void abandon();
}
