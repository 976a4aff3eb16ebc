package io.tidemark.engine.state;

/**
 * State that values are added to and that answers with what they add up to: a list, a
 * reduction or an aggregation.
 *
 * @param <IN>  the type added.
 * @param <OUT> the type read.
 */
public interface AppendingState<IN, OUT> extends State
{
    /**
     * @return what the values added for the current key add up to, or {@code null} if none
     * were added.
     */
    OUT get();

    /**
     * @param value a value to add for the current key.
     * @throws Exception if a user reduce function fails.
     */
    void add(IN value) throws Exception;
}
