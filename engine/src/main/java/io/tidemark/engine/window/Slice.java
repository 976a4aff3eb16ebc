package io.tidemark.engine.window;

import java.util.Arrays;

/**
 * One slice of the time line in a {@link SlicingWindowOperator}: the accumulators of every
 * key with records in {@code [start, start + slide)}, indexed by the key's slot. A
 * {@code long} accumulator lives in {@link #values}, any other in {@link #accumulators}; a
 * bit set says which slots are present and {@link #members} lists them, so that firing and
 * discarding visit only the keys the slice holds. Slices are reused: {@link #clear} leaves
 * the arrays allocated and zeroed for the next slice.
 */
final class Slice
{
    private static final int MIN_CAPACITY = 64;

    /** The slice's start, a multiple of the slide. */
    long start;
    /** The inline accumulators by key slot; 0 where absent. */
    long[] values = new long[MIN_CAPACITY];
    /** The object accumulators by key slot; null where absent. */
    Object[] accumulators = new Object[MIN_CAPACITY];
    private long[] present = new long[MIN_CAPACITY / Long.SIZE];
    private int[] members = new int[MIN_CAPACITY];
    private int memberCount;

    /**
     * Adds a key slot to the slice unless it is there.
     *
     * @param slot the key's slot.
     * @return whether the slot was absent: its accumulator is then empty.
     */
    boolean join(final int slot)
    {
        final int word = slot >>> 6;
        if (word >= present.length)
        {
            grow(slot);
        }
        final long bit = 1L << slot;
        if ((present[word] & bit) != 0)
        {
            return false;
        }
        present[word] |= bit;
        if (memberCount == members.length)
        {
            members = Arrays.copyOf(members, memberCount * 2);
        }
        members[memberCount++] = slot;
        return true;
    }

    /**
     * @param slot a key's slot.
     * @return whether the key is in the slice.
     */
    boolean contains(final int slot)
    {
        final int word = slot >>> 6;
        return word < present.length && (present[word] & 1L << slot) != 0;
    }

    /**
     * @return the number of keys in the slice.
     */
    int memberCount()
    {
        return memberCount;
    }

    /**
     * @param index from 0 to {@link #memberCount()}, in the order the keys joined.
     * @return the slot of that key.
     */
    int member(final int index)
    {
        return members[index];
    }

    /**
     * @return the slots of the slice's keys in the order they joined, in an array of their own.
     */
    int[] copyOfMembers()
    {
        return Arrays.copyOf(members, memberCount);
    }

    /** Removes every key, leaving the arrays allocated for reuse. */
    void clear()
    {
        for (int i = 0; i < memberCount; i++)
        {
            final int slot = members[i];
            present[slot >>> 6] = 0;
            values[slot] = 0;
            accumulators[slot] = null;
        }
        memberCount = 0;
    }

    private void grow(final int slot)
    {
        int capacity = present.length * Long.SIZE;
        while (capacity <= slot)
        {
            capacity *= 2;
        }
        present = Arrays.copyOf(present, capacity / Long.SIZE);
        values = Arrays.copyOf(values, capacity);
        accumulators = Arrays.copyOf(accumulators, capacity);
    }
}
