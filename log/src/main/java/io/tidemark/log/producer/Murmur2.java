package io.tidemark.log.producer;

/**
 * The 32-bit MurmurHash2 variant Kafka's default partitioner applies to key bytes (seed
 * {@code 0x9747b28c}). Using the same function means a key lands on the same partition in
 * Tidemark and in Kafka, so a keyed topic can move between them without reordering a key.
 */
public final class Murmur2
{
    private static final int SEED = 0x9747b28c;
    private static final int M = 0x5bd1e995;
    private static final int R = 24;

    private Murmur2()
    {
    }

    /**
     * @param data the bytes to hash.
     * @return the hash, possibly negative.
     */
    public static int hash(final byte[] data)
    {
        final int length = data.length;
        int h = SEED ^ length;
        final int whole = length & ~3;
        for (int i = 0; i < whole; i += 4)
        {
            int k = (data[i] & 0xff) | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff) << 16 | (data[i + 3] & 0xff) << 24;
            k *= M;
            k ^= k >>> R;
            k *= M;
            h *= M;
            h ^= k;
        }
        final int tail = length & 3;
        if (tail == 3)
        {
            h ^= (data[whole + 2] & 0xff) << 16;
        }
        if (tail >= 2)
        {
            h ^= (data[whole + 1] & 0xff) << 8;
        }
        if (tail >= 1)
        {
            h ^= data[whole] & 0xff;
            h *= M;
        }
        h ^= h >>> 13;
        h *= M;
        h ^= h >>> 15;
        return h;
    }

    /**
     * Kafka's way of making a hash non-negative: clear the sign bit (not {@code Math.abs},
     * which leaves {@code Integer.MIN_VALUE} negative).
     *
     * @param hash any int.
     * @return {@code hash} without its sign bit.
     */
    public static int toPositive(final int hash)
    {
        return hash & 0x7fffffff;
    }
}
