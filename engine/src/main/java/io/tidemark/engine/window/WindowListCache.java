package io.tidemark.engine.window;

import java.util.List;

/**
 * Remembers the last list of windows an assigner handed out, keyed by the start of its
 * latest window: consecutive records usually fall into the same windows, and then the
 * assigner returns the same immutable list instead of allocating a new one.
 *
 * <p>One assigner may serve several task threads. The cache is a single reference to an
 * immutable holder, so a thread sees either the old entry or the new one, never half of
 * each; a miss only costs an allocation.
 */
final class WindowListCache<W extends Window>
{
    private static final class Entry<W>
    {
        final long latestStart;
        final List<W> windows;

        Entry(final long latestStart, final List<W> windows)
        {
            this.latestStart = latestStart;
            this.windows = windows;
        }
    }

    private Entry<W> last;

    /**
     * @param latestStart the start of the latest window of the wanted list.
     * @return the cached list for it, or {@code null}.
     */
    List<W> get(final long latestStart)
    {
        final Entry<W> entry = last;
        return entry != null && entry.latestStart == latestStart ? entry.windows : null;
    }

    /**
     * @return {@code windows}, now cached.
     */
    List<W> put(final long latestStart, final List<W> windows)
    {
        last = new Entry<>(latestStart, windows);
        return windows;
    }
}
