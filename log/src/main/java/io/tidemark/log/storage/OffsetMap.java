package io.tidemark.log.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The log cleaner's map from each key to the offset of its latest record, Kafka's way: an
 * open-addressed table in direct memory whose entries are a 128-bit hash of the key
 * ({@link KeyHash}) and an offset, 24 bytes, so that a round costs no allocation per record and
 * a fixed amount of memory whatever the keys. Two keys sharing a hash would lose the older one's
 * value to the newer key; at 128 bits that is about 2^-128 a pair.
 *
 * <p>The memory holds at most {@code bufferBytes / 24} entries, of which {@code loadFactor} are
 * used (Kafka's {@code log.cleaner.dedupe.buffer.size} and
 * {@code log.cleaner.io.buffer.load.factor}, 128 MiB and 0.9 by default: 5.0 M keys). A round
 * whose dirty keys do not fit maps up to the first record whose key does not fit, cleans up to
 * there, and leaves the rest to the next round. The memory is taken on the first round, no more
 * than that round can use, and grows with later rounds up to the limit; it is kept between rounds.
 *
 * <p>One map serves one cleaner at a time: a log takes {@link #user()} for its round, so that the
 * logs of a data directory can share one.
 */
public final class OffsetMap
{
    /** Kafka's {@code log.cleaner.dedupe.buffer.size} default: 128 MiB. */
    public static final long DEFAULT_BUFFER_BYTES = 128L << 20;
    /** Kafka's {@code log.cleaner.io.buffer.load.factor} default. */
    public static final double DEFAULT_LOAD_FACTOR = 0.9;

    private static final int ENTRY_SIZE = 24;
    private static final int MIN_SLOTS = 16;
    /**
     * The memory is blocks of 32 Ki entries (768 KiB), not one buffer: the JVM zeroes a new
     * direct buffer in one call that no safepoint can interrupt, so a buffer of 128 MiB held every
     * thread of the broker at the next safepoint (0.8 s of produce latency, measured with
     * {@code -Xlog:safepoint}), while a block takes a few milliseconds at most.
     */
    private static final int BLOCK_SHIFT = 15;
    private static final int BLOCK_ENTRIES = 1 << BLOCK_SHIFT;
    private static final byte[] ZEROS = new byte[64 * 1024];

    private final int maxSlots;
    private final double loadFactor;
    private final ReentrantLock user = new ReentrantLock();
    private final KeyHash hash = new KeyHash();
    /** The hash of the key {@link #probe} looked for last. */
    private long probedHigh;
    private long probedLow;
    private ByteBuffer[] blocks = new ByteBuffer[0];
    private int slots = MIN_SLOTS;
    private int limit;
    private int size;

    /**
     * @param bufferBytes the most memory the map takes, from 384 bytes up to 2 GiB - 1.
     * @param loadFactor the share of the entries used before the map counts as full, above 0 and
     *        at most 1 (one entry stays empty): the fuller, the longer the probes.
     * @throws IllegalArgumentException if either is out of range, or together they hold no key.
     */
    public OffsetMap(final long bufferBytes, final double loadFactor)
    {
        check(bufferBytes, loadFactor);
        this.maxSlots = (int)(bufferBytes / ENTRY_SIZE);
        this.loadFactor = loadFactor;
        clear(0);
    }

    /**
     * Checks a size and load factor as the constructor does, without taking memory: a map that
     * would hold no key could never let a round clean anything.
     *
     * @param bufferBytes the most memory the map takes, from 384 bytes up to 2 GiB - 1.
     * @param loadFactor the share of the entries used, above 0 and at most 1.
     * @throws IllegalArgumentException naming what is wrong: either out of range, or the two
     *         together holding no key.
     */
    public static void check(final long bufferBytes, final double loadFactor)
    {
        if (bufferBytes < (long)MIN_SLOTS * ENTRY_SIZE || bufferBytes > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("the cleaner's offset map takes from " + MIN_SLOTS * ENTRY_SIZE + " to " +
                Integer.MAX_VALUE + " bytes, not " + bufferBytes);
        }
        if (!(loadFactor > 0 && loadFactor <= 1))
        {
            throw new IllegalArgumentException("the cleaner's offset map load factor must be above 0 and at most 1, not " + loadFactor);
        }
        final int slots = (int)(bufferBytes / ENTRY_SIZE);
        if (fillLimit(slots, loadFactor) < 1)
        {
            throw new IllegalArgumentException("the cleaner's offset map of " + bufferBytes + " bytes (" + slots + " entries of " +
                ENTRY_SIZE + ") at load factor " + loadFactor + " holds no key, and no round could clean anything: it needs at least " +
                (long)Math.ceil(1 / loadFactor) * ENTRY_SIZE + " bytes at that load factor");
        }
    }

    /** @return a map of {@value #DEFAULT_BUFFER_BYTES} bytes at load factor {@value #DEFAULT_LOAD_FACTOR}, as Kafka's. */
    public static OffsetMap withDefaults()
    {
        return new OffsetMap(DEFAULT_BUFFER_BYTES, DEFAULT_LOAD_FACTOR);
    }

    /** @return the most keys the map holds when it has all its memory. */
    public int maxEntries()
    {
        return fillLimit(maxSlots);
    }

    /**
     * Empties the map for a round, sized for {@code expectedEntries} keys at most (fewer slots
     * to clear and probe for a small round) but never beyond its memory.
     *
     * @param expectedEntries an upper bound of the keys the round may put.
     */
    public void clear(final long expectedEntries)
    {
        slots = (int)Math.max(MIN_SLOTS, Math.min(maxSlots, (long)Math.ceil(expectedEntries / loadFactor) + 1));
        limit = fillLimit(slots);
        size = 0;
        final int used = (slots + BLOCK_ENTRIES - 1) >>> BLOCK_SHIFT;
        if (blocks.length < used)
        {
            blocks = Arrays.copyOf(blocks, used);
        }
        for (int i = 0; i < used; i++)
        {
            final int bytes = Math.min(BLOCK_ENTRIES, slots - (i << BLOCK_SHIFT)) * ENTRY_SIZE;
            if (blocks[i] == null || blocks[i].capacity() < bytes)
            {
                blocks[i] = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder()); // zeroed by the allocation
            }
            else
            {
                for (int at = 0; at < bytes; at += ZEROS.length)
                {
                    blocks[i].put(at, ZEROS, 0, Math.min(ZEROS.length, bytes - at));
                }
            }
        }
    }

    private int fillLimit(final int slotCount)
    {
        return fillLimit(slotCount, loadFactor);
    }

    private static int fillLimit(final int slotCount, final double loadFactor)
    {
        return (int)Math.min(slotCount - 1, (long)(slotCount * loadFactor));
    }

    /**
     * Records {@code offset} as the latest of the key in {@code bytes} (its position, limit and
     * byte order are left as they are).
     *
     * @param bytes the buffer holding the key.
     * @param keyOffset the key's first byte in it.
     * @param keyLength the key's length.
     * @param offset the offset of the key's record; later puts of the key overwrite it.
     * @return false, with nothing changed, if the key is new and the map is full.
     */
    public boolean put(final ByteBuffer bytes, final int keyOffset, final int keyLength, final long offset)
    {
        final int slot = probe(bytes, keyOffset, keyLength);
        final ByteBuffer block = blocks[slot >>> BLOCK_SHIFT];
        final int at = position(slot);
        if (isEmpty(block, at))
        {
            if (size >= limit)
            {
                return false;
            }
            block.putLong(at, probedHigh).putLong(at + 8, probedLow);
            size++;
        }
        block.putLong(at + 16, offset);
        return true;
    }

    /**
     * @param bytes the buffer holding the key.
     * @param keyOffset the key's first byte in it.
     * @param keyLength the key's length.
     * @return the latest offset put for the key, or -1 if it was not put since the map was cleared.
     */
    public long get(final ByteBuffer bytes, final int keyOffset, final int keyLength)
    {
        final int slot = probe(bytes, keyOffset, keyLength);
        final ByteBuffer block = blocks[slot >>> BLOCK_SHIFT];
        final int at = position(slot);
        return isEmpty(block, at) ? -1 : block.getLong(at + 16);
    }

    /**
     * Hashes the key into {@link #probedHigh} and {@link #probedLow} and walks the slots from its
     * home to its entry or, if it has none, the empty slot where it would go.
     *
     * @return that slot.
     */
    private int probe(final ByteBuffer bytes, final int keyOffset, final int keyLength)
    {
        hash.hash(bytes, keyOffset, keyLength);
        final long high = hash.high();
        final long low = nonEmpty(high, hash.low());
        probedHigh = high;
        probedLow = low;
        for (int slot = home(high); ; slot = slot + 1 == slots ? 0 : slot + 1)
        {
            final ByteBuffer block = blocks[slot >>> BLOCK_SHIFT];
            final int at = position(slot);
            final long entryHigh = block.getLong(at);
            final long entryLow = block.getLong(at + 8);
            if ((entryHigh == high && entryLow == low) || (entryHigh == 0 && entryLow == 0))
            {
                return slot;
            }
        }
    }

    /** @return the byte position of {@code slot}'s entry in its block. */
    private static int position(final int slot)
    {
        return (slot & (BLOCK_ENTRIES - 1)) * ENTRY_SIZE;
    }

    private static boolean isEmpty(final ByteBuffer block, final int at)
    {
        return block.getLong(at) == 0 && block.getLong(at + 8) == 0;
    }

    /** @return the keys put since the map was cleared. */
    public int size()
    {
        return size;
    }

    /** @return the lock a cleaning round holds while it uses the map. */
    ReentrantLock user()
    {
        return user;
    }

    /** @return the slot a hash starts its probe at: the high bits scaled to the slots, without a division. */
    private int home(final long high)
    {
        return (int)(((high >>> 33) * slots) >>> 31);
    }

    /**
     * The all-zero hash marks an empty slot, so the key hashing to it (the empty key does, with
     * seed 0) takes another: (0, 1), which a key's own hash is with a chance of 2^-128.
     */
    private static long nonEmpty(final long high, final long low)
    {
        return high == 0 && low == 0 ? 1 : low;
    }
}
