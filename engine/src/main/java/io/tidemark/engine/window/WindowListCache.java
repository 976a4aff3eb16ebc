package io.tidemark.engine.window;

import java.util.List;

/**
 * Remembers the last lists of windows an assigner handed out, keyed by the start of their
 * latest window: consecutive records usually fall into the same windows, and then the
 * assigner returns the same immutable list instead of allocating a new one. Two lists are kept
 * per start, of different lengths: with a window size that is not a multiple of the slide, the
 * records of one slide fall into either of two lists, alternately when they come out of order.
 *
 * <p>One assigner may serve several task threads. The cache is a single reference to an
 * immutable holder, so a thread sees either the old entry or the new one, never half of
 * each; a miss only costs an allocation.
 */
final class WindowListCache<W extends Window>
{
    private record Entry<W>(long latestStart, List<W> windows, List<W> other)
    {
    }

    private Entry<W> last;

    /**
     * @param latestStart the start of the latest window of the wanted list.
     * @param count how many windows the list holds.
     * @return the cached list for them, or {@code null}.
     */
    List<W> get(final long latestStart, final int count)
    {
        final Entry<W> entry = last;
        if (entry == null || entry.latestStart() != latestStart)
        {
            return null;
        }
        if (entry.windows().size() == count)
        {
            return entry.windows();
        }
        return entry.other() != null && entry.other().size() == count ? entry.other() : null;
    }

    /**
     * @return {@code windows}, now cached beside the other list of the same latest start, if any.
     */
    List<W> put(final long latestStart, final List<W> windows)
    {
        final Entry<W> entry = last;
        last = new Entry<>(latestStart, windows, entry != null && entry.latestStart() == latestStart ? entry.windows() : null);
        return windows;
    }
}
