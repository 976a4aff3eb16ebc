package io.tidemark.log.storage;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.tidemark.log.AbortedTransaction;
import io.tidemark.log.ActiveProducer;
import io.tidemark.log.AppendResult;
import io.tidemark.log.LogConfig;
import io.tidemark.log.LogSlice;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.RecoveryReport;
import io.tidemark.log.TimestampOffset;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.TransactionMarker;
import io.tidemark.log.TransactionResult;
import io.tidemark.log.errors.InvalidRecordException;
import io.tidemark.log.errors.LogStorageException;
import io.tidemark.log.errors.OffsetOutOfRangeException;
import io.tidemark.log.errors.RecordTooLargeException;
import io.tidemark.log.record.ControlRecord;
import io.tidemark.log.record.CorruptRecordException;
import io.tidemark.log.record.Record;
import io.tidemark.log.record.RecordBatch;
import io.tidemark.log.record.RecordBatchBuilder;
import io.tidemark.log.record.TimestampType;
import org.agrona.concurrent.EpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.tidemark.log.record.RecordBatchLayout.CONTROL_FLAG_MASK;
import static io.tidemark.log.record.RecordBatchLayout.HEADER_SIZE;
import static io.tidemark.log.record.RecordBatchLayout.LENGTH_OFFSET;
import static io.tidemark.log.record.RecordBatchLayout.LOG_OVERHEAD;
import static io.tidemark.log.record.RecordBatchLayout.NO_PRODUCER_ID;
import static io.tidemark.log.record.RecordBatchLayout.NO_TIMESTAMP;
import static io.tidemark.log.record.RecordBatchLayout.TRANSACTIONAL_FLAG_MASK;

/**
 * A partition's log kept as a directory of {@link Segment}s, the way Kafka keeps it: appends go
 * to the last (active) segment, which rolls over to a new one by size or age; retention
 * deletes whole segments from the front; reads find their segment by base offset.
 *
 * <p>Opening recovers: the active segment is checked batch by batch and cut at the first
 * invalid batch (a torn write), sealed segments are checked cheaply from their indexes, and
 * damaged or missing indexes are rebuilt. {@link #recoveryReport()} says what was done.
 *
 * <p>Transactions: the producer state tracks each producer's open transaction; the
 * coordinator's markers ({@link #appendMarker}) close them, and each abort is indexed in its
 * segment's {@link TransactionIndex} and in {@link AbortedTransactions}. The last stable
 * offset is published without a lock: the first unstable offset is written before the log
 * end offset, and read after it.
 *
 * <p>Appends, rolls and retention hold one lock; reads take none.
 */
public final class SegmentedLog implements PartitionLog
{
    /**
     * The leader epoch stamped on every batch. Tidemark has one replica, so it never changes;
     * recovery treats any other value as corruption, since the CRC does not cover it.
     */
    static final int LEADER_EPOCH = 0;

    /**
     * The file that keeps a log start offset moved by {@link #deleteRecordsBefore} inside a
     * segment (Kafka keeps one per data directory, {@code log-start-offset-checkpoint}): the
     * offset in decimal ASCII and a newline.
     */
    static final String LOG_START_OFFSET_FILE = "log-start-offset";

    /**
     * The file that keeps the offset up to which the log cleaner has cleaned (Kafka keeps one
     * {@code cleaner-offset-checkpoint} per data directory): the offset in decimal ASCII and a newline.
     */
    static final String CLEANER_CHECKPOINT_FILE = "cleaner-offset-checkpoint";
    /** The suffix of a segment file the cleaner is writing; discarded by recovery. */
    static final String CLEANED_SUFFIX = ".cleaned";
    /** The suffix of a cleaned segment file ready to replace its segment; installed by recovery. */
    static final String SWAP_SUFFIX = ".swap";
    /**
     * The suffix of a segment file the cleaner replaced, kept {@code file.delete.delay.ms} for its
     * readers: {@code <base>.log.<n>.deleted}, {@code n} counting the log's replacements, so that a
     * segment cleaned twice within the delay keeps both old files apart.
     */
    static final String DELETED_SUFFIX = ".deleted";

    private static final Logger LOG = LoggerFactory.getLogger(SegmentedLog.class);
    /** The most a record's framing adds to its key and value: the varints of its lengths, deltas and header count. */
    private static final int RECORD_OVERHEAD = 32;
    /**
     * The most bytes the batch that single records grow in place may reach ({@link #appendOne}),
     * as the Kafka producer's default {@code batch.size}: a record that does not fit seals it.
     */
    static final int OPEN_BATCH_BYTES = 16 * 1024;
    /** The value of {@link #openBatchBase} when no batch is open. */
    private static final long NO_OPEN_BATCH = Long.MAX_VALUE;
    private static final VarHandle LOG_END_OFFSET;

    static
    {
        try
        {
            LOG_END_OFFSET = MethodHandles.lookup().findVarHandle(SegmentedLog.class, "logEndOffset", long.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final TopicPartition topicPartition;
    private final Path dir;
    /**
     * Replaced by {@link #reconfigure} under the lock, so an append, a roll or a retention round
     * sees one configuration throughout; volatile for {@link #appendMayWait}, which takes no lock.
     */
    private volatile LogConfig config;
    private final EpochClock clock;
    private final ChannelPool pool;
    private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** Held through a cleaning round, so that two never overlap; appends and reads do not take it. */
    private final ReentrantLock cleaning = new ReentrantLock();
    private final RecordBatch view = new RecordBatch();
    private final RecordBatchBuilder markerBuilder = new RecordBatchBuilder();
    private final RecordBatchBuilder recordBuilder = new RecordBatchBuilder();
    private final RecoveryReport recoveryReport;
    private final ProducerStateManager producerState;
    private final AbortedTransactions abortedTransactions = new AbortedTransactions();
    /** The cleaner's map of keys, which the logs of a data directory share; one round uses it at a time. */
    private final OffsetMap offsetMap;
    /** Runs in the cleaner's thread once a cleaned segment is built and before it is swapped in: a test's window into a round. */
    private volatile Runnable cleanedSegmentHook = () ->
    {
    };
    /** The segments the cleaner replaced, whose files readers may still use; guarded by the lock. */
    private final List<Replaced> replaced = new ArrayList<>();
    /** Numbers the names replaced files move aside to; guarded by the lock. Recovery deletes them all, so each open starts at 0. */
    private long replacements;
    /** Runs under the lock before a flush forces the active segment: a test's way to fail the flush. */
    private volatile Runnable flushHook = () ->
    {
    };
    /** Runs under the lock between moving a replaced file aside and renaming the cleaned one over it: a test's way to fail the latter. */
    private volatile Runnable asideHook = () ->
    {
    };
    private volatile Segment active;
    private volatile boolean rolling;
    /** The seal of the segment rolled away from last, if it may still be under way; guarded by the lock. */
    private BackgroundSeal pendingSeal;
    private volatile long logStartOffset;
    private volatile long logEndOffset;
    /**
     * The base offset of the batch that single records grow at the end of the active segment,
     * or {@link #NO_OPEN_BATCH}. Written under the lock before the log end offset moves past
     * it; a reader that wants offsets from there seals the batch first ({@link #sealForReaders}).
     */
    private volatile long openBatchBase = NO_OPEN_BATCH;
    /** The map the open batch is built in, and where in it the batch starts; guarded by the lock. */
    private ByteBuffer openBatchMap;
    private int openBatchPosition;
    /** The offset below which the sealed segments were cleaned; written to {@value #CLEANER_CHECKPOINT_FILE} first. */
    private volatile long cleanerCheckpoint;
    /** The first offset of the oldest open transaction, -1 if none; written before {@link #logEndOffset}. */
    private volatile long firstUnstableOffset = -1;
    private long unflushedRecords;
    private long lastFlushMs;
    private boolean closed;
    /** True once anything changed since opening: closing an unchanged log need write nothing. */
    private boolean modified;

    /** A segment the cleaner replaced at {@code atMs}, its log file moved aside. */
    private record Replaced(Segment segment, long atMs)
    {
    }

    private SegmentedLog(final TopicPartition topicPartition, final Path dir, final LogConfig config, final EpochClock clock,
        final ChannelPool pool, final OffsetMap offsetMap, final RecoveryReport recoveryReport)
    {
        this.topicPartition = topicPartition;
        this.dir = dir;
        this.config = config;
        this.clock = clock;
        this.pool = pool;
        this.offsetMap = offsetMap;
        this.recoveryReport = recoveryReport;
        this.producerState = new ProducerStateManager(dir);
    }

    /**
     * The offset map of the logs opened without one: shared by them all, so a process holds one
     * however many it opens; it takes its memory on the first cleaning round.
     */
    private static final OffsetMap SHARED_OFFSET_MAP = OffsetMap.withDefaults();

    /**
     * Opens the log in {@code dir} with its own {@link ChannelPool} that never closes a file
     * (every segment file stays open while the log is, as in Kafka).
     *
     * @param topicPartition the partition, for messages.
     * @param dir the partition's directory.
     * @param config the topic's configuration.
     * @param clock the wall clock, for rolling, retention and log-append times.
     * @return the open log.
     * @throws LogStorageException if the files cannot be read or repaired.
     * @see #open(TopicPartition, Path, LogConfig, EpochClock, ChannelPool)
     */
    public static SegmentedLog open(final TopicPartition topicPartition, final Path dir, final LogConfig config, final EpochClock clock)
    {
        return open(topicPartition, dir, config, clock, new ChannelPool(Integer.MAX_VALUE));
    }

    /**
     * Opens the log in {@code dir}, creating the directory and a first segment if needed, and
     * recovers it. Every cut and rebuilt index is logged, and listed in {@link #recoveryReport()}.
     *
     * @param topicPartition the partition, for messages.
     * @param dir the partition's directory.
     * @param config the topic's configuration.
     * @param clock the wall clock, for rolling, retention and log-append times.
     * @param pool the budget of open segment files this log shares with others.
     * @return the open log; it holds no open file until it is used.
     * @throws LogStorageException if the files cannot be read or repaired; nothing stays open.
     */
    public static SegmentedLog open(final TopicPartition topicPartition, final Path dir, final LogConfig config, final EpochClock clock,
        final ChannelPool pool)
    {
        return open(topicPartition, dir, config, clock, pool, SHARED_OFFSET_MAP);
    }

    /**
     * Opens the log in {@code dir} as {@link #open(TopicPartition, Path, LogConfig, EpochClock, ChannelPool)}
     * does, its cleaner using {@code offsetMap}.
     *
     * @param topicPartition the partition, for messages.
     * @param dir the partition's directory.
     * @param config the topic's configuration.
     * @param clock the wall clock, for rolling, retention and log-append times.
     * @param pool the budget of open segment files this log shares with others.
     * @param offsetMap the cleaner's map of keys, which this log's rounds share with the other
     *        logs given it (one round at a time): its size bounds the keys a round cleans.
     * @return the open log; it holds no open file until it is used.
     * @throws LogStorageException if the files cannot be read or repaired; nothing stays open.
     */
    public static SegmentedLog open(final TopicPartition topicPartition, final Path dir, final LogConfig config, final EpochClock clock,
        final ChannelPool pool, final OffsetMap offsetMap)
    {
        final ConcurrentSkipListMap<Long, Segment> opened = new ConcurrentSkipListMap<>();
        try
        {
            Files.createDirectories(dir);
            final List<Long> baseOffsets = new ArrayList<>();
            finishCleaning(topicPartition, dir);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir))
            {
                for (final Path file : files)
                {
                    final String name = file.getFileName().toString();
                    if (name.endsWith(".tmp"))
                    {
                        Files.delete(file); // an index rewrite interrupted by a crash
                    }
                    final long base = Segment.parseBaseOffset(name);
                    if (base >= 0)
                    {
                        baseOffsets.add(base);
                    }
                }
            }
            baseOffsets.sort(null);

            final List<RecoveryReport.Truncation> truncations = new ArrayList<>();
            final List<Long> rebuilt = new ArrayList<>();
            for (int i = 0; i < baseOffsets.size(); i++)
            {
                final long base = baseOffsets.get(i);
                final Segment segment = Segment.open(dir.resolve(Segment.fileName(base)), base, config.indexIntervalBytes(), pool);
                opened.put(base, segment);
                if (i < baseOffsets.size() - 1)
                {
                    segment.loadSealed(LEADER_EPOCH, baseOffsets.get(i + 1), truncations, rebuilt);
                }
                else
                {
                    final RecoveryReport.Truncation truncation = segment.recover(LEADER_EPOCH, Long.MAX_VALUE);
                    if (truncation != null)
                    {
                        truncations.add(truncation);
                    }
                }
            }
            if (opened.isEmpty())
            {
                opened.put(0L, Segment.create(dir, 0, config.indexIntervalBytes(), clock.time(), pool));
            }
            loadTransactionIndexes(opened, rebuilt);

            final RecoveryReport report = new RecoveryReport(List.copyOf(truncations), List.copyOf(rebuilt));
            logRecovery(topicPartition, report);
            final SegmentedLog log = new SegmentedLog(topicPartition, dir, config, clock, pool, offsetMap, report);
            log.segments.putAll(opened);
            log.active = opened.lastEntry().getValue();
            log.logStartOffset = opened.firstKey();
            log.logEndOffset = log.active.nextOffset();
            log.lastFlushMs = clock.time();
            log.replayProducerState();
            log.recoverLogStartOffset();
            log.recoverCleanerCheckpoint();
            return log;
        }
        catch (final IOException e)
        {
            opened.values().forEach(Segment::abandon);
            throw new LogStorageException("cannot open the log of " + topicPartition + " in " + dir + ": " + e, e);
        }
        catch (final RuntimeException e)
        {
            opened.values().forEach(Segment::abandon);
            throw e;
        }
    }

    private static void logRecovery(final TopicPartition topicPartition, final RecoveryReport report)
    {
        for (final RecoveryReport.Truncation cut : report.truncations())
        {
            LOG.warn("{}: cut segment {} after {} bytes, dropping {} bytes from offset {}: {}", topicPartition,
                Segment.fileName(cut.segmentBaseOffset()), cut.validBytes(), cut.droppedBytes(), cut.firstDroppedOffset(), cut.reason());
        }
        for (final long base : report.rebuiltIndexes())
        {
            LOG.info("{}: rebuilt the indexes of segment {} from the log", topicPartition, Segment.fileName(base));
        }
    }

    /**
     * Loads every segment's aborted-transaction index, dropping entries whose markers recovery
     * cut off. Missing or damaged ones are rebuilt by one scan of the batch headers from the
     * log start (which alone tells where each aborted transaction began), and listed with the
     * rebuilt indexes.
     */
    private static void loadTransactionIndexes(final ConcurrentSkipListMap<Long, Segment> opened, final List<Long> rebuilt)
        throws IOException
    {
        final TreeMap<Long, List<TransactionIndex.Entry>> lost = new TreeMap<>();
        for (final Segment segment : opened.values())
        {
            if (segment.transactionIndex().load(segment.baseOffset()))
            {
                segment.transactionIndex().truncateFrom(segment.nextOffset());
            }
            else
            {
                lost.put(segment.baseOffset(), new ArrayList<>());
            }
        }
        if (lost.isEmpty())
        {
            return;
        }
        replay(opened.headMap(lost.lastKey(), true).values(), opened.firstKey(), new ProducerStateManager(null), 0, entry ->
        {
            final List<TransactionIndex.Entry> entries = lost.get(opened.floorKey(entry.lastOffset()));
            if (entries != null)
            {
                entries.add(entry);
            }
        });
        for (final Map.Entry<Long, List<TransactionIndex.Entry>> entry : lost.entrySet())
        {
            opened.get(entry.getKey()).transactionIndex().replace(entry.getValue());
            if (!rebuilt.contains(entry.getKey()))
            {
                rebuilt.add(entry.getKey());
            }
        }
        rebuilt.sort(null);
    }

    /**
     * Brings the producer state from its newest snapshot up to the log end offset by reading
     * the headers of the batches written after it. The aborted transactions whose markers
     * lie there are dropped from the indexes first and derived again by the replay.
     */
    private void replayProducerState() throws IOException
    {
        final long from = producerState.loadSnapshot(logStartOffset, logEndOffset);
        final List<TransactionIndex.Entry> aborted = new ArrayList<>();
        for (final Segment segment : segments.values())
        {
            segment.transactionIndex().truncateFrom(from);
            aborted.addAll(segment.transactionIndex().entries());
        }
        abortedTransactions.replace(aborted);
        final List<TransactionIndex.Entry> replayed = new ArrayList<>();
        replay(segments.values(), from, producerState, clock.time(), replayed::add);
        for (final TransactionIndex.Entry entry : replayed)
        {
            indexAbort(entry);
        }
        firstUnstableOffset = producerState.firstUnstableOffset();
    }

    /**
     * Takes a log start offset that {@link #deleteRecordsBefore} moved inside a segment from its
     * file, and deletes the segments wholly below it that a crash left behind. A start beyond
     * the log end (records lost to a power cut after the file was written) is the log end; an
     * unreadable file is logged and ignored: the records below the start it held are served
     * again, which loses nothing.
     */
    private void recoverLogStartOffset() throws IOException
    {
        final Path file = dir.resolve(LOG_START_OFFSET_FILE);
        if (!Files.exists(file))
        {
            return;
        }
        final long recorded;
        try
        {
            recorded = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
        }
        catch (final NumberFormatException | CharacterCodingException e)
        {
            LOG.warn("{}: ignoring {}, which holds no offset: {}", topicPartition, file, e.toString());
            return;
        }
        if (recorded > logEndOffset)
        {
            LOG.warn("{}: the log start offset {} recorded in {} is beyond the recovered log end {}: starting at the end", topicPartition,
                recorded, file, logEndOffset);
        }
        logStartOffset = Math.max(logStartOffset, Math.min(recorded, logEndOffset));
        deleteSegmentsBelow(logStartOffset);
    }

    /**
     * Ends a cleaning round a crash interrupted: a cleaned file not yet ready is deleted, one
     * ready to swap in is installed.
     */
    private static void finishCleaning(final TopicPartition topicPartition, final Path dir) throws IOException
    {
        final List<Path> swaps = new ArrayList<>();
        final List<Path> replacedFiles = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir))
        {
            for (final Path file : files)
            {
                final String name = file.getFileName().toString();
                if (name.endsWith(CLEANED_SUFFIX))
                {
                    Files.delete(file);
                }
                else if (name.endsWith(SWAP_SUFFIX))
                {
                    swaps.add(file);
                }
                else if (name.endsWith(DELETED_SUFFIX))
                {
                    replacedFiles.add(file);
                }
            }
        }
        for (final Path swap : swaps)
        {
            finishSwap(topicPartition, swap);
        }
        for (final Path file : replacedFiles)
        {
            Files.delete(file); // its readers died with the process
        }
    }

    /**
     * Installs a cleaned segment whose swap a crash interrupted: the cleaned file replaces the
     * segment's log file, whose index files go (they are rebuilt from the cleaned file). A swap
     * file whose segment is gone (retention deleted it meanwhile) is deleted: installing it would
     * bring deleted records back.
     */
    private static void finishSwap(final TopicPartition topicPartition, final Path swap) throws IOException
    {
        final String name = swap.getFileName().toString();
        final Path target = swap.resolveSibling(name.substring(0, name.length() - SWAP_SUFFIX.length()));
        final long base = Segment.parseBaseOffset(target.getFileName().toString());
        if (base < 0 || (!Files.exists(target) && !movedAside(target)))
        {
            Files.delete(swap);
            if (base >= 0)
            {
                Segment.deleteIndexFiles(target, base); // the cleaner may have put its own in place before retention deleted the segment
            }
            return;
        }
        Segment.deleteIndexFiles(target, base);
        Files.move(swap, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DurableFile.syncDirectory(swap.getParent());
        LOG.info("{}: finished installing the cleaned segment {}", topicPartition, target.getFileName());
    }

    /** @return true if a file the cleaner replaced by {@code target}'s cleaned copy was moved aside, under any number. */
    private static boolean movedAside(final Path target) throws IOException
    {
        try (DirectoryStream<Path> aside = Files.newDirectoryStream(target.getParent(), target.getFileName() + "*" + DELETED_SUFFIX))
        {
            return aside.iterator().hasNext();
        }
    }

    /**
     * Takes the cleaner checkpoint from its file; a missing or unreadable one starts the cleaner
     * from the log start (logged), which costs a round and loses nothing.
     */
    private void recoverCleanerCheckpoint() throws IOException
    {
        final Path file = dir.resolve(CLEANER_CHECKPOINT_FILE);
        long recorded = logStartOffset;
        if (Files.exists(file))
        {
            try
            {
                recorded = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
            }
            catch (final NumberFormatException | CharacterCodingException e)
            {
                LOG.warn("{}: ignoring {}, which holds no offset: {}", topicPartition, file, e.toString());
            }
        }
        cleanerCheckpoint = Math.max(logStartOffset, Math.min(recorded, logEndOffset));
    }

    /**
     * Feeds the batches of {@code toScan} from offset {@code from} to {@code state}, and each
     * aborted transaction it finds to {@code onAbort}.
     */
    private static void replay(final Iterable<Segment> toScan, final long from, final ProducerStateManager state, final long openedMs,
        final Consumer<TransactionIndex.Entry> onAbort) throws IOException
    {
        for (final Segment segment : toScan)
        {
            if (segment.nextOffset() > from)
            {
                segment.forEachBatchHeader(Math.max(from, segment.baseOffset()), batch ->
                {
                    if (batch.producerId() == NO_PRODUCER_ID)
                    {
                        return;
                    }
                    if (!batch.isControl())
                    {
                        state.update(batch, openedMs);
                        return;
                    }
                    final Record record = batch.records();
                    if (!record.next())
                    {
                        throw new CorruptRecordException("control batch at offset " + batch.baseOffset() + " holds no record");
                    }
                    final short type = ControlRecord.type(record);
                    if (type == ControlRecord.ABORT || type == ControlRecord.COMMIT)
                    {
                        final TransactionIndex.Entry entry = state.completeTransaction(batch.producerId(), batch.producerEpoch(),
                            ControlRecord.coordinatorEpoch(record), type == ControlRecord.ABORT, batch.baseOffset(), openedMs);
                        if (entry != null)
                        {
                            onAbort.accept(entry);
                        }
                    }
                });
            }
        }
    }

    /** Indexes an aborted transaction in the segment of its marker and for readers. */
    private void indexAbort(final TransactionIndex.Entry entry) throws IOException
    {
        segments.floorEntry(entry.lastOffset()).getValue().transactionIndex().append(entry);
        abortedTransactions.add(entry);
    }

    /** @return the segment appends go to. */
    Segment activeSegment()
    {
        return active;
    }

    @Override
    public TopicPartition topicPartition()
    {
        return topicPartition;
    }

    @Override
    public AppendResult append(final ByteBuffer batches)
    {
        lock.lock();
        try
        {
            ensureOpen();
            final int start = batches.position();
            final int end = batches.limit();
            if (start == end)
            {
                throw new CorruptRecordException("no record batch to append to " + topicPartition);
            }
            int records = 0;
            long offsetSpan = 0;
            int batchCount = 0;
            boolean idempotent = false;
            for (int i = start; i < end; )
            {
                if (end - i >= LOG_OVERHEAD)
                {
                    final long size = (long)LOG_OVERHEAD + batches.getInt(i + LENGTH_OFFSET);
                    if (size > config.maxMessageBytes())
                    {
                        throw new RecordTooLargeException("a batch of " + size + " bytes exceeds max.message.bytes=" +
                            config.maxMessageBytes() + " of " + topicPartition);
                    }
                }
                view.wrap(batches, i).validate(end - i, config.maxMessageBytes());
                if (view.isOpen())
                {
                    throw new CorruptRecordException("a batch with attribute bit 14 set (reserved: an open batch in a log file) at position " +
                        (i - start) + " is refused by " + topicPartition);
                }
                view.compression(); // a codec id that names no codec would fail every reader later
                if (view.recordCount() == 0)
                {
                    throw new CorruptRecordException("a batch without records at position " + (i - start) + " is refused by " + topicPartition);
                }
                if ((view.attributes() & (CONTROL_FLAG_MASK | TRANSACTIONAL_FLAG_MASK)) != 0)
                {
                    checkTransactionFlags(view);
                }
                if (config.compact())
                {
                    checkKeys(view);
                }
                records += view.recordCount();
                offsetSpan += view.lastOffsetDelta() + 1L;
                idempotent |= view.producerId() != NO_PRODUCER_ID;
                batchCount++;
                i += view.sizeInBytes();
            }
            if (idempotent)
            {
                if (batchCount != 1)
                {
                    throw new CorruptRecordException("an append from an idempotent producer must hold exactly one batch, not " + batchCount);
                }
                final AppendResult duplicate = producerState.check(view.wrap(batches, start));
                if (duplicate != null)
                {
                    batches.position(end);
                    return duplicate; // a retry of a batch already written: the original offsets
                }
            }

            final long now = clock.time();
            final long logAppendTime = config.timestampType() == TimestampType.LOG_APPEND_TIME ? now : NO_TIMESTAMP;
            final long firstOffset = logEndOffset;
            final long next = write(batches, offsetSpan, now, logAppendTime);
            if (idempotent)
            {
                producerState.update(view.wrap(batches, start), now);
                firstUnstableOffset = producerState.firstUnstableOffset();
            }
            publish(next, records, now);
            return new AppendResult(firstOffset, next - 1, logAppendTime, records);
        }
        catch (final IOException e)
        {
            throw new LogStorageException("cannot append to " + topicPartition + ": " + e.getMessage(), e);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The record is built in place at the end of the active segment, in a writable map of its
     * file ({@link Segment#reserve}), into the batch the previous single records started: no
     * system call, no copy and no allocation per record, and one batch header per up to
     * {@value #OPEN_BATCH_BYTES} bytes of records, as a Kafka producer batches them, so a record
     * costs its own bytes and little more. The batch stays open (its length moves over each
     * record, its CRC is not written) until a read, another kind of append, a roll, a
     * reconfiguration or closing seals it, or the next record does not fit it; readers see the
     * record as soon as this returns, because a read that reaches the open batch seals it first.
     * A process that dies keeps every record whose append returned: recovery seals the open
     * batch it finds at the end ({@link io.tidemark.log.record.RecordBatch#sealOpen}). A record
     * of more than {@value #OPEN_BATCH_BYTES} bytes, and every record of a topic with log-append
     * time, gets a batch of its own, sealed at once.
     */
    @Override
    public long appendRecord(final long timestamp, final byte[] key, final byte[] value)
    {
        return appendOne(timestamp, false, key, value);
    }

    /**
     * {@inheritDoc}
     *
     * <p>As {@link #appendRecord(long, byte[], byte[])}, with the one clock read the log makes
     * for its roll and flush policy as the record's timestamp.
     */
    @Override
    public long appendRecord(final byte[] key, final byte[] value)
    {
        return appendOne(NO_TIMESTAMP, true, key, value);
    }

    /** @param stampNow true to give the record the log's time instead of {@code timestamp}. */
    private long appendOne(final long timestamp, final boolean stampNow, final byte[] key, final byte[] value)
    {
        final int capacity = HEADER_SIZE + RECORD_OVERHEAD + (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        lock.lock();
        try
        {
            ensureOpen();
            final LogConfig current = config;
            if (capacity > current.maxMessageBytes())
            {
                throw new RecordTooLargeException("a record of about " + capacity + " bytes exceeds max.message.bytes=" +
                    current.maxMessageBytes() + " of " + topicPartition);
            }
            if (key == null && current.compact())
            {
                throw new InvalidRecordException("Compacted topic cannot accept message without key in topic partition " + topicPartition);
            }
            final long now = clock.time();
            final long recordTimestamp = stampNow ? now : timestamp;
            final long offset = logEndOffset;
            modified = true;
            if (openBatchBase != NO_OPEN_BATCH)
            {
                if (!shouldRoll(0, 1, now) && recordBuilder.append(recordTimestamp, key, value))
                {
                    recordBuilder.publishOpen();
                    active.wroteOpenBatch();
                    publish(offset + 1, 1, now);
                    return offset;
                }
                sealOpenBatch();
            }
            if (shouldRoll(capacity, 1, now))
            {
                roll(now);
            }
            final boolean alone = capacity > OPEN_BATCH_BYTES || current.timestampType() == TimestampType.LOG_APPEND_TIME;
            // Never a batch larger than max.message.bytes: a batch the log holds must be one it would take from a producer.
            final int room = alone ? capacity :
                Math.max(capacity, Math.min(Math.min(OPEN_BATCH_BYTES, current.maxMessageBytes()), current.segmentBytes() - active.size()));
            final ByteBuffer map = active.reserve(room, current.segmentBytes());
            final int position = active.reservedPosition();
            recordBuilder.begin(map, position, room).baseOffset(offset).partitionLeaderEpoch(LEADER_EPOCH).append(recordTimestamp, key, value);
            if (alone)
            {
                recordBuilder.finish();
                view.wrap(map, position);
                if (current.timestampType() == TimestampType.LOG_APPEND_TIME)
                {
                    view.setLogAppendTime(now);
                }
                active.appended(view);
            }
            else
            {
                recordBuilder.publishOpen();
                active.wroteOpenBatch();
                openBatchMap = map;
                openBatchPosition = position;
                openBatchBase = offset;
            }
            publish(offset + 1, 1, now);
            return offset;
        }
        catch (final IOException e)
        {
            throw new LogStorageException("cannot append to " + topicPartition + ": " + e.getMessage(), e);
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Seals the batch single records were growing, if any, and indexes and publishes it as a whole; under the lock. */
    private void sealOpenBatch()
    {
        if (openBatchBase == NO_OPEN_BATCH)
        {
            return;
        }
        recordBuilder.finish();
        active.appended(view.wrap(openBatchMap, openBatchPosition));
        openBatchMap = null;
        openBatchBase = NO_OPEN_BATCH;
    }

    /** Seals the open batch for a reader that is about to read it, if it is still open. */
    private void sealForReaders()
    {
        lock.lock();
        try
        {
            if (!closed)
            {
                sealOpenBatch();
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Refuses a record without a key in a compacted topic, as Kafka does: the cleaner could
     * neither keep nor supersede it. A compressed batch is decompressed to be checked, as Kafka's
     * broker does for a compacted topic.
     */
    private void checkKeys(final RecordBatch batch)
    {
        final Record record = batch.records();
        while (record.next())
        {
            if (record.keyLength() < 0)
            {
                throw new InvalidRecordException("Compacted topic cannot accept message without key in topic partition " + topicPartition);
            }
        }
    }

    private void checkTransactionFlags(final RecordBatch batch)
    {
        if (batch.isControl())
        {
            throw new InvalidRecordException("a control batch (a transaction marker) at offset " + batch.baseOffset() +
                " is refused: only the transaction coordinator writes markers to " + topicPartition);
        }
        if (batch.producerId() == NO_PRODUCER_ID)
        {
            throw new InvalidRecordException("a transactional batch without a producer id is refused by " + topicPartition);
        }
    }

    /**
     * Rolls if due, gives the checked batches their offsets (and log-append time) and writes
     * them to the active segment; readers do not see them until {@link #publish}.
     *
     * @return the log end offset after them.
     */
    private long write(final ByteBuffer batches, final long offsetSpan, final long now, final long logAppendTime) throws IOException
    {
        final int start = batches.position();
        final int end = batches.limit();
        modified = true;
        sealOpenBatch();
        if (shouldRoll(end - start, offsetSpan, now))
        {
            roll(now);
        }
        long next = logEndOffset;
        for (int i = start; i < end; i += view.sizeInBytes())
        {
            view.wrap(batches, i);
            view.setBaseOffset(next);
            view.setPartitionLeaderEpoch(LEADER_EPOCH);
            if (logAppendTime != NO_TIMESTAMP)
            {
                view.setLogAppendTime(logAppendTime);
            }
            next = view.lastOffset() + 1;
        }
        active.append(batches, view);
        return next;
    }

    /**
     * Makes what {@link #write} wrote up to {@code next} visible to readers, then flushes per the
     * policy. The log end offset moves first, as Kafka's does: a flush that fails must not leave
     * records in the segment past the log end, where the next append would number its own
     * records over theirs. With {@code flush.messages=1} a reader may so see a record before its
     * fsync ends, as in Kafka; the append returns, and the producer hears of it, only after.
     */
    private void publish(final long next, final int records, final long now) throws IOException
    {
        // A release store orders what was written before it, as a volatile store would, without
        // a full fence per append: the lock's release after it fences anyway.
        LOG_END_OFFSET.setRelease(this, next);
        unflushedRecords += records;
        if (unflushedRecords >= config.flushMessages() || now - lastFlushMs >= config.flushMs())
        {
            flushActive(now);
        }
    }

    private boolean shouldRoll(final int bytes, final long offsetSpan, final long now)
    {
        final Segment segment = active;
        return segment.size() > 0 &&
            ((long)segment.size() + bytes > config.segmentBytes() ||
                now - segment.createdMs() >= config.segmentMs() ||
                logEndOffset + offsetSpan - segment.baseOffset() > Integer.MAX_VALUE);
    }

    private void roll(final long now) throws IOException
    {
        sealOpenBatch();
        modified = true;
        rolling = true;
        try
        {
            // At most one seal per log in the background: a log that rolls faster than its
            // segments can be forced waits here, for the disk.
            finishSealing();
            final Segment sealed = active;
            if (sealed.deleteIndexFilesFromBefore())
            {
                DurableFile.syncDirectory(dir); // gone on disk before a segment follows this one there
            }
            // The snapshot must not claim aborts whose index entries could still be lost: the
            // seal, which would force them, comes later.
            sealed.transactionIndex().force();
            producerState.takeSnapshot(logEndOffset);
            final Segment next = Segment.create(dir, logEndOffset, config.indexIntervalBytes(), now, pool);
            segments.put(next.baseOffset(), next);
            active = next;
            pendingSeal = BackgroundSeal.start(topicPartition, sealed);
        }
        finally
        {
            rolling = false;
        }
    }

    /** Waits for the seal of the segment rolled away from last, sealing it here if that failed. */
    private void finishSealing() throws IOException
    {
        if (pendingSeal != null)
        {
            pendingSeal.finish();
            pendingSeal = null;
        }
    }

    /** Waits, without the lock, for the seal under way, if any: a round then cleans every sealed segment. */
    private void awaitPendingSeal()
    {
        final BackgroundSeal pending;
        lock.lock();
        try
        {
            pending = pendingSeal;
        }
        finally
        {
            lock.unlock();
        }
        if (pending != null)
        {
            pending.await();
        }
    }

    /** Stops the seal of the segment rolled away from last, or waits for its end, for a segment about to go. */
    private void dropSealing()
    {
        if (pendingSeal != null)
        {
            pendingSeal.cancel();
            pendingSeal = null;
        }
    }

    @Override
    public LogSlice read(final long offset, final int maxBytes, final long maxOffset)
    {
        return readBelow(offset, maxBytes, maxOffset);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A marker for a producer with no open transaction here is written all the same and
     * records no aborted transaction; it still sets the producer's epoch. A marker of a newer
     * epoch than the producer's is taken (the coordinator bumped it).
     */
    @Override
    public AppendResult appendMarker(final TransactionMarker marker)
    {
        lock.lock();
        try
        {
            ensureOpen();
            producerState.checkMarker(marker.producerId(), marker.producerEpoch());
            final long now = clock.time();
            final ByteBuffer batch = ByteBuffer.allocate(ControlRecord.MARKER_BATCH_SIZE);
            batch.limit(ControlRecord.writeMarker(markerBuilder, batch, marker.producerId(), marker.producerEpoch(),
                marker.result().controlType(), marker.coordinatorEpoch(), now));
            final long logAppendTime = config.timestampType() == TimestampType.LOG_APPEND_TIME ? now : NO_TIMESTAMP;
            final long offset = logEndOffset;
            final long next = write(batch, 1, now, logAppendTime);
            final TransactionIndex.Entry aborted = producerState.completeTransaction(marker.producerId(), marker.producerEpoch(),
                marker.coordinatorEpoch(), marker.result() == TransactionResult.ABORT, offset, now);
            if (aborted != null)
            {
                indexAbort(aborted);
            }
            firstUnstableOffset = producerState.firstUnstableOffset();
            publish(next, 1, now);
            return new AppendResult(offset, offset, logAppendTime, 1);
        }
        catch (final IOException e)
        {
            throw new LogStorageException("cannot append a transaction marker to " + topicPartition + ": " + e.getMessage(), e);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Never above the log end offset a reader could see, and never below the log start
     * offset: retention may delete the start of a transaction still open, and readers then
     * wait at the log start for its marker.
     */
    @Override
    public long lastStableOffset()
    {
        final long end = logEndOffset;
        final long firstUnstable = firstUnstableOffset;
        final long stable = firstUnstable < 0 ? end : Math.min(firstUnstable, end);
        return Math.max(stable, logStartOffset);
    }

    @Override
    public List<AbortedTransaction> abortedTransactions(final long fromOffset, final long toOffset)
    {
        return abortedTransactions.collect(fromOffset, toOffset);
    }

    @Override
    public List<ActiveProducer> activeProducers()
    {
        lock.lock();
        try
        {
            return producerState.activeProducers();
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public boolean appendMayWait(final int bytes)
    {
        final LogConfig current = config;
        if (current.forcesFlushes() || rolling)
        {
            return true;
        }
        final Segment segment = active;
        return segment.size() > 0 &&
            ((long)segment.size() + bytes > current.segmentBytes() || clock.time() - segment.createdMs() >= current.segmentMs());
    }

    private void flushActive(final long now) throws IOException
    {
        // A flush covers every offset below the log end, as Kafka's does: the segment rolled
        // last may not be forced yet, and a later one must not reach the disk without it.
        finishSealing();
        flushHook.run();
        active.flush();
        unflushedRecords = 0;
        lastFlushMs = now;
    }

    @Override
    public LogSlice read(final long offset, final int maxBytes)
    {
        return readBelow(offset, maxBytes, Long.MAX_VALUE);
    }

    /** Reads the batches that begin below {@code maxOffset} and below the log end offset as it is when the read starts. */
    private LogSlice readBelow(final long offset, final int maxBytes, final long maxOffset)
    {
        final long end = logEndOffset;
        if (offset == end)
        {
            return LogSlice.EMPTY;
        }
        checkInRange(offset, end);
        // The active segment shows an append's bytes before publish() moves the log end offset:
        // stop at the end checked above, or a reader takes a record past it, finds its next
        // position out of range and starts over (auto.offset.reset), reading records twice.
        final long bound = Math.min(maxOffset, end);
        if (offset >= bound)
        {
            return LogSlice.EMPTY;
        }
        if (offset >= openBatchBase)
        {
            sealForReaders();
        }
        Segment segment = null;
        try
        {
            for (Map.Entry<Long, Segment> entry = segments.floorEntry(offset); entry != null && entry.getKey() < bound;
                entry = segments.higherEntry(entry.getKey()))
            {
                segment = entry.getValue();
                final FileSlice slice = segment.read(offset, maxBytes, bound);
                if (slice != null)
                {
                    return slice;
                }
            }
            return LogSlice.EMPTY;
        }
        catch (final IOException e)
        {
            // Retention may have deleted the segment under the read, or the cleaner replaced it.
            checkInRange(offset, logEndOffset);
            if (segment != null && segments.get(segment.baseOffset()) != segment && segments.containsKey(segment.baseOffset()))
            {
                return readBelow(offset, maxBytes, maxOffset);
            }
            throw new LogStorageException("cannot read " + topicPartition + " at offset " + offset + ": " + e, e);
        }
    }

    private void checkInRange(final long offset, final long end)
    {
        final long start = logStartOffset;
        if (offset < start || offset > end)
        {
            throw new OffsetOutOfRangeException("offset " + offset + " is out of range for " + topicPartition +
                ": the log holds offsets " + start + " to " + end + " (exclusive)");
        }
    }

    @Override
    public TimestampOffset offsetForTimestamp(final long timestamp)
    {
        if (openBatchBase != NO_OPEN_BATCH)
        {
            sealForReaders();
        }
        try
        {
            final long start = logStartOffset;
            for (final Segment segment : segmentsFrom(start))
            {
                final TimestampOffset found = segment.findByTimestamp(timestamp, start);
                if (found != null)
                {
                    return found;
                }
            }
            return null;
        }
        catch (final IOException e)
        {
            throw new LogStorageException("cannot search " + topicPartition + " by timestamp: " + e.getMessage(), e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Segments are visited by their largest timestamp, highest first (and among equals the
     * earliest first), and only the first segment's batch headers are scanned, unless the log
     * start offset cut into it below its largest timestamp.
     */
    @Override
    public TimestampOffset maxTimestamp()
    {
        if (openBatchBase != NO_OPEN_BATCH)
        {
            sealForReaders();
        }
        try
        {
            final long start = logStartOffset;
            final List<Segment> candidates = new ArrayList<>(segmentsFrom(start));
            candidates.sort(Comparator.comparingLong(Segment::maxTimestamp).reversed().thenComparingLong(Segment::baseOffset));
            TimestampOffset best = null;
            for (final Segment segment : candidates)
            {
                if (segment.maxTimestamp() == NO_TIMESTAMP || (best != null && segment.maxTimestamp() <= best.timestamp()))
                {
                    break;
                }
                final TimestampOffset found = segment.firstMaxTimestamp(Math.max(start, segment.baseOffset()));
                if (found != null && (best == null || found.timestamp() > best.timestamp()))
                {
                    best = found;
                }
            }
            return best;
        }
        catch (final IOException e)
        {
            throw new LogStorageException("cannot find the largest timestamp of " + topicPartition + ": " + e.getMessage(), e);
        }
    }

    /** The segments from the one holding {@code offset} on. */
    private Collection<Segment> segmentsFrom(final long offset)
    {
        final Long floor = segments.floorKey(offset);
        return floor == null ? segments.values() : segments.tailMap(floor).values();
    }

    @Override
    public long logStartOffset()
    {
        return logStartOffset;
    }

    @Override
    public long logEndOffset()
    {
        return logEndOffset;
    }

    @Override
    public long sizeInBytes()
    {
        if (openBatchBase != NO_OPEN_BATCH)
        {
            sealForReaders();
        }
        long size = 0;
        for (final Segment segment : segments.values())
        {
            size += segment.size();
        }
        return size;
    }

    /**
     * @return how many segment files the log has.
     */
    public int segmentCount()
    {
        return segments.size();
    }

    @Override
    public void flush()
    {
        flush(true, clock.time());
    }

    @Override
    public void flushIfDue(final long nowMs)
    {
        flush(false, nowMs);
    }

    private void flush(final boolean always, final long nowMs)
    {
        lock.lock();
        try
        {
            if (always)
            {
                ensureOpen();
            }
            if (always || (!closed && unflushedRecords > 0 && nowMs - lastFlushMs >= config.flushMs()))
            {
                flushActive(nowMs);
            }
        }
        catch (final IOException e)
        {
            throw new LogStorageException("cannot flush " + topicPartition + ": " + e.getMessage(), e);
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public int expireProducers(final long nowMs, final long idleMs)
    {
        lock.lock();
        try
        {
            ensureOpen();
            final int expired = producerState.expire(nowMs, idleMs);
            modified |= expired > 0;
            return expired;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Waits for an append under way, so that no append sees two configurations.
     */
    @Override
    public void reconfigure(final LogConfig newConfig)
    {
        lock.lock();
        try
        {
            ensureOpen();
            sealOpenBatch();
            config = newConfig;
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public long applyRetention(final long nowMs)
    {
        lock.lock();
        try
        {
            ensureOpen();
            sealOpenBatch();
            final long startBefore = logStartOffset;
            if (!config.delete())
            {
                return 0; // cleanup.policy=compact alone keeps every segment, as in Kafka
            }
            if (config.retentionMs() >= 0)
            {
                final long cutoff = nowMs - config.retentionMs();
                if (active.size() > 0 && active.maxTimestamp() < cutoff)
                {
                    roll(nowMs); // so that a log whose newest data has expired can be emptied
                }
                while (segments.firstEntry().getValue() != active && segments.firstEntry().getValue().maxTimestamp() < cutoff)
                {
                    deleteOldest();
                }
            }
            if (config.retentionBytes() >= 0)
            {
                long size = sizeInBytes();
                while (segments.firstEntry().getValue() != active && size - segments.firstEntry().getValue().size() >= config.retentionBytes())
                {
                    size -= segments.firstEntry().getValue().size();
                    deleteOldest();
                }
            }
            return logStartOffset - startBefore;
        }
        catch (final IOException e)
        {
            throw new LogStorageException("cannot apply retention to " + topicPartition + ": " + e.getMessage(), e);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The round maps the keys of the dirty records into the {@link OffsetMap} up to the first
     * whose key does not fit, and cleans up to there (the next round goes on from it). Each
     * sealed segment is rewritten on its own, oldest first, into a {@code .cleaned} file beside
     * it, which is forced and opened (every batch checked, its indexes built and written as
     * {@code .cleaned} index files), renamed to {@code .swap} (from then on recovery installs it
     * and rebuilds its indexes), its index files put in place, and renamed over the segment's log
     * file. Only that last rename and the swap of the segment list take the log's lock: appends
     * and reads go on meanwhile. The checkpoint is written after the last swap. A crash at any
     * point leaves each segment cleaned or not, both of which hold every key's latest record.
     */
    @Override
    public long clean(final long nowMs)
    {
        final LogConfig current = config;
        if (!current.compact() || !cleaning.tryLock())
        {
            return 0;
        }
        try
        {
            deleteReplaced(nowMs - current.fileDeleteDelayMs());
            awaitPendingSeal();
            final List<Segment> cleanable = new ArrayList<>();
            final List<Segment> dirty = new ArrayList<>();
            final long checkpoint = cleanerCheckpoint;
            final long firstUncleanable = cleanable(current, nowMs, checkpoint, cleanable, dirty);
            if (!due(current, nowMs, cleanable, dirty))
            {
                return 0;
            }
            offsetMap.user().lock();
            try
            {
                return cleanRound(current, nowMs, checkpoint, firstUncleanable, cleanable, dirty);
            }
            finally
            {
                offsetMap.user().unlock();
            }
        }
        catch (final IOException e)
        {
            throw new LogStorageException("cannot clean the log of " + topicPartition + ": " + e.getMessage(), e);
        }
        finally
        {
            cleaning.unlock();
        }
    }

    /**
     * Maps the dirty keys, rewrites the segments up to where the map reached, and moves the
     * checkpoint there.
     *
     * @return the bytes reclaimed.
     */
    private long cleanRound(final LogConfig current, final long nowMs, final long checkpoint, final long firstUncleanable,
        final List<Segment> cleanable, final List<Segment> dirty) throws IOException
    {
        final long started = System.nanoTime();
        final LogCleaner cleaner = new LogCleaner(offsetMap);
        final long end = Math.min(firstUncleanable, cleaner.map(dirty, cleanable, checkpoint));
        final long mapped = System.nanoTime();
        // A map that filled cleans the segments below the first record it left out, that one's too.
        cleanable.removeIf(segment -> segment.baseOffset() >= end);
        final long cleanedBytes = cleanable.stream().mapToLong(Segment::size).sum();
        long reclaimed = 0;
        for (final Segment segment : cleanable)
        {
            reclaimed += cleanSegment(cleaner, segment, !dirty.contains(segment), current, nowMs);
        }
        lock.lock();
        try
        {
            if (!closed)
            {
                DurableFile.replace(dir.resolve(CLEANER_CHECKPOINT_FILE),
                    ByteBuffer.wrap((end + "\n").getBytes(StandardCharsets.US_ASCII)));
                DurableFile.syncDirectory(dir);
                cleanerCheckpoint = end;
            }
        }
        finally
        {
            lock.unlock();
        }
        // One line a round, as Kafka's cleaner logs its own: what a comparison of the two reads.
        final long finished = System.nanoTime();
        final double seconds = (finished - started) / 1e9;
        LOG.info("{}: cleaned {} segments up to offset {} ({} keys{}): {} of {} bytes reclaimed in {} s (map {} s, rewrite {} s; {} MB/s)",
            topicPartition, cleanable.size(), end, cleaner.mappedKeys(), end < firstUncleanable ? ", the map full" : "", reclaimed,
            cleanedBytes, String.format("%.2f", seconds), String.format("%.2f", (mapped - started) / 1e9),
            String.format("%.2f", (finished - mapped) / 1e9), String.format("%.1f", cleanedBytes / 1e6 / seconds));
        return reclaimed;
    }

    /**
     * @return the offset the cleanable segments end at; they (the sealed ones, from the start,
     *         up to the first whose newest record is younger than {@code min.compaction.lag.ms}
     *         or whose seal is still under way)
     *         are added to {@code cleanable}, those holding offsets from {@code checkpoint} on to
     *         {@code dirty} too.
     */
    private long cleanable(final LogConfig current, final long nowMs, final long checkpoint, final List<Segment> cleanable,
        final List<Segment> dirty) throws IOException
    {
        lock.lock();
        try
        {
            ensureOpen();
            if (pendingSeal != null && pendingSeal.isDone())
            {
                finishSealing();
            }
            for (final Segment segment : segments.headMap(active.baseOffset()).values())
            {
                // A segment rolled since the wait above: its seal writes index files, which must
                // not land over those of the segment the cleaner writes in its place.
                if (pendingSeal != null && pendingSeal.segment() == segment)
                {
                    return segment.baseOffset();
                }
                if (segment.maxTimestamp() > nowMs - current.minCompactionLagMs())
                {
                    return segment.baseOffset();
                }
                cleanable.add(segment);
                if (segment.baseOffset() >= checkpoint || segment.nextOffset() > checkpoint)
                {
                    dirty.add(segment);
                }
            }
            return active.baseOffset();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @return true if the dirty segments' share of the cleanable bytes reaches
     *         {@code min.cleanable.dirty.ratio}, or the oldest dirty segment's newest record is
     *         {@code max.compaction.lag.ms} old.
     */
    private static boolean due(final LogConfig current, final long nowMs, final List<Segment> cleanable, final List<Segment> dirty)
    {
        long dirtyBytes = 0;
        for (final Segment segment : dirty)
        {
            dirtyBytes += segment.size();
        }
        if (dirtyBytes == 0)
        {
            return false;
        }
        long totalBytes = 0;
        for (final Segment segment : cleanable)
        {
            totalBytes += segment.size();
        }
        final long oldest = dirty.get(0).maxTimestamp();
        return (double)dirtyBytes / totalBytes >= current.minCleanableDirtyRatio() ||
            (oldest >= 0 && nowMs - oldest >= current.maxCompactionLagMs());
    }

    /**
     * Rewrites one sealed segment and swaps the result in.
     *
     * @param clean true if the segment was cleaned before: its tombstones go once its file is
     *        {@code delete.retention.ms} old. A dirty segment's file is stamped with the time of
     *        this, its first cleaning, from which its tombstones' retention counts.
     * @return the bytes reclaimed.
     */
    private long cleanSegment(final LogCleaner cleaner, final Segment segment, final boolean clean, final LogConfig current,
        final long nowMs) throws IOException
    {
        final Path file = segment.file();
        final Path cleaned = file.resolveSibling(file.getFileName() + CLEANED_SUFFIX);
        final Path swap = file.resolveSibling(file.getFileName() + SWAP_SUFFIX);
        final FileTime modified;
        try
        {
            modified = Files.getLastModifiedTime(file);
        }
        catch (final IOException e)
        {
            return 0; // retention deleted the segment meanwhile
        }
        final boolean dropTombstones = clean && nowMs - modified.toMillis() >= current.deleteRetentionMs();
        final long written;
        try
        {
            written = cleaner.cleanInto(segment, dropTombstones, cleaned);
        }
        catch (final IOException e)
        {
            Files.deleteIfExists(cleaned);
            if (segments.get(segment.baseOffset()) != segment)
            {
                return 0; // retention deleted the segment under the cleaner
            }
            throw e;
        }
        final FileTime stamp = clean ? modified : FileTime.fromMillis(nowMs);
        if (written == segment.size())
        {
            Files.delete(cleaned);
            if (!clean)
            {
                Files.setLastModifiedTime(file, stamp);
            }
            return 0;
        }
        Files.setLastModifiedTime(cleaned, stamp);
        final Long next = segments.higherKey(segment.baseOffset());
        if (next == null)
        {
            Files.delete(cleaned);
            return 0; // the segments after it went (the log was emptied): it is the active one now
        }
        final Segment fresh;
        try
        {
            fresh = Segment.openCleaned(cleaned, file, segment.baseOffset(), current.indexIntervalBytes(), pool, LEADER_EPOCH, next);
        }
        catch (final IOException | RuntimeException e)
        {
            Files.deleteIfExists(cleaned); // a bad copy, of no use to recovery either
            throw e;
        }
        final boolean swapped;
        try
        {
            cleanedSegmentHook.run();
            fresh.moveCleanedFile(swap);
            DurableFile.syncDirectory(dir);
            // Recovery now installs the swap file and rebuilds the indexes, so the old ones may go.
            fresh.installCleanedIndexes();
            DurableFile.syncDirectory(dir);
            swapped = swapIn(segment, fresh, swap);
        }
        catch (final IOException | RuntimeException e)
        {
            fresh.abandon(); // its files stay for recovery, which installs or discards them
            throw e;
        }
        if (!swapped)
        {
            fresh.abandon();
            // The installed indexes first: while the swap is there, recovery installs it and
            // rebuilds them; without it, they would be taken for the old file's.
            Segment.deleteIndexFiles(file, segment.baseOffset());
            Files.deleteIfExists(swap);
            return 0;
        }
        // No directory sync: recovery completes the swap from any of the renames' states, and
        // the checkpoint's sync at the end of the round makes them all durable.
        return segment.size() - written;
    }

    /**
     * Replaces {@code segment} by {@code fresh}, whose file is at {@code swap}, under the lock:
     * the transaction index (kept by the new segment, or rewritten from the old one's entries if
     * missing or damaged), two renames and the swap in the segment list. Readers that found the
     * old segment finish with it; a read whose file was retired under it starts again on the new
     * one.
     *
     * @return false, with nothing changed, if retention deleted the segment, the log was
     *         emptied after it, or the log closed meanwhile.
     * @throws IOException if a step fails: the old file is back at its name, the segment in the list.
     */
    private boolean swapIn(final Segment segment, final Segment fresh, final Path swap) throws IOException
    {
        lock.lock();
        try
        {
            final long base = segment.baseOffset();
            if (closed || segments.get(base) != segment || segments.higherKey(base) == null)
            {
                return false;
            }
            // Here, after the check: rewritten for a segment that retention deleted, the file would stay forever.
            if (!fresh.transactionIndex().load(base))
            {
                fresh.transactionIndex().replace(segment.transactionIndex().entries());
            }
            segment.moveAside(segment.file().resolveSibling(segment.file().getFileName() + "." + replacements++ + DELETED_SUFFIX));
            try
            {
                asideHook.run();
                fresh.moveCleanedFile(segment.file());
            }
            catch (final IOException | RuntimeException e)
            {
                // Left aside, the file of a segment still in the list would escape retention and
                // be installed again by recovery over nothing.
                try
                {
                    segment.moveBack();
                }
                catch (final IOException back)
                {
                    e.addSuppressed(back); // recovery installs the swap file over the name left empty
                }
                throw e;
            }
            segments.put(base, fresh);
            replaced.add(new Replaced(segment, clock.time()));
            return true;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Sets what runs in the cleaner's thread once each cleaned segment is built (checked, its
     * indexes written) and before it is swapped in, for tests to act while a round is there.
     *
     * @param hook what to run; its exception ends the round as an I/O error would.
     */
    void cleanedSegmentHook(final Runnable hook)
    {
        cleanedSegmentHook = hook;
    }

    /**
     * Sets what runs under the log's lock before a flush forces the active segment, for tests to
     * fail the flush.
     *
     * @param hook what to run; its exception fails the flush as the disk's would.
     */
    void flushHook(final Runnable hook)
    {
        flushHook = hook;
    }

    /**
     * Sets what runs under the log's lock between moving a replaced file aside and renaming the
     * cleaned file over its name, for tests to fail that rename.
     *
     * @param hook what to run; its exception fails the swap as the rename's would.
     */
    void asideHook(final Runnable hook)
    {
        asideHook = hook;
    }

    /**
     * Deletes the files of the segments the cleaner replaced before {@code beforeMs}: a reader
     * that still holds a slice of one gets an I/O error and reads again, from the new segment.
     * The directory is synced first, so that no replaced file is gone from the disk before the
     * cleaned one is durably at its name (a round that failed before its checkpoint synced none).
     */
    private void deleteReplaced(final long beforeMs) throws IOException
    {
        lock.lock();
        try
        {
            if (!replaced.isEmpty() && replaced.get(0).atMs() <= beforeMs)
            {
                DurableFile.syncDirectory(dir);
            }
            while (!replaced.isEmpty() && replaced.get(0).atMs() <= beforeMs)
            {
                replaced.remove(0).segment().retireReplaced();
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public void roll()
    {
        lock.lock();
        try
        {
            ensureOpen();
            sealOpenBatch();
            if (active.size() > 0)
            {
                roll(clock.time());
            }
        }
        catch (final IOException e)
        {
            throw new LogStorageException("cannot roll the log of " + topicPartition + ": " + e.getMessage(), e);
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public long deleteSegmentsBefore(final long offset)
    {
        lock.lock();
        try
        {
            ensureOpen();
            final long startBefore = logStartOffset;
            deleteSegmentsBelow(offset);
            return logStartOffset - startBefore;
        }
        catch (final IOException e)
        {
            throw new LogStorageException("cannot delete segments of " + topicPartition + ": " + e.getMessage(), e);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The offset is written to {@value #LOG_START_OFFSET_FILE} (a temporary file forced to
     * disk and renamed, then the directory forced) before it is published to readers, so a
     * kill -9 or a power cut after the answer cannot bring the deleted records back. A crash
     * between the file and the deletion of the segments below it leaves those segments, which
     * the next open deletes.
     */
    @Override
    public long deleteRecordsBefore(final long offset)
    {
        lock.lock();
        try
        {
            ensureOpen();
            if (offset < 0 || offset > logEndOffset)
            {
                throw new OffsetOutOfRangeException("cannot delete the records of " + topicPartition + " before offset " + offset +
                    ": the log holds offsets " + logStartOffset + " to " + logEndOffset + " (exclusive)");
            }
            if (offset <= logStartOffset)
            {
                return logStartOffset;
            }
            DurableFile.replace(dir.resolve(LOG_START_OFFSET_FILE), ByteBuffer.wrap((offset + "\n").getBytes(StandardCharsets.US_ASCII)));
            DurableFile.syncDirectory(dir);
            logStartOffset = offset;
            abortedTransactions.removeBefore(offset);
            deleteSegmentsBelow(offset);
            return logStartOffset;
        }
        catch (final IOException e)
        {
            throw new LogStorageException("cannot delete the records of " + topicPartition + " before offset " + offset + ": " +
                e.getMessage(), e);
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Deletes the sealed segments all of whose records lie below {@code offset}. */
    private void deleteSegmentsBelow(final long offset) throws IOException
    {
        while (segments.firstEntry().getValue() != active && segments.higherKey(segments.firstKey()) <= offset)
        {
            deleteOldest();
        }
    }

    private void deleteOldest() throws IOException
    {
        modified = true;
        final Segment oldest = segments.pollFirstEntry().getValue();
        if (pendingSeal != null && pendingSeal.segment() == oldest)
        {
            dropSealing();
        }
        // Never back: a start that DeleteRecords moved inside the next segment stays.
        logStartOffset = Math.max(logStartOffset, segments.firstKey());
        abortedTransactions.removeBefore(logStartOffset);
        oldest.delete();
    }

    @Override
    public RecoveryReport recoveryReport()
    {
        return recoveryReport;
    }

    @Override
    public void close()
    {
        lock.lock();
        try
        {
            if (closed)
            {
                return;
            }
            sealOpenBatch();
            closed = true;
            try
            {
                deleteReplaced(Long.MAX_VALUE);
            }
            catch (final IOException e)
            {
                LOG.warn("{}: cannot delete a segment file the cleaner replaced (the next open does): {}", topicPartition, e.toString());
            }
            if (!modified)
            {
                // What is on disk is what opening found: nothing to seal, force or snapshot.
                segments.values().forEach(Segment::abandon);
                return;
            }
            IOException failure = null;
            try
            {
                finishSealing();
            }
            catch (final IOException e)
            {
                failure = e;
            }
            try
            {
                // The snapshot must not claim aborts whose index entries could still be lost.
                active.transactionIndex().force();
                producerState.takeSnapshot(logEndOffset);
            }
            catch (final IOException e)
            {
                failure = e;
            }
            for (final Segment segment : segments.values())
            {
                try
                {
                    segment.close();
                }
                catch (final IOException e)
                {
                    failure = e;
                }
            }
            if (failure != null)
            {
                throw new LogStorageException("cannot close the log of " + topicPartition + ": " + failure.getMessage(), failure);
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public void abandon()
    {
        lock.lock();
        try
        {
            closed = true;
            dropSealing();
            segments.values().forEach(Segment::abandon);
            replaced.forEach(entry -> entry.segment().abandon());
        }
        finally
        {
            lock.unlock();
        }
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new LogStorageException("the log of " + topicPartition + " is closed", null);
        }
    }

    @Override
    public String toString()
    {
        return "SegmentedLog{" + topicPartition + ", start=" + logStartOffset + ", end=" + logEndOffset + ", segments=" + segments.size() + '}';
    }
}
