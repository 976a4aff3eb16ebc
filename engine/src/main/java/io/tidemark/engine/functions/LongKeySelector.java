package io.tidemark.engine.functions;

/**
 * A {@link KeySelector} whose key is a primitive {@code long}: a user id, a sequence number.
 * Declaring it lets the engine carry the key from the producer to the consumer's keyed operator
 * without boxing it, and the window operators that index keys by value (the slicing and
 * session operators) look it up without ever making a {@code Long}. The key is still a
 * {@code Long} to everything that sees keys as objects (keyed state, timers, window results),
 * and it goes to the same key group as that {@code Long} would: switching a job between
 * {@code keyBy} and {@link io.tidemark.engine.api.DataStream#keyByLong} moves no key.
 *
 * @param <T> the record type.
 */
@FunctionalInterface
public interface LongKeySelector<T> extends KeySelector<T, Long>
{
    /**
     * @param value a record.
     * @return its key.
     * @throws Exception to fail the job.
     */
    long getLongKey(T value) throws Exception;

    /** The key as an object, for the operators that keep keys as objects. */
    @Override
    default Long getKey(final T value) throws Exception
    {
        return getLongKey(value);
    }
}
