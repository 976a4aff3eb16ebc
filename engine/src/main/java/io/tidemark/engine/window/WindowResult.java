package io.tidemark.engine.window;

/**
 * One result of one window for one key. A window may emit more than once (early firings,
 * late records); {@code update} says whether this result replaces an earlier result for the
 * same key and window, so that a sink can upsert by {@code (key, windowStart, windowEnd)}.
 *
 * <p>Session windows merge: a record that arrives late (within the allowed lateness, or as
 * a late update) can bridge or extend sessions that have already been emitted. The merged
 * session is a new window, whose first result is not an update; each absorbed session that
 * had been emitted is withdrawn by a <em>retraction</em>: a result with
 * {@code retraction == true}, the absorbed window's bounds and a {@code null} value, emitted
 * when the merge happens. A sink that upserts every other result and deletes the row of
 * every retraction ends with exactly one row per window that exists in the end. The
 * five-argument constructor and {@link #of} make results that are not retractions.
 *
 * @param key         the key.
 * @param windowStart the window's first millisecond; {@link Long#MIN_VALUE} for the global
 *                    window.
 * @param windowEnd   the first millisecond after it; {@link Long#MAX_VALUE} for the global
 *                    window.
 * @param value       the aggregate; {@code null} in a retraction.
 * @param update      whether this revises an earlier result of the same window; false in a
 *                    retraction.
 * @param retraction  whether this withdraws the earlier results of the window, which has
 *                    merged into another.
 * @param <K>         the key type.
 * @param <V>         the value type.
 */
public record WindowResult<K, V>(K key, long windowStart, long windowEnd, V value, boolean update, boolean retraction)
{
    /**
     * A result that is not a retraction.
     *
     * @param key         the key.
     * @param windowStart the window's first millisecond.
     * @param windowEnd   the first millisecond after it.
     * @param value       the aggregate.
     * @param update      whether this revises an earlier result of the same window.
     */
    public WindowResult(final K key, final long windowStart, final long windowEnd, final V value, final boolean update)
    {
        this(key, windowStart, windowEnd, value, update, false);
    }

    /**
     * @param key    the key.
     * @param window the window.
     * @param value  the aggregate.
     * @param update whether it revises an earlier result.
     * @param <K>    the key type.
     * @param <V>    the value type.
     * @return the result, not a retraction.
     */
    public static <K, V> WindowResult<K, V> of(final K key, final Window window, final V value, final boolean update)
    {
        return new WindowResult<>(key, startOf(window), endOf(window), value, update);
    }

    /**
     * @param key    the key.
     * @param window a window that was emitted and has merged into another.
     * @param <K>    the key type.
     * @param <V>    the value type.
     * @return the retraction of the window's earlier results.
     */
    public static <K, V> WindowResult<K, V> retraction(final K key, final Window window)
    {
        return new WindowResult<>(key, startOf(window), endOf(window), null, false, true);
    }

    private static long startOf(final Window window)
    {
        return window instanceof TimeWindow time ? time.start() : Long.MIN_VALUE;
    }

    private static long endOf(final Window window)
    {
        return window instanceof TimeWindow time ? time.end() : Long.MAX_VALUE;
    }
}
