package io.tidemark.log.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

import io.tidemark.log.record.RecordBatchLayout;

/**
 * The sparse time index of a segment: beside some offset index entries, the largest timestamp
 * of all records before that entry's offset. So an entry (T, O) promises that no record before
 * offset O has a timestamp above T, and a search for the first record at or after time t may
 * start at the O of the last entry with T &lt; t. An entry is written only when T grows, which
 * keeps both columns sorted. The file ({@code <base offset>.timeindex}) holds 12-byte entries,
 * big-endian:
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |          Timestamp (int64): largest timestamp before          |
 *  |          the offset below                                     |
 *  +---------------------------------------------------------------+
 *  |        Relative Offset (int32): offset - segment base         |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Like the offset index, it lives in memory and its file is a rebuildable cache; one writer,
 * many readers.
 */
final class TimeIndex
{
    static final int ENTRY_SIZE = 12;

    private final long baseOffset;
    private long[] timestamps = new long[16];
    private int[] relativeOffsets = new int[16];
    private volatile int entries;

    TimeIndex(final long baseOffset)
    {
        this.baseOffset = baseOffset;
    }

    /**
     * Adds an entry if {@code timestamp} is larger than the last one's.
     */
    void maybeAppend(final long timestamp, final long offset)
    {
        final int n = entries;
        if (timestamp == RecordBatchLayout.NO_TIMESTAMP || (n > 0 && timestamp <= timestamps[n - 1]))
        {
            return;
        }
        if (n == timestamps.length)
        {
            timestamps = Arrays.copyOf(timestamps, n * 2);
            relativeOffsets = Arrays.copyOf(relativeOffsets, n * 2);
        }
        timestamps[n] = timestamp;
        relativeOffsets[n] = (int)(offset - baseOffset);
        entries = n + 1;
    }

    /**
     * @return the offset from which to search for the first record at or after
     *         {@code timestamp}: that of the last entry whose timestamp is smaller, or the
     *         segment's base offset.
     */
    long lookup(final long timestamp)
    {
        final long[] keys = timestamps;
        int low = 0;
        int high = entries - 1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            if (keys[mid] < timestamp)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return high < 0 ? baseOffset : baseOffset + relativeOffsets[high];
    }

    /**
     * @return the timestamp of the last entry, or {@link RecordBatchLayout#NO_TIMESTAMP}.
     */
    long lastTimestamp()
    {
        final int n = entries;
        return n == 0 ? RecordBatchLayout.NO_TIMESTAMP : timestamps[n - 1];
    }


    void writeTo(final Path file) throws IOException
    {
        final int n = entries;
        final ByteBuffer bytes = ByteBuffer.allocate(n * ENTRY_SIZE);
        for (int i = 0; i < n; i++)
        {
            bytes.putLong(timestamps[i]).putInt(relativeOffsets[i]);
        }
        DurableFile.replace(file, bytes.flip());
    }

    /**
     * Reads a time index file, checking that both columns grow and that every offset is below
     * {@code nextOffset}.
     *
     * @return the index, or null if the file is missing or fails a check.
     */
    static TimeIndex load(final Path file, final long baseOffset, final long nextOffset) throws IOException
    {
        final ByteBuffer bytes = IndexFiles.read(file, ENTRY_SIZE);
        if (bytes == null)
        {
            return null;
        }
        final TimeIndex index = new TimeIndex(baseOffset);
        long lastRelative = -1;
        while (bytes.hasRemaining())
        {
            final long timestamp = bytes.getLong();
            final int relative = bytes.getInt();
            final int before = index.entries;
            if (relative < lastRelative || baseOffset + relative >= nextOffset)
            {
                return null;
            }
            index.maybeAppend(timestamp, baseOffset + relative);
            if (index.entries == before)
            {
                return null;
            }
            lastRelative = relative;
        }
        return index;
    }
}
