package io.tidemark.log.storage;

import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.log.RecoveryReport;
import io.tidemark.log.TimestampOffset;
import io.tidemark.log.record.CorruptRecordException;
import io.tidemark.log.record.Record;
import io.tidemark.log.record.RecordBatch;
import io.tidemark.log.record.RecordBatchLayout;

import static io.tidemark.log.record.RecordBatchLayout.*;

/**
 * One file of a partition's log: record batches back to back, starting at the offset in the
 * file's name ({@code 00000000000000000042.log} holds offsets from 42), with its sparse
 * {@link OffsetIndex} ({@code .index}), {@link TimeIndex} ({@code .timeindex}) and
 * {@link TransactionIndex} ({@code .txnindex}) beside it.
 * Only the last segment of a log, the active one, is appended to; the others are sealed.
 *
 * <p>Not thread-safe for writers: the log appends under its lock. Readers may run at any
 * time and see the bytes up to {@link #size()}, which is published after the bytes are
 * written.
 */
final class Segment
{
    /** Size of the batch header prefix read while scanning: up to the record count. */
    private static final int SCAN_HEADER_SIZE = RecordBatchLayout.HEADER_SIZE;
    private static final int REMAP_STEP = 64 * 1024;
    private static final int RECOVERY_CHUNK = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(Segment.class);
    private static final VarHandle SIZE;
    private static final VarHandle NEXT_OFFSET;
    private static final VarHandle MAX_TIMESTAMP;
    private static final VarHandle NEWEST_BATCH;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            SIZE = lookup.findVarHandle(Segment.class, "size", int.class);
            NEXT_OFFSET = lookup.findVarHandle(Segment.class, "nextOffset", long.class);
            MAX_TIMESTAMP = lookup.findVarHandle(Segment.class, "maxTimestamp", long.class);
            NEWEST_BATCH = lookup.findVarHandle(Segment.class, "newestBatch", long.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Path logFile;
    private final long baseOffset;
    private final SegmentFile file;
    private final int indexIntervalBytes;
    private final long createdMs;
    private final TransactionIndex transactionIndex;
    private OffsetIndex offsetIndex;
    private TimeIndex timeIndex;
    /*
     * Read by readers without a lock; the appender publishes them with release stores, which
     * order the batch's bytes before them as a volatile store does, without the full fence of
     * one per field per record.
     */
    private volatile int size;
    private volatile long nextOffset;
    private volatile long maxTimestamp = NO_TIMESTAMP;
    private int bytesSinceIndexEntry;
    private boolean indexesDirty;
    /** True once bytes were written that no flush has forced to disk yet. */
    private boolean unflushed;
    /**
     * A read-only map of the file's first bytes, replaced by a larger one when a read needs
     * bytes the active segment gained since. Never unmapped explicitly: a reader may still
     * hold a view, and the garbage collector unmaps it once no view is left.
     */
    private volatile ByteBuffer mapped;
    /**
     * The newest batch appended since the segment was opened: its base offset, relative to the
     * segment's, in the high 32 bits and its position in the low 32 (one field, so that a
     * reader never pairs one batch's offset with another's position), or -1 before the first.
     * A read at the end of the log (a caught-up consumer's) starts its scan there rather than
     * at the last index entry: the newest bytes are past the map, and each header scanned
     * there is a {@code pread}. Published with a release store, as {@link #size} is.
     */
    private volatile long newestBatch = -1;
    /** True while appends may still come: the map then trails the file and is renewed in steps. */
    private volatile boolean growing = true;
    /** Where the log builds single records in place ({@link #reserve}), past the end of the file. Readers never use it. */
    private final AppendRoom room;
    /**
     * True for a segment opened from disk, until {@link #deleteIndexFilesFromBefore}: index files
     * an earlier process wrote may lie beside it, describing fewer bytes than it may hold now.
     */
    private boolean indexFilesFromBefore;

    private Segment(final Path logFile, final long baseOffset, final ChannelPool pool, final int indexIntervalBytes,
        final long createdMs)
    {
        this(logFile, logFile, baseOffset, pool, indexIntervalBytes, createdMs);
    }

    /** @param filePath where the log file is now: a cleaned segment's is beside {@code logFile} until it is swapped in. */
    private Segment(final Path logFile, final Path filePath, final long baseOffset, final ChannelPool pool, final int indexIntervalBytes,
        final long createdMs)
    {
        this.logFile = logFile;
        this.baseOffset = baseOffset;
        this.file = new SegmentFile(filePath, pool);
        this.room = new AppendRoom(file);
        this.indexIntervalBytes = indexIntervalBytes;
        this.createdMs = createdMs;
        this.offsetIndex = new OffsetIndex(baseOffset);
        this.timeIndex = new TimeIndex(baseOffset);
        this.nextOffset = baseOffset;
        this.transactionIndex = new TransactionIndex(logFile.resolveSibling(String.format("%020d.txnindex", baseOffset)));
    }

    /**
     * @return the name of the log file of a segment that starts at {@code baseOffset}.
     */
    static String fileName(final long baseOffset)
    {
        return String.format("%020d.log", baseOffset);
    }

    /**
     * @return the base offset named by a segment's log file name, or -1 if it is not one.
     */
    static long parseBaseOffset(final String fileName)
    {
        if (fileName.length() != 24 || !fileName.endsWith(".log"))
        {
            return -1;
        }
        for (int i = 0; i < 20; i++)
        {
            if (!Character.isDigit(fileName.charAt(i)))
            {
                return -1;
            }
        }
        return Long.parseLong(fileName.substring(0, 20));
    }

    /**
     * Creates an empty segment file; an existing empty file of the same name is reused.
     */
    static Segment create(final Path dir, final long baseOffset, final int indexIntervalBytes, final long nowMs, final ChannelPool pool)
        throws IOException
    {
        final Path file = dir.resolve(fileName(baseOffset));
        // Created and closed at once: the pool opens it when it is first used.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE))
        {
            if (channel.size() != 0)
            {
                throw new IOException("segment file " + file + " exists already and is not empty");
            }
        }
        final Segment segment = new Segment(file, baseOffset, pool, indexIntervalBytes, nowMs);
        segment.transactionIndex.create();
        // No index files exist yet: sealing must write them even if no entry is ever added.
        segment.indexesDirty = true;
        return segment;
    }

    /**
     * Opens an existing segment file. Its indexes and end are unknown until {@link #recover}
     * or {@link #loadSealed} runs.
     */
    static Segment open(final Path file, final long baseOffset, final int indexIntervalBytes, final ChannelPool pool) throws IOException
    {
        final BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attributes.isRegularFile())
        {
            throw new IOException("segment " + file + " is not a regular file");
        }
        final Segment segment = new Segment(file, baseOffset, pool, indexIntervalBytes, attributes.creationTime().toMillis());
        segment.size = (int)Math.min(attributes.size(), Integer.MAX_VALUE);
        segment.indexFilesFromBefore = true;
        return segment;
    }

    /**
     * Opens the file the log cleaner wrote to replace the segment whose log file is
     * {@code logFile}, checking every batch and building its indexes in memory, and writes
     * them beside the segment's as {@code .cleaned} files (see {@link #installCleanedIndexes}):
     * the whole cost of the swap but renames, paid without the log's lock.
     *
     * @param cleaned the cleaned file, forced to disk.
     * @param logFile the log file of the segment it replaces, whose name it takes when swapped in.
     * @param baseOffset the segment's base offset.
     * @param indexIntervalBytes the bytes between two index entries.
     * @param pool the budget of open segment files.
     * @param leaderEpoch the epoch every batch must carry.
     * @param limitOffset the next segment's base offset, which no batch may reach.
     * @return the sealed segment, its file still at {@code cleaned}.
     * @throws IOException if the file cannot be read, or fails a check (the cleaner wrote a bad
     *         file: it must not replace a good one).
     */
    static Segment openCleaned(final Path cleaned, final Path logFile, final long baseOffset, final int indexIntervalBytes,
        final ChannelPool pool, final int leaderEpoch, final long limitOffset) throws IOException
    {
        final BasicFileAttributes attributes = Files.readAttributes(cleaned, BasicFileAttributes.class);
        final Segment segment = new Segment(logFile, cleaned, baseOffset, pool, indexIntervalBytes, attributes.creationTime().toMillis());
        segment.size = (int)Math.min(attributes.size(), Integer.MAX_VALUE);
        segment.growing = false;
        try
        {
            final RecoveryReport.Truncation truncation = segment.recover(leaderEpoch, limitOffset);
            if (truncation != null)
            {
                throw new IOException("the cleaned file " + cleaned + " fails a check at position " + truncation.validBytes() + ": " +
                    truncation.reason());
            }
            segment.offsetIndex.writeTo(cleanedIndexFile(segment.indexFile()));
            segment.timeIndex.writeTo(cleanedIndexFile(segment.timeIndexFile()));
            segment.indexesDirty = false;
            return segment;
        }
        catch (final IOException | RuntimeException e)
        {
            segment.abandon();
            deleteCleanedIndexes(logFile, baseOffset);
            throw e;
        }
    }

    /**
     * Renames the log file of a segment that {@link #openCleaned} opened, an open channel
     * reading on: to {@code .swap} once it is ready, and to the segment's own name when it is
     * swapped in.
     *
     * @param target the new name.
     */
    void moveCleanedFile(final Path target) throws IOException
    {
        file.moveTo(target);
    }

    /**
     * Puts the index files {@link #openCleaned} wrote in place of the replaced segment's; the
     * directory entries are the caller's to sync.
     */
    void installCleanedIndexes() throws IOException
    {
        Files.move(cleanedIndexFile(indexFile()), indexFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.move(cleanedIndexFile(timeIndexFile()), timeIndexFile(), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
    }

    /** Deletes the index files {@link #openCleaned} wrote for the segment whose log file is {@code logFile}. */
    static void deleteCleanedIndexes(final Path logFile, final long baseOffset) throws IOException
    {
        Files.deleteIfExists(cleanedIndexFile(logFile.resolveSibling(String.format("%020d.index", baseOffset))));
        Files.deleteIfExists(cleanedIndexFile(logFile.resolveSibling(String.format("%020d.timeindex", baseOffset))));
    }

    private static Path cleanedIndexFile(final Path indexFile)
    {
        return indexFile.resolveSibling(indexFile.getFileName() + SegmentedLog.CLEANED_SUFFIX);
    }

    /** @return the segment's log file. */
    Path file()
    {
        return logFile;
    }

    long baseOffset()
    {
        return baseOffset;
    }

    /** @return the offset after the segment's last record. */
    long nextOffset()
    {
        return nextOffset;
    }

    /** @return the bytes readers may see. */
    int size()
    {
        return size;
    }

    /** @return the largest record timestamp in the segment, or -1 if it is empty. */
    long maxTimestamp()
    {
        return maxTimestamp;
    }

    /** @return the aborted transactions whose markers the segment holds. */
    TransactionIndex transactionIndex()
    {
        return transactionIndex;
    }

    /** @return when the segment was created, for rolling by age. */
    long createdMs()
    {
        return createdMs;
    }

    /**
     * Writes batches that the log has checked and numbered, then indexes them and publishes
     * the new size.
     *
     * @param batches the bytes, from position to limit; the position is advanced.
     * @param view a reusable view for reading the batch headers.
     */
    void append(final ByteBuffer batches, final RecordBatch view) throws IOException
    {
        final int start = batches.position();
        final int end = batches.limit();
        final int writeAt = size;
        long position = writeAt;
        // held through the write: a map the pretoucher made meanwhile could cut the file short
        room.claim();
        try
        {
            final FileChannel channel = file.acquire();
            try
            {
                while (batches.hasRemaining())
                {
                    position += channel.write(batches, position);
                }
            }
            finally
            {
                file.release();
            }
        }
        finally
        {
            room.unclaim((int)position);
        }
        unflushed = true;
        long lastOffset = nextOffset - 1;
        int batchPosition = writeAt;
        long newest = newestBatch;
        for (int i = start; i < end; )
        {
            view.wrap(batches, i);
            final int batchSize = view.sizeInBytes();
            index(batchPosition, view.baseOffset(), batchSize, view.maxTimestamp());
            newest = newestBatch(view.baseOffset(), batchPosition);
            lastOffset = view.lastOffset();
            batchPosition += batchSize;
            i += batchSize;
        }
        newestBatch = newest;
        nextOffset = lastOffset + 1;
        size = (int)position;
    }

    /**
     * Makes room for a batch of up to {@code capacity} bytes at the end, in a writable map of
     * the file, for the log to build it in place and then call {@link #appended}: no system
     * call per batch. See {@link AppendRoom}: the room is zeros written ahead, made ready off
     * the appending thread, cut off when the segment is sealed and, after a crash, by recovery
     * as a torn tail.
     *
     * @param capacity the most bytes the batch may take.
     * @param segmentBytes the size at which the log rolls: no room is made past it.
     * @return the map; the batch goes at {@link #reservedPosition()}.
     */
    ByteBuffer reserve(final int capacity, final int segmentBytes) throws IOException
    {
        return room.reserve(size, capacity, segmentBytes);
    }

    /** @return true if room for the appender's next window of single records is ready, made off its thread. */
    boolean roomReadyAhead()
    {
        return room.readyAhead();
    }

    /** @return where in the map of the last {@link #reserve} the next batch starts. */
    int reservedPosition()
    {
        return size - room.mapStart();
    }

    /**
     * Indexes the batch the log built at {@link #reservedPosition()} and publishes the new size.
     *
     * @param batch a view of it, in the map.
     */
    void appended(final RecordBatch batch)
    {
        final int batchSize = batch.sizeInBytes();
        final int position = size;
        index(position, batch.baseOffset(), batchSize, batch.maxTimestamp());
        unflushed = true;
        NEWEST_BATCH.setRelease(this, newestBatch(batch.baseOffset(), position));
        NEXT_OFFSET.setRelease(this, batch.lastOffset() + 1);
        SIZE.setRelease(this, position + batchSize);
    }

    /**
     * Notes that the log wrote a record into the open batch past {@link #size()} (through the
     * map of the last {@link #reserve}), so that the next {@link #flush} forces it.
     */
    void wroteOpenBatch()
    {
        unflushed = true;
    }

    /** @return true if bytes were written that no flush has forced to disk yet. */
    boolean hasUnflushed()
    {
        return unflushed;
    }

    private void index(final int position, final long batchBaseOffset, final int batchSize, final long batchMaxTimestamp)
    {
        if (bytesSinceIndexEntry > indexIntervalBytes)
        {
            offsetIndex.append(batchBaseOffset, position);
            timeIndex.maybeAppend(maxTimestamp, batchBaseOffset);
            bytesSinceIndexEntry = 0;
            indexesDirty = true;
        }
        bytesSinceIndexEntry += batchSize;
        if (batchMaxTimestamp > maxTimestamp)
        {
            MAX_TIMESTAMP.setRelease(this, batchMaxTimestamp);
        }
    }

    /**
     * Finds the batch that holds {@code offset}, and stops before the first batch whose base
     * offset is {@code maxOffset} or more.
     *
     * @return the slice from that batch, at most {@code maxBytes} long but never shorter than
     *         the batch, or null if the segment holds no offset at or after {@code offset}
     *         below {@code maxOffset}.
     */
    FileSlice read(final long offset, final int maxBytes, final long maxOffset) throws IOException
    {
        // The size first: a next offset read after it is at least that of the bytes below it,
        // so a bound at or past that next offset cuts nothing and needs no scan.
        final int limit = size;
        return slice(offset, maxBytes, maxOffset < nextOffset ? positionOf(maxOffset, limit) : limit);
    }

    private FileSlice slice(final long offset, final int maxBytes, final int limit) throws IOException
    {
        final ByteBuffer header = ByteBuffer.allocate(SCAN_HEADER_SIZE);
        final int position = locate(offset, limit, header);
        if (position < 0)
        {
            return null;
        }
        final int batchSize = batchSize(header.getInt(LENGTH_OFFSET));
        final int length = Math.max(batchSize, Math.min(maxBytes, limit - position));
        return new FileSlice(this, position, length);
    }

    /**
     * @return the position of the first batch below {@code limit} whose base offset is
     *         {@code offset} or more, or {@code limit} if there is none.
     */
    private int positionOf(final long offset, final int limit) throws IOException
    {
        final ByteBuffer header = ByteBuffer.allocate(SCAN_HEADER_SIZE);
        int position = offsetIndex.lookup(offset);
        while (position < limit)
        {
            readHeader(header, position);
            if (header.getLong(BASE_OFFSET_OFFSET) >= offset)
            {
                return position;
            }
            position += batchSize(header.getInt(LENGTH_OFFSET));
        }
        return limit;
    }

    /**
     * @return a read-only view of {@code length} bytes at {@code position}: a slice of the
     *         memory map of the file, or, for the few newest bytes of a growing segment that
     *         the map does not reach yet, a copy of them.
     */
    ByteBuffer mappedView(final int position, final int length) throws IOException
    {
        final ByteBuffer map = mapCovering(position + length);
        if (map != null)
        {
            return map.slice(position, length);
        }
        final ByteBuffer copy = ByteBuffer.allocate(length);
        readFully(copy, position, length);
        return copy.flip().asReadOnlyBuffer();
    }

    /** Reads exactly {@code length} bytes at {@code position} into {@code destination}, from the file. */
    void readFully(final ByteBuffer destination, final long position, final int length) throws IOException
    {
        final FileChannel channel = file.acquire();
        try
        {
            readFully(channel, destination, position, length);
        }
        finally
        {
            file.release();
        }
    }

    /** Sends up to {@code length} bytes at {@code position} to {@code target}, zero-copy where the target allows. */
    long transferTo(final long position, final long length, final WritableByteChannel target) throws IOException
    {
        final FileChannel channel = file.acquire();
        try
        {
            return channel.transferTo(position, length, target);
        }
        finally
        {
            file.release();
        }
    }

    /**
     * Returns a map reaching {@code end}, mapping the file afresh if needed and worth it.
     * Mapping costs a system call and, once the old map is collected, an unmap: a reader
     * following the tail of the active segment would pay both for every new batch. So the
     * active segment is remapped only once it has grown {@value #REMAP_STEP} bytes past the
     * map; reads of the newer bytes are copied meanwhile.
     *
     * @return the map, or null if the bytes up to {@code end} are better copied.
     */
    private ByteBuffer mapCovering(final int end) throws IOException
    {
        ByteBuffer map = mapped;
        if (map != null && map.capacity() >= end)
        {
            return map;
        }
        synchronized (this)
        {
            map = mapped;
            final int mappedBytes = map == null ? 0 : map.capacity();
            if (mappedBytes >= end)
            {
                return map;
            }
            final int fileSize = size;
            if (growing && fileSize - mappedBytes < REMAP_STEP && end - mappedBytes <= REMAP_STEP)
            {
                return null;
            }
            final FileChannel channel = file.acquire();
            try
            {
                map = channel.map(FileChannel.MapMode.READ_ONLY, 0, fileSize).asReadOnlyBuffer();
            }
            finally
            {
                file.release();
            }
            mapped = map;
            return map;
        }
    }

    /** @return {@link #newestBatch} for a batch at {@code position} with {@code batchBaseOffset}. */
    private long newestBatch(final long batchBaseOffset, final int position)
    {
        return (batchBaseOffset - baseOffset) << 32 | position;
    }

    /**
     * Reads the header of the batch at {@code position} into {@code header}: from the map when
     * it reaches that far (no system call), else from the file.
     */
    private void readHeader(final ByteBuffer header, final int position) throws IOException
    {
        final ByteBuffer map = mapped;
        if (map != null && map.capacity() >= position + SCAN_HEADER_SIZE)
        {
            header.clear().put(0, map, position, SCAN_HEADER_SIZE);
            return;
        }
        readFully(header.clear(), position, SCAN_HEADER_SIZE);
    }

    /**
     * Scans batch headers from the index entry at or before {@code offset}.
     *
     * @return the position of the first batch whose last offset is at or after {@code offset},
     *         with its header left in {@code header}, or -1 if none is below {@code limit}.
     */
    private int locate(final long offset, final int limit, final ByteBuffer header) throws IOException
    {
        int position = offsetIndex.lookup(offset);
        final long newest = newestBatch;
        final int newestPosition = (int)newest;
        // Any batch whose base offset is at or below the offset is a valid start: those before it end below its base.
        if (newest >= 0 && baseOffset + (newest >>> 32) <= offset && newestPosition > position && newestPosition < limit)
        {
            position = newestPosition;
        }
        while (position < limit)
        {
            readHeader(header, position);
            final long batchBase = header.getLong(BASE_OFFSET_OFFSET);
            final int batchSize = batchSize(header.getInt(LENGTH_OFFSET));
            if (batchBase + header.getInt(LAST_OFFSET_DELTA_OFFSET) >= offset)
            {
                return position;
            }
            position += batchSize;
        }
        return -1;
    }

    /**
     * Hands the header of every batch from the one holding {@code fromOffset} to the end to
     * {@code visitor}, as a view whose header fields are valid; the records are not read,
     * except a control batch's, which is handed whole (a marker's type is in its record).
     */
    void forEachBatchHeader(final long fromOffset, final Consumer<RecordBatch> visitor) throws IOException
    {
        final int limit = size;
        final ByteBuffer header = ByteBuffer.allocate(SCAN_HEADER_SIZE);
        final RecordBatch view = new RecordBatch();
        for (int position = locate(fromOffset, limit, header); position >= 0 && position < limit; )
        {
            readHeader(header, position);
            final int batchSize = batchSize(header.getInt(LENGTH_OFFSET));
            if ((header.getShort(ATTRIBUTES_OFFSET) & CONTROL_FLAG_MASK) != 0)
            {
                final ByteBuffer batch = ByteBuffer.allocate(batchSize);
                readFully(batch, position, batchSize);
                visitor.accept(view.wrap(batch, 0));
            }
            else
            {
                visitor.accept(view.wrap(header, 0));
            }
            position += batchSize;
        }
    }

    /**
     * @param timestamp the time searched for.
     * @param fromOffset the first offset that counts: the log start offset may lie inside the segment.
     * @return the first record at or after {@code fromOffset} whose timestamp is at or after
     *         {@code timestamp}, or null if the segment has none.
     */
    TimestampOffset findByTimestamp(final long timestamp, final long fromOffset) throws IOException
    {
        if (maxTimestamp < timestamp)
        {
            return null;
        }
        final int limit = size;
        final ByteBuffer header = ByteBuffer.allocate(SCAN_HEADER_SIZE);
        int position = locate(Math.max(timeIndex.lookup(timestamp), fromOffset), limit, header);
        while (position >= 0 && position < limit)
        {
            readHeader(header, position);
            final int batchSize = batchSize(header.getInt(LENGTH_OFFSET));
            if (header.getLong(MAX_TIMESTAMP_OFFSET) >= timestamp)
            {
                final Record record = readBatch(position, batchSize).records();
                while (record.next())
                {
                    if (record.offset() >= fromOffset && record.timestamp() >= timestamp)
                    {
                        return new TimestampOffset(record.timestamp(), record.offset());
                    }
                }
            }
            position += batchSize;
        }
        return null;
    }

    /**
     * Finds the largest timestamp from the batch headers (a batch's maximum is in its header),
     * then reads the one batch that holds it. Only the batch holding {@code fromOffset} is read
     * whole first: its header's maximum may belong to a record below that offset.
     *
     * @param fromOffset the first offset that counts.
     * @return the first record at or after {@code fromOffset} with the largest timestamp of
     *         those records, or null if the segment holds none.
     */
    TimestampOffset firstMaxTimestamp(final long fromOffset) throws IOException
    {
        final int limit = size;
        final ByteBuffer header = ByteBuffer.allocate(SCAN_HEADER_SIZE);
        int position = locate(fromOffset, limit, header);
        if (position < 0)
        {
            return null;
        }
        TimestampOffset best = null;
        if (header.getLong(BASE_OFFSET_OFFSET) < fromOffset)
        {
            final int batchSize = batchSize(header.getInt(LENGTH_OFFSET));
            best = firstMaxRecord(position, batchSize, fromOffset);
            position += batchSize;
        }
        int bestPosition = -1;
        long bestTimestamp = best == null ? Long.MIN_VALUE : best.timestamp();
        while (position < limit)
        {
            readHeader(header, position);
            final long batchMax = header.getLong(MAX_TIMESTAMP_OFFSET);
            if (batchMax > bestTimestamp)
            {
                bestTimestamp = batchMax;
                bestPosition = position;
            }
            position += batchSize(header.getInt(LENGTH_OFFSET));
        }
        if (bestPosition < 0)
        {
            return best;
        }
        readHeader(header, bestPosition);
        return firstMaxRecord(bestPosition, batchSize(header.getInt(LENGTH_OFFSET)), fromOffset);
    }

    /** Reads the batch at {@code position} whole and returns its first record at or after {@code fromOffset} with the largest timestamp. */
    private TimestampOffset firstMaxRecord(final int position, final int batchSize, final long fromOffset) throws IOException
    {
        final Record record = readBatch(position, batchSize).records();
        TimestampOffset best = null;
        while (record.next())
        {
            if (record.offset() >= fromOffset && (best == null || record.timestamp() > best.timestamp()))
            {
                best = new TimestampOffset(record.timestamp(), record.offset());
            }
        }
        return best;
    }

    private RecordBatch readBatch(final int position, final int batchSize) throws IOException
    {
        final ByteBuffer batch = ByteBuffer.allocate(batchSize);
        readFully(batch, position, batchSize);
        return new RecordBatch().wrap(batch, 0);
    }

    /**
     * Checks every batch from the start of the file, rebuilding both indexes as it goes, and
     * cuts the file at the first batch that is truncated, fails its CRC, or does not continue
     * the offsets (the base offset and length are not under the CRC, so contiguity checks
     * them) or carries another leader epoch than {@code leaderEpoch}.
     *
     * @param leaderEpoch the epoch every batch must carry.
     * @param limitOffset {@link Long#MAX_VALUE} for the active segment, whose batches must follow
     *        each other without a gap; for a sealed segment, the next segment's base offset: the
     *        log cleaner leaves gaps, so a batch may start past the previous one's end, but must
     *        end below this.
     * @return the cut made, or null if the whole file was valid.
     */
    RecoveryReport.Truncation recover(final int leaderEpoch, final long limitOffset) throws IOException
    {
        final FileChannel channel = file.acquire();
        try
        {
            return recover(channel, leaderEpoch, limitOffset);
        }
        finally
        {
            file.release();
        }
    }

    private RecoveryReport.Truncation recover(final FileChannel channel, final int leaderEpoch, final long limitOffset) throws IOException
    {
        offsetIndex = new OffsetIndex(baseOffset);
        timeIndex = new TimeIndex(baseOffset);
        maxTimestamp = NO_TIMESTAMP;
        bytesSinceIndexEntry = 0;
        indexesDirty = true;

        final long fileSize = channel.size();
        final RecordBatch view = new RecordBatch();
        // No bigger than the file: a data directory of many small partitions would otherwise
        // allocate (and zero) a whole chunk of direct memory per segment.
        ByteBuffer chunk = ByteBuffer.allocateDirect((int)Math.min(RECOVERY_CHUNK, Math.max(fileSize, LOG_OVERHEAD)));
        long chunkStart = 0;
        chunk.limit(0);
        long position = 0;
        long expectedOffset = baseOffset;
        String problem = null;
        boolean sealedOpen = false;
        while (position < fileSize)
        {
            if (fileSize - position < LOG_OVERHEAD)
            {
                problem = "truncated batch header: " + (fileSize - position) + " bytes at the end of the file";
                break;
            }
            if (position + LOG_OVERHEAD > chunkStart + chunk.limit())
            {
                chunkStart = position;
                chunk = load(channel, chunk, position, fileSize);
            }
            final int length = chunk.getInt((int)(position - chunkStart) + LENGTH_OFFSET);
            final long batchSize = (long)LOG_OVERHEAD + length;
            if (length < HEADER_SIZE - LOG_OVERHEAD || position + batchSize > fileSize)
            {
                problem = "batch length " + length + " at position " + position + " does not fit the " + fileSize + "-byte file";
                break;
            }
            if (position + batchSize > chunkStart + chunk.limit())
            {
                chunkStart = position;
                if (batchSize > chunk.capacity())
                {
                    chunk = ByteBuffer.allocateDirect((int)batchSize);
                }
                chunk = load(channel, chunk, position, fileSize);
            }
            view.wrap(chunk, (int)(position - chunkStart));
            try
            {
                if (view.isOpen())
                {
                    sealOpen(channel, view, position, (int)batchSize);
                    sealedOpen = true;
                }
                view.validate((int)batchSize, Integer.MAX_VALUE);
            }
            catch (final CorruptRecordException e)
            {
                problem = e.getMessage();
                break;
            }
            if (!continues(view.baseOffset(), view.lastOffset(), expectedOffset, limitOffset))
            {
                problem = "batch base offset " + view.baseOffset() + " where " + expectedOffset + " was expected";
                break;
            }
            if (view.partitionLeaderEpoch() != leaderEpoch)
            {
                problem = "batch leader epoch " + view.partitionLeaderEpoch() + " where " + leaderEpoch + " was expected";
                break;
            }
            if (view.lastOffset() - baseOffset > Integer.MAX_VALUE)
            {
                problem = "offset " + view.lastOffset() + " too far from the segment base " + baseOffset;
                break;
            }
            index((int)position, view.baseOffset(), (int)batchSize, view.maxTimestamp());
            expectedOffset = view.lastOffset() + 1;
            position += batchSize;
        }
        nextOffset = expectedOffset;
        size = (int)position;
        if (problem == null)
        {
            if (sealedOpen)
            {
                channel.force(false);
            }
            return null;
        }
        channel.truncate(position);
        channel.force(true);
        return new RecoveryReport.Truncation(baseOffset, position, fileSize - position, expectedOffset, problem);
    }

    /**
     * Seals a batch the log was still growing one record at a time when the process died: the
     * records within its length are the ones whose appends returned, so they are kept, and
     * its header is completed and written back.
     */
    private void sealOpen(final FileChannel channel, final RecordBatch view, final long position, final int batchSize) throws IOException
    {
        view.sealOpen(batchSize);
        final ByteBuffer header = view.buffer().duplicate();
        header.limit(view.offset() + HEADER_SIZE).position(view.offset());
        long at = position;
        while (header.hasRemaining())
        {
            at += channel.write(header, at);
        }
        LOG.info("{}: sealed the batch of {} records at offset {} that was still open when the process stopped", logFile,
            view.recordCount(), view.baseOffset());
    }

    /**
     * @return true if a batch from {@code base} to {@code last} may follow a batch that ended
     *         before {@code expected}: right after it, or, in a sealed segment (a cleaned one
     *         has gaps), anywhere after it that ends below {@code limitOffset}.
     */
    private static boolean continues(final long base, final long last, final long expected, final long limitOffset)
    {
        return limitOffset == Long.MAX_VALUE ? base == expected : base >= expected && last < limitOffset;
    }

    private static ByteBuffer load(final FileChannel channel, final ByteBuffer chunk, final long position, final long fileSize) throws IOException
    {
        final int length = (int)Math.min(chunk.capacity(), fileSize - position);
        chunk.clear();
        readFully(channel, chunk, position, length);
        chunk.flip();
        return chunk;
    }

    /**
     * Opens a sealed segment cheaply: loads its index files and walks the batch headers after
     * the last index entry to find where it ends. Any doubt (an index missing or damaged, a
     * header that does not fit, offsets that do not continue) falls back to {@link #recover}.
     *
     * @param leaderEpoch the epoch every batch must carry.
     * @param limitOffset the next segment's base offset, which no batch may reach.
     * @param truncations where a cut is recorded.
     * @param rebuilt where the base offset is recorded if the indexes were rebuilt.
     */
    void loadSealed(final int leaderEpoch, final long limitOffset, final List<RecoveryReport.Truncation> truncations,
        final List<Long> rebuilt) throws IOException
    {
        growing = false;
        final long fileSize = size;
        final OffsetIndex loadedOffsets = OffsetIndex.load(indexFile(), baseOffset, fileSize);
        if (loadedOffsets != null && walkTail(loadedOffsets, fileSize, limitOffset))
        {
            final TimeIndex loadedTimes = TimeIndex.load(timeIndexFile(), baseOffset, nextOffset);
            if (loadedTimes != null)
            {
                offsetIndex = loadedOffsets;
                timeIndex = loadedTimes;
                if (loadedTimes.lastTimestamp() > maxTimestamp)
                {
                    maxTimestamp = loadedTimes.lastTimestamp();
                }
                return;
            }
        }
        final RecoveryReport.Truncation truncation = recover(leaderEpoch, limitOffset);
        if (truncation != null)
        {
            truncations.add(truncation);
        }
        rebuilt.add(baseOffset);
        writeIndexes();
    }

    private boolean walkTail(final OffsetIndex index, final long fileSize, final long limitOffset) throws IOException
    {
        final ByteBuffer header = ByteBuffer.allocate(SCAN_HEADER_SIZE);
        long position = index.lastPosition();
        long expected = index.lastOffset();
        long tailMax = NO_TIMESTAMP;
        while (position < fileSize)
        {
            if (fileSize - position < SCAN_HEADER_SIZE)
            {
                return false;
            }
            readFully(header.clear(), position, SCAN_HEADER_SIZE);
            final long batchBase = header.getLong(BASE_OFFSET_OFFSET);
            final long batchSize = (long)LOG_OVERHEAD + header.getInt(LENGTH_OFFSET);
            final long batchLast = batchBase + header.getInt(LAST_OFFSET_DELTA_OFFSET);
            if (header.get(MAGIC_OFFSET) != MAGIC || batchSize < HEADER_SIZE || position + batchSize > fileSize ||
                !continues(batchBase, batchLast, expected, limitOffset))
            {
                return false;
            }
            expected = batchLast + 1;
            tailMax = Math.max(tailMax, header.getLong(MAX_TIMESTAMP_OFFSET));
            position += batchSize;
        }
        nextOffset = expected;
        maxTimestamp = tailMax;
        return true;
    }

    /** Forces the written bytes to disk; nothing to do (no file to open) if all were forced. */
    void flush() throws IOException
    {
        if (!unflushed)
        {
            return;
        }
        final FileChannel channel = file.acquire();
        try
        {
            // Also writes back what was built in the write map: a shared map's pages are the file's page cache.
            channel.force(false);
        }
        finally
        {
            file.release();
        }
        transactionIndex.force();
        unflushed = false;
    }

    /**
     * Cuts the room past the last batch, forces the log file and only then writes the index
     * files, if changed: index files on disk vouch for a forced log file, so recovery trusts a
     * sealed segment that has them and checks batch by batch one that has not. Does nothing
     * that was done already, so a failed seal can simply be called again.
     */
    void seal() throws IOException
    {
        growing = false;
        releaseReserved();
        flush();
        writeIndexes();
    }

    /**
     * Deletes the index files an earlier process left, if this segment was opened from disk:
     * done when the log rolls away from it, as its seal comes later, in the background, and
     * until that has forced the file no index file may vouch for it (recovery then checks it
     * batch by batch). Files a close wrote before this process appended more describe a prefix
     * that recovery would trust, walking only the headers past it.
     *
     * @return true if a file was deleted: the caller syncs the directory.
     */
    boolean deleteIndexFilesFromBefore() throws IOException
    {
        if (!indexFilesFromBefore)
        {
            return false;
        }
        final boolean offsets = Files.deleteIfExists(indexFile());
        final boolean times = Files.deleteIfExists(timeIndexFile());
        indexFilesFromBefore = false;
        return offsets || times;
    }

    /** Cuts the zeros {@link #reserve} wrote past the end: a sealed file ends with its last batch. */
    private void releaseReserved() throws IOException
    {
        if (room.release(size))
        {
            unflushed = true;
        }
    }

    private void writeIndexes() throws IOException
    {
        if (indexesDirty)
        {
            offsetIndex.writeTo(indexFile());
            timeIndex.writeTo(timeIndexFile());
            indexesDirty = false;
        }
    }

    /** Seals and releases the file. */
    void close() throws IOException
    {
        try
        {
            seal();
        }
        finally
        {
            file.retire();
        }
    }

    /**
     * Releases the file without writing anything, for a segment about to be deleted: a full
     * disk must not stop a deletion. Readers still sending from it finish first.
     */
    void abandon()
    {
        room.discard();
        file.retire();
        mapped = null;
    }

    /** Releases the file and deletes the segment's three files. */
    void delete() throws IOException
    {
        abandon();
        Files.deleteIfExists(logFile);
        Files.deleteIfExists(indexFile());
        Files.deleteIfExists(timeIndexFile());
        transactionIndex.delete();
    }

    /**
     * Moves the log file of a segment the cleaner replaced aside, so that readers still using
     * it read on; {@link #retireReplaced} deletes it later.
     *
     * @param target the new name.
     */
    void moveAside(final Path target) throws IOException
    {
        file.moveTo(target);
    }

    /** Puts the log file that {@link #moveAside} moved back at the segment's name, for a swap that failed. */
    void moveBack() throws IOException
    {
        file.moveTo(logFile);
    }

    /** Releases and deletes the log file of a segment that {@link #moveAside} moved. */
    void retireReplaced() throws IOException
    {
        abandon();
        Files.deleteIfExists(file.path());
    }

    /**
     * Deletes the offset and time index files of the segment whose log file is {@code logFile},
     * before a cleaned log file replaces it: they describe the old one.
     */
    static void deleteIndexFiles(final Path logFile, final long baseOffset) throws IOException
    {
        Files.deleteIfExists(logFile.resolveSibling(String.format("%020d.index", baseOffset)));
        Files.deleteIfExists(logFile.resolveSibling(String.format("%020d.timeindex", baseOffset)));
    }

    private Path indexFile()
    {
        return logFile.resolveSibling(String.format("%020d.index", baseOffset));
    }

    private Path timeIndexFile()
    {
        return logFile.resolveSibling(String.format("%020d.timeindex", baseOffset));
    }

    /**
     * Reads exactly {@code length} bytes at {@code position} into {@code destination}.
     *
     * @throws EOFException if the file ends first.
     */
    static void readFully(final FileChannel channel, final ByteBuffer destination, final long position, final int length)
        throws IOException
    {
        final int savedLimit = destination.limit();
        destination.limit(destination.position() + length);
        long at = position;
        try
        {
            while (destination.hasRemaining())
            {
                final int read = channel.read(destination, at);
                if (read < 0)
                {
                    throw new EOFException("end of " + length + " bytes at " + position + " reached early, at " + at);
                }
                at += read;
            }
        }
        finally
        {
            destination.limit(savedLimit);
        }
    }

    @Override
    public String toString()
    {
        return "Segment{base=" + baseOffset + ", next=" + nextOffset + ", size=" + size + '}';
    }
}
