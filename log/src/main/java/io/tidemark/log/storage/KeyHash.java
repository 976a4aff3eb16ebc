package io.tidemark.log.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 128-bit MurmurHash3 (x64 variant, seed 0) of a key's bytes, read in place from a buffer,
 * for the cleaner's {@link OffsetMap}: two keys share a hash with a chance of about 2^-128 per
 * pair, so the map keeps hashes instead of keys. MD5 through {@link java.security.MessageDigest}
 * (Kafka's choice) alone costs about as much per 8- to 64-byte key as a whole lookup of the map
 * with this hash, probe included ({@code OffsetMapBenchmark}); and this one needs no copy of the key.
 *
 * <p>Not thread-safe: {@link #hash} leaves the result in {@link #high()} and {@link #low()},
 * so that hashing allocates nothing.
 */
final class KeyHash
{
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private long h1;
    private long h2;

    /**
     * Hashes {@code length} bytes of {@code bytes} from {@code offset}, whatever the buffer's
     * byte order, position and limit.
     *
     * @param bytes the buffer holding the key.
     * @param offset the key's first byte.
     * @param length the key's length in bytes.
     */
    void hash(final ByteBuffer bytes, final int offset, final int length)
    {
        final boolean little = bytes.order() == ByteOrder.LITTLE_ENDIAN;
        long a = 0;
        long b = 0;
        final int blocks = length >>> 4;
        for (int i = 0; i < blocks; i++)
        {
            final int at = offset + (i << 4);
            long k1 = bytes.getLong(at);
            long k2 = bytes.getLong(at + 8);
            if (!little)
            {
                k1 = Long.reverseBytes(k1);
                k2 = Long.reverseBytes(k2);
            }
            a ^= mixK1(k1);
            a = Long.rotateLeft(a, 27) + b;
            a = a * 5 + 0x52dce729;
            b ^= mixK2(k2);
            b = Long.rotateLeft(b, 31) + a;
            b = b * 5 + 0x38495ab5;
        }
        final int tail = offset + (blocks << 4);
        final int rest = length & 15;
        long k1 = 0;
        long k2 = 0;
        for (int i = rest - 1; i >= 8; i--)
        {
            k2 = (k2 << 8) | (bytes.get(tail + i) & 0xffL);
        }
        for (int i = Math.min(rest, 8) - 1; i >= 0; i--)
        {
            k1 = (k1 << 8) | (bytes.get(tail + i) & 0xffL);
        }
        if (rest > 8)
        {
            b ^= mixK2(k2);
        }
        if (rest > 0)
        {
            a ^= mixK1(k1);
        }
        a ^= length;
        b ^= length;
        a += b;
        b += a;
        a = fmix(a);
        b = fmix(b);
        a += b;
        b += a;
        h1 = a;
        h2 = b;
    }

    /** @return the first 64 bits of the last hash (MurmurHash3's {@code h1}). */
    long high()
    {
        return h1;
    }

    /** @return the last 64 bits of the last hash (MurmurHash3's {@code h2}). */
    long low()
    {
        return h2;
    }

    private static long mixK1(final long k)
    {
        return Long.rotateLeft(k * C1, 31) * C2;
    }

    private static long mixK2(final long k)
    {
        return Long.rotateLeft(k * C2, 33) * C1;
    }

    private static long fmix(final long k)
    {
        long h = k;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
