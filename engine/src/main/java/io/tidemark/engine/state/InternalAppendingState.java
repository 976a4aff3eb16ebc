package io.tidemark.engine.state;

import java.util.Collection;

/**
 * What a window operator needs from the state that holds a window's contents: add a record,
 * learn whether that created the window's entry (so the cleanup timer is registered once
 * per window, not once per record), and merge the contents of several windows into one
 * when session windows merge.
 *
 * @param <N>   the namespace type, the window.
 * @param <IN>  the type added.
 * @param <OUT> the type read.
 */
public interface InternalAppendingState<N, IN, OUT> extends InternalKvState<N>, AppendingState<IN, OUT>
{
    /**
     * Adds a value for the current key and namespace.
     *
     * @param value the value.
     * @return {@code true} if the current key and namespace had no entry before.
     * @throws Exception if a user reduce or aggregate function fails.
     */
    boolean addAndReportCreated(IN value) throws Exception;

    /**
     * Moves the entries of {@code sources} (for the current key) into {@code target},
     * combining them with what {@code target} holds.
     *
     * @param target  the namespace that receives everything.
     * @param sources the namespaces to empty; may include {@code target}, which is skipped.
     * @throws Exception if a user reduce or aggregate function fails.
     */
    void mergeNamespaces(N target, Collection<N> sources) throws Exception;
}
