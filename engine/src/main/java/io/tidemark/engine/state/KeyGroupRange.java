package io.tidemark.engine.state;

/**
 * A contiguous run of key groups {@code [start, end]}, both inclusive: what one subtask of a
 * keyed operator owns. Empty when {@code end < start}.
 *
 * @param start the first key group.
 * @param end   the last key group.
 */
public record KeyGroupRange(int start, int end)
{
    /**
     * @param keyGroup a key group.
     * @return whether it is in this range.
     */
    public boolean contains(final int keyGroup)
    {
        return keyGroup >= start && keyGroup <= end;
    }

    /**
     * @return the number of key groups.
     */
    public int size()
    {
        return Math.max(0, end - start + 1);
    }
}
