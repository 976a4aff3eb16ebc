package io.tidemark.engine.window;

/**
 * One result of one window for one key. A window may emit more than once (early firings,
 * late records); {@code update} says whether this result replaces an earlier result for the
 * same key and window, so that a sink can upsert by {@code (key, windowStart, windowEnd)}.
 *
 * @param key         the key.
 * @param windowStart the window's first millisecond; {@link Long#MIN_VALUE} for the global
 *                    window.
 * @param windowEnd   the first millisecond after it; {@link Long#MAX_VALUE} for the global
 *                    window.
 * @param value       the aggregate.
 * @param update      whether this revises an earlier result of the same window.
 * @param <K>         the key type.
 * @param <V>         the value type.
 */
public record WindowResult<K, V>(K key, long windowStart, long windowEnd, V value, boolean update)
{
    /**
     * @param key    the key.
     * @param window the window.
     * @param value  the aggregate.
     * @param update whether it revises an earlier result.
     * @param <K>    the key type.
     * @param <V>    the value type.
     * @return the result.
     */
    public static <K, V> WindowResult<K, V> of(final K key, final Window window, final V value, final boolean update)
    {
        if (window instanceof TimeWindow time)
        {
            return new WindowResult<>(key, time.start(), time.end(), value, update);
        }
        return new WindowResult<>(key, Long.MIN_VALUE, Long.MAX_VALUE, value, update);
    }
}
