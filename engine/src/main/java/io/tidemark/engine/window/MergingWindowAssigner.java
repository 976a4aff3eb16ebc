package io.tidemark.engine.window;

import java.util.Collection;

/**
 * An assigner whose windows grow by merging, like sessions: each record first gets a window
 * of its own, which then merges with the key's windows it overlaps.
 *
 * @param <T> the record type.
 * @param <W> the window type.
 */
public abstract class MergingWindowAssigner<T, W extends Window> extends WindowAssigner<T, W>
{
    /**
     * Receives the result of a merge.
     *
     * @param <W> the window type.
     */
    @FunctionalInterface
    public interface MergeCallback<W>
    {
        /**
         * @param toBeMerged the windows that merge, two or more.
         * @param result     the window they become.
         */
        void merge(Collection<W> toBeMerged, W result);
    }

    /**
     * Finds which of the windows merge.
     *
     * @param windows  the windows of one key.
     * @param callback told once per group that merges.
     */
    public abstract void mergeWindows(Collection<W> windows, MergeCallback<W> callback);
}
