package io.tidemark.engine.state;

import java.util.List;

/**
 * A list of values per key.
 *
 * @param <T> the element type.
 */
public interface ListState<T> extends AppendingState<T, Iterable<T>>
{
    /**
     * @param values replaces the current key's list; an empty list clears it.
     */
    void update(List<T> values);
}
