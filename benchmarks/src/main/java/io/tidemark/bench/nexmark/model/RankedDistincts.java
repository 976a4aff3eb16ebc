package io.tidemark.bench.nexmark.model;

import java.util.Arrays;

/**
 * The distinct bidders and auctions of a group of bids, in all and per price rank, as
 * {@code long} entries: an entry is the id, a bit saying bidder or auction, and three bits for
 * the ranks the id was seen with. The counts are made when asked for, in one pass
 * ({@link #counts()}), once per group rather than once per bid. Exact: an id is counted once
 * per kind and once per kind and rank, however often it comes.
 *
 * <p>The entries are kept as a sorted run of distinct ones and a log in front of it: a bid
 * appends its two entries to the log, duplicates and all, writing the line the group's last
 * bid wrote; a full log is sorted (radix, over the bits its keys span) and merged into the
 * run, duplicates folded (their rank bits or-ed). A hash table of the ids, its alternative,
 * reads a line at a random place of the group's table per id: with query 16's thousands of
 * groups open at once, or a few groups of hundreds of thousands of ids, that is a cache miss
 * per id, where sorting and merging stream through memory in order. The log holds at least
 * {@value #MIN_LOG} entries and grows with the run (at least half of it), so each entry is
 * merged a bounded number of times, and the memory stays proportional to the distinct ids.
 *
 * <p>Ids must lie in {@code [0, 2^59)}, as Nexmark's ids (from 1000, counted) do.
 */
public final class RankedDistincts
{
    /** The kind of a bidder's id. */
    public static final int BIDDER = 0;
    /** The kind of an auction's id. */
    public static final int AUCTION = 1;

    private static final int RANK_BITS = 3;
    private static final long RANK_MASK = (1L << RANK_BITS) - 1;
    private static final long KEY_MASK = ~RANK_MASK;
    private static final int KIND_BITS = 1;
    private static final long MAX_ID = (1L << Long.SIZE - 1 - RANK_BITS - KIND_BITS) - 1;
    /** Entries appended before the first sort: a bid logs two. */
    private static final int MIN_LOG = 256;
    /** A digit of the sort of a small log: its counts cost less than the log's entries. */
    private static final int SMALL_DIGIT_BITS = 8;
    /** A digit of the sort of a large log: fewer passes, its counts still in the first-level cache. */
    private static final int LARGE_DIGIT_BITS = 11;
    /** The logs from this many entries are sorted by large digits. */
    private static final int LARGE_LOG = 1 << 13;
    private static final long[] EMPTY = {};

    // Entries not yet in the run, in the order they came.
    private long[] log = new long[MIN_LOG];
    private int logged;
    // The distinct entries (0 to size), sorted by id and kind, each with every rank it was seen with.
    private long[] run = EMPTY;
    private int size;

    /**
     * Counts an id seen with a rank.
     *
     * @param kind {@link #BIDDER} or {@link #AUCTION}.
     * @param id   the id, in {@code [0, 2^59)}.
     * @param rank 1, 2 or 3.
     */
    public void add(final int kind, final long id, final int rank)
    {
        if (id < 0 || id > MAX_ID)
        {
            throw new IllegalArgumentException("id out of range: " + id);
        }
        add((id << KIND_BITS | kind) << RANK_BITS | 1L << rank - 1);
    }

    /**
     * Adds every id of another group, with its ranks.
     *
     * @param other the group to add in; left as it is.
     */
    public void addAll(final RankedDistincts other)
    {
        for (int i = 0; i < other.logged; i++)
        {
            add(other.log[i]);
        }
        for (int i = 0; i < other.size; i++)
        {
            add(other.run[i]);
        }
    }

    /**
     * Counts the distinct ids in one pass over the run.
     *
     * @return per kind ({@link #BIDDER} at 0, {@link #AUCTION} at 4): the distinct ids in all,
     * then those seen with rank 1, 2 and 3.
     */
    public long[] counts()
    {
        mergeLog();
        final long[] counts = new long[8];
        final long[] entries = run;
        for (int i = 0; i < size; i++)
        {
            final long entry = entries[i];
            final int base = (int)(entry >>> RANK_BITS & 1) << 2;
            counts[base]++;
            counts[base + 1] += entry & 1;
            counts[base + 2] += entry >>> 1 & 1;
            counts[base + 3] += entry >>> 2 & 1;
        }
        return counts;
    }

    /** @param entry the id and kind, shifted over the rank bits, with one or more of them set. */
    private void add(final long entry)
    {
        if (logged == log.length)
        {
            mergeLog();
        }
        log[logged++] = entry;
    }

    /** Sorts the log, merges it into the run and empties it; sizes the next log from the run. */
    private void mergeLog()
    {
        final int n = logged;
        if (n == 0)
        {
            return;
        }
        final long[] sorted = sortByKey(log, n);
        final long[] from = run;
        final long[] into = new long[size + n];
        int i = 0;
        int j = 0;
        int merged = 0;
        // Below every key (keys are not negative), so the first entry never folds into it.
        long last = -1;
        while (i < size || j < n)
        {
            final long entry = j == n || i < size && from[i] <= sorted[j] ? from[i++] : sorted[j++];
            if ((entry & KEY_MASK) == last)
            {
                into[merged - 1] |= entry;
            }
            else
            {
                into[merged++] = entry;
                last = entry & KEY_MASK;
            }
        }
        run = into;
        size = merged;
        logged = 0;
        final int capacity = Math.max(MIN_LOG, Integer.highestOneBit(merged));
        if (capacity > log.length)
        {
            log = new long[capacity];
        }
    }

    /**
     * Sorts entries by id and kind (least significant digit first, stable, over only the bits
     * in which the keys differ); entries of one key stay side by side, in any order of ranks.
     *
     * @return the array that holds them sorted: {@code entries} or a new one.
     */
    private static long[] sortByKey(final long[] entries, final int n)
    {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < n; i++)
        {
            final long key = entries[i] >>> RANK_BITS;
            min = Math.min(min, key);
            max = Math.max(max, key);
        }
        final int bits = Long.SIZE - Long.numberOfLeadingZeros(max - min);
        final int digitBits = n < LARGE_LOG ? SMALL_DIGIT_BITS : LARGE_DIGIT_BITS;
        final int digitMask = (1 << digitBits) - 1;
        long[] source = entries;
        long[] target = null;
        final int[] starts = new int[1 << digitBits];
        for (int shift = 0; shift < bits; shift += digitBits)
        {
            Arrays.fill(starts, 0);
            for (int i = 0; i < n; i++)
            {
                starts[digit(source[i], min, shift, digitMask)]++;
            }
            int start = 0;
            for (int d = 0; d < starts.length; d++)
            {
                final int count = starts[d];
                starts[d] = start;
                start += count;
            }
            if (target == null)
            {
                target = new long[n];
            }
            for (int i = 0; i < n; i++)
            {
                final long entry = source[i];
                target[starts[digit(entry, min, shift, digitMask)]++] = entry;
            }
            final long[] sorted = target;
            target = source;
            source = sorted;
        }
        return source;
    }

    private static int digit(final long entry, final long min, final int shift, final int mask)
    {
        return (int)((entry >>> RANK_BITS) - min >>> shift) & mask;
    }
}
