package io.tidemark.engine.state;

/**
 * One value per key.
 *
 * @param <T> the value type.
 */
public interface ValueState<T> extends State
{
    /**
     * @return the current key's value, or {@code null} if none was set.
     */
    T value();

    /**
     * @param value the current key's new value; {@code null} clears it.
     */
    void update(T value);
}
