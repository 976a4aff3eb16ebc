package io.tidemark.log.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The sparse offset index of a segment: every {@code index.interval.bytes} of log, the offset
 * and file position of the batch that starts there. A lookup finds the nearest entry at or
 * before an offset; the segment scans batch headers from there. The file
 * ({@code <base offset>.index}) is a sequence of 8-byte entries, big-endian:
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |        Relative Offset (int32): offset - segment base         |
 *  +---------------------------------------------------------------+
 *  |        Position (int32): byte position in the .log file       |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Entries live in memory; the file is written when the segment is sealed or flushed and is
 * only a cache: a missing or damaged file is rebuilt from the log.
 *
 * <p>One writer (the log, under its lock) and any number of readers: {@link #entries} is
 * published after the entry it counts.
 */
final class OffsetIndex
{
    static final int ENTRY_SIZE = 8;

    private final long baseOffset;
    private int[] relativeOffsets = new int[16];
    private int[] positions = new int[16];
    private volatile int entries;

    OffsetIndex(final long baseOffset)
    {
        this.baseOffset = baseOffset;
    }

    /**
     * Adds an entry; offsets and positions must grow.
     */
    void append(final long offset, final int position)
    {
        final int n = entries;
        if (n == relativeOffsets.length)
        {
            relativeOffsets = Arrays.copyOf(relativeOffsets, n * 2);
            positions = Arrays.copyOf(positions, n * 2);
        }
        relativeOffsets[n] = (int)(offset - baseOffset);
        positions[n] = position;
        entries = n + 1;
    }

    /**
     * @return the position of the last entry whose offset is at or before {@code offset}, or 0.
     */
    int lookup(final long offset)
    {
        final int slot = floorSlot(offset);
        return slot < 0 ? 0 : positions[slot];
    }

    /**
     * @return the position of the last entry, or 0 when there is none.
     */
    int lastPosition()
    {
        final int n = entries;
        return n == 0 ? 0 : positions[n - 1];
    }

    /**
     * @return the offset of the last entry, or the base offset when there is none.
     */
    long lastOffset()
    {
        final int n = entries;
        return n == 0 ? baseOffset : baseOffset + relativeOffsets[n - 1];
    }


    private int floorSlot(final long offset)
    {
        final long relative = offset - baseOffset;
        final int[] keys = relativeOffsets;
        int low = 0;
        int high = entries - 1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            if (keys[mid] <= relative)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return high;
    }

    void writeTo(final Path file) throws IOException
    {
        final int n = entries;
        final ByteBuffer bytes = ByteBuffer.allocate(n * ENTRY_SIZE);
        for (int i = 0; i < n; i++)
        {
            bytes.putInt(relativeOffsets[i]).putInt(positions[i]);
        }
        DurableFile.replace(file, bytes.flip());
    }

    /**
     * Reads an index file, checking that it could belong to a segment of {@code segmentSize}
     * bytes: whole entries, offsets and positions strictly growing, positions inside the file.
     *
     * @return the index, or null if the file is missing or fails a check.
     */
    static OffsetIndex load(final Path file, final long baseOffset, final long segmentSize) throws IOException
    {
        final ByteBuffer bytes = IndexFiles.read(file, ENTRY_SIZE);
        if (bytes == null)
        {
            return null;
        }
        final OffsetIndex index = new OffsetIndex(baseOffset);
        long lastRelative = -1;
        long lastPosition = -1;
        while (bytes.hasRemaining())
        {
            final int relative = bytes.getInt();
            final int position = bytes.getInt();
            if (relative <= lastRelative || position <= lastPosition || position >= segmentSize)
            {
                return null;
            }
            index.append(baseOffset + relative, position);
            lastRelative = relative;
            lastPosition = position;
        }
        return index;
    }
}
