package io.tidemark.engine.state;

/**
 * The mapping key → key group → subtask. Keyed state lives in key groups, not per subtask:
 * a key's group depends only on the key and the maximum parallelism, so when a job is
 * rescaled whole key groups move between subtasks and no key is split. Each subtask owns a
 * contiguous {@link KeyGroupRange}.
 *
 * <p>The key group is {@code murmur3-finalizer(key.hashCode()) mod maxParallelism}: the mix
 * spreads keys whose hash codes differ only in their high bits, such as small {@code Long}s
 * times a power of two.
 */
public final class KeyGroups
{
    /** The default maximum parallelism, and so the default number of key groups. */
    public static final int DEFAULT_MAX_PARALLELISM = 128;

    private KeyGroups()
    {
    }

    /**
     * @param key            a key, not {@code null}.
     * @param maxParallelism the number of key groups.
     * @return the key's group, in {@code [0, maxParallelism)}.
     */
    public static int keyGroupFor(final Object key, final int maxParallelism)
    {
        return keyGroupForHash(key.hashCode(), maxParallelism);
    }

    /**
     * Not an overload of {@link #keyGroupFor(Object, int)}: an {@code int} key would widen to
     * it and take the group of a {@code Long}, not of its {@code Integer}.
     *
     * @param key            a {@code long} key, by value.
     * @param maxParallelism the number of key groups.
     * @return the group of {@code Long.valueOf(key)}, without making it.
     */
    public static int keyGroupForLong(final long key, final int maxParallelism)
    {
        return keyGroupForHash(Long.hashCode(key), maxParallelism);
    }

    /**
     * @param hashCode       a key's {@code hashCode()}.
     * @param maxParallelism the number of key groups.
     * @return the key's group, in {@code [0, maxParallelism)}.
     */
    public static int keyGroupForHash(final int hashCode, final int maxParallelism)
    {
        final int hash = mix(hashCode) & Integer.MAX_VALUE;
        // The default number of groups (128) is a power of two: then the same group by a mask, not a division.
        return (maxParallelism & maxParallelism - 1) == 0 ? hash & maxParallelism - 1 : hash % maxParallelism;
    }

    /**
     * @param keyGroup       a key group.
     * @param maxParallelism the number of key groups.
     * @param parallelism    the number of subtasks.
     * @return the subtask that owns the key group.
     */
    public static int subtaskFor(final int keyGroup, final int maxParallelism, final int parallelism)
    {
        return (int)((long)keyGroup * parallelism / maxParallelism);
    }

    /**
     * @param maxParallelism the number of key groups.
     * @param parallelism    the number of subtasks, at most {@code maxParallelism}.
     * @param subtask        a subtask index.
     * @return the key groups that subtask owns: exactly those for which {@link #subtaskFor}
     * names it.
     */
    public static KeyGroupRange rangeFor(final int maxParallelism, final int parallelism, final int subtask)
    {
        if (parallelism < 1 || parallelism > maxParallelism)
        {
            throw new IllegalArgumentException("parallelism " + parallelism + " must lie in [1, " + maxParallelism + "]");
        }
        final int start = ceilDiv((long)subtask * maxParallelism, parallelism);
        final int end = ceilDiv((long)(subtask + 1) * maxParallelism, parallelism) - 1;
        return new KeyGroupRange(start, end);
    }

    /**
     * The murmur3 32-bit finalizer: every input bit affects every output bit.
     *
     * @param hash a hash code.
     * @return the mixed hash.
     */
    public static int mix(final int hash)
    {
        int h = hash;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    /**
     * The murmur3 64-bit finalizer: every input bit affects every output bit.
     *
     * @param hash a 64-bit hash or key.
     * @return the mixed value.
     */
    public static long mix64(final long hash)
    {
        long h = hash;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static int ceilDiv(final long dividend, final int divisor)
    {
        return (int)((dividend + divisor - 1) / divisor);
    }
}
