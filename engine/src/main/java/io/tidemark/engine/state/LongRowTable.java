package io.tidemark.engine.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * The storage of one {@link LongRowState} in one key group: a hash map from a {@code long} key
 * to a row of {@code width} longs, all in one {@code long[]}. Each slot is a used flag, the key
 * and the row, side by side, so a look-up touches one place in memory, and the table holds no
 * reference: the collector neither traces nor copies its entries, however many there are.
 * Open addressing with linear probing; removal shifts the following entries back, so no
 * tombstones build up.
 *
 * <p>Not thread-safe: one task thread owns it.
 */
final class LongRowTable
{
    private static final int INITIAL_CAPACITY = 8;
    private static final int USED = 0;
    private static final int KEY = 1;
    private static final int ROW = 2;

    private final int width;
    private final int stride;
    private long[] slots;
    private int mask;
    private int size;
    private int resizeAt;

    /**
     * @param width the number of longs in a row.
     */
    LongRowTable(final int width)
    {
        this.width = width;
        this.stride = width + ROW;
        allocate(INITIAL_CAPACITY);
    }

    int size()
    {
        return size;
    }

    /**
     * Copies the key's row into {@code row}.
     *
     * @return whether the key has a row; if not, {@code row} is left as it was.
     */
    boolean get(final long key, final long[] row)
    {
        final int slot = find(key);
        if (slot < 0)
        {
            return false;
        }
        System.arraycopy(slots, slot * stride + ROW, row, 0, width);
        return true;
    }

    /** Sets the key's row to the first {@code width} longs of {@code row}. */
    void put(final long key, final long[] row)
    {
        int slot = find(key);
        if (slot < 0)
        {
            if (size == resizeAt)
            {
                grow();
                slot = find(key);
            }
            slot = ~slot;
            final int at = slot * stride;
            slots[at + USED] = 1;
            slots[at + KEY] = key;
            size++;
        }
        System.arraycopy(row, 0, slots, slot * stride + ROW, width);
    }

    /**
     * @return whether the key had a row.
     */
    boolean remove(final long key)
    {
        final int slot = find(key);
        if (slot < 0)
        {
            return false;
        }
        size--;
        // Shift back each following entry of the run that would no longer be found past the gap.
        int gap = slot;
        int next = slot;
        while (true)
        {
            next = next + 1 & mask;
            final int at = next * stride;
            if (slots[at + USED] == 0)
            {
                break;
            }
            final int home = home(slots[at + KEY]);
            final boolean staysPut = gap <= next ? gap < home && home <= next : gap < home || home <= next;
            if (!staysPut)
            {
                System.arraycopy(slots, at, slots, gap * stride, stride);
                gap = next;
            }
        }
        Arrays.fill(slots, gap * stride, gap * stride + stride, 0L);
        return true;
    }

    /**
     * Writes the entry count, then each entry's key and row.
     */
    void writeTo(final DataOutput out) throws IOException
    {
        out.writeInt(size);
        for (int at = 0; at < slots.length; at += stride)
        {
            if (slots[at + USED] != 0)
            {
                for (int i = KEY; i < stride; i++)
                {
                    out.writeLong(slots[at + i]);
                }
            }
        }
    }

    /**
     * Adds the entries {@link #writeTo} wrote, replacing the row of a key already held.
     */
    void readFrom(final DataInput in, final long[] scratch) throws IOException
    {
        final int entries = in.readInt();
        for (int e = 0; e < entries; e++)
        {
            final long key = in.readLong();
            for (int i = 0; i < width; i++)
            {
                scratch[i] = in.readLong();
            }
            put(key, scratch);
        }
    }

    /**
     * @return the key's slot, or {@code ~slot} of the empty slot where it would go.
     */
    private int find(final long key)
    {
        int slot = home(key);
        while (true)
        {
            final int at = slot * stride;
            if (slots[at + USED] == 0)
            {
                return ~slot;
            }
            if (slots[at + KEY] == key)
            {
                return slot;
            }
            slot = slot + 1 & mask;
        }
    }

    /**
     * The slot a key hashes to: the key's 64 bits mixed, not its key group's hash, whose low
     * bits all the keys of one group share.
     */
    private int home(final long key)
    {
        return (int)KeyGroups.mix64(key) & mask;
    }

    private void grow()
    {
        final int capacity = mask + 1;
        if ((long)capacity * 2 * stride > Integer.MAX_VALUE - 8)
        {
            throw new IllegalStateException("a key group of a long-row state cannot hold more than " + size + " rows of " + width + " longs");
        }
        final long[] old = slots;
        allocate(2 * capacity);
        for (int at = 0; at < old.length; at += stride)
        {
            if (old[at + USED] != 0)
            {
                final int slot = ~find(old[at + KEY]);
                System.arraycopy(old, at, slots, slot * stride, stride);
            }
        }
    }

    private void allocate(final int capacity)
    {
        slots = new long[capacity * stride];
        mask = capacity - 1;
        // Up to five eighths full: linear probing's runs stay short.
        resizeAt = capacity / 8 * 5;
    }
}
