package io.tidemark.bench.nexmark.model;

/**
 * The distinct bidders and auctions of a group of bids, in all and per price rank, in one
 * open-addressing table of {@code long}s: an entry is the id, a bit saying bidder or auction,
 * and three bits for the ranks the id was seen with. A bid thus costs two probes of one array,
 * where a set per kind and rank (six sets, eight arrays) cost six probes of six arrays, most of
 * them cache misses when many groups are open at once. The counts are made when asked for, in
 * one pass over the table ({@link #counts()}), once per group rather than once per bid. Exact:
 * an id is counted once per kind and once per kind and rank, however often it comes.
 *
 * <p>A group starts as a log: its first {@value #LOG_CAPACITY} entries are appended as they
 * come, duplicates and all, and go into a table only when the log is full or the counts are
 * asked for. Most of query 16's groups (a channel's day) see a hundred bids or so and are cold
 * in the cache when a bid comes: appending writes the line the last bid wrote, where probing a
 * table reads two lines that no bid touched lately. Only the busy groups pay for a table.
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
    private static final int KIND_BITS = 1;
    private static final long MAX_ID = (1L << Long.SIZE - 1 - RANK_BITS - KIND_BITS) - 1;
    /** Entries appended before the group gets a table: a bid logs two. */
    private static final int LOG_CAPACITY = 256;
    /** The smallest table; a log of n entries goes into one of 2n to 4n slots, at most half full. */
    private static final int MIN_TABLE = 64;
    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;

    // The entries not yet in the table; null once the log has overflowed into the table.
    private long[] log = new long[LOG_CAPACITY];
    private int logged;
    // 0 is an empty slot: an entry has at least one rank bit. Null until the log is folded in.
    private long[] entries;
    private int shift;
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
     * Adds every id of another table, with its ranks.
     *
     * @param other the table to add in; left as it is.
     */
    public void addAll(final RankedDistincts other)
    {
        for (int i = 0; i < other.logged; i++)
        {
            add(other.log[i]);
        }
        if (other.entries != null)
        {
            for (final long entry : other.entries)
            {
                if (entry != 0)
                {
                    add(entry);
                }
            }
        }
    }

    /**
     * Counts the distinct ids in one pass over the table.
     *
     * @return per kind ({@link #BIDDER} at 0, {@link #AUCTION} at 4): the distinct ids in all,
     * then those seen with rank 1, 2 and 3.
     */
    public long[] counts()
    {
        foldLog();
        final long[] counts = new long[8];
        for (final long entry : entries)
        {
            if (entry != 0)
            {
                final int base = (int)(entry >>> RANK_BITS & 1) << 2;
                counts[base]++;
                counts[base + 1] += entry & 1;
                counts[base + 2] += entry >>> 1 & 1;
                counts[base + 3] += entry >>> 2 & 1;
            }
        }
        return counts;
    }

    /** @param entry the id and kind, shifted over the rank bits, with one or more of them set. */
    private void add(final long entry)
    {
        final long[] pending = log;
        if (pending != null)
        {
            if (logged < pending.length)
            {
                pending[logged++] = entry;
                return;
            }
            foldLog();
        }
        insert(entry & ~RANK_MASK, entry & RANK_MASK);
    }

    /** Moves the log's entries into the table, made here, and stops logging. */
    private void foldLog()
    {
        final long[] pending = log;
        if (pending == null)
        {
            return;
        }
        final int capacity = Math.max(MIN_TABLE, Integer.highestOneBit(Math.max(1, logged)) << 2);
        entries = new long[capacity];
        shift = Long.SIZE - Integer.numberOfTrailingZeros(capacity);
        log = null;
        for (int i = 0; i < logged; i++)
        {
            insert(pending[i] & ~RANK_MASK, pending[i] & RANK_MASK);
        }
        logged = 0;
    }

    /** @param key the id and kind, shifted over the rank bits, which are 0. */
    private void insert(final long key, final long ranks)
    {
        final long[] table = entries;
        final int mask = table.length - 1;
        int slot = home(key);
        while (true)
        {
            final long entry = table[slot];
            if (entry == 0)
            {
                table[slot] = key | ranks;
                if (++size * 2 > table.length)
                {
                    grow();
                }
                return;
            }
            if ((entry & ~RANK_MASK) == key)
            {
                if ((ranks & ~entry) != 0)
                {
                    table[slot] = entry | ranks;
                }
                return;
            }
            slot = slot + 1 & mask;
        }
    }

    /** @return the slot where a key's probe starts, from the hash's top bits. */
    private int home(final long key)
    {
        return (int)(key * GOLDEN >>> shift);
    }

    private void grow()
    {
        final long[] old = entries;
        final long[] table = new long[old.length * 2];
        final int mask = table.length - 1;
        shift--;
        for (final long entry : old)
        {
            if (entry != 0)
            {
                int slot = home(entry & ~RANK_MASK);
                while (table[slot] != 0)
                {
                    slot = slot + 1 & mask;
                }
                table[slot] = entry;
            }
        }
        entries = table;
    }
}
