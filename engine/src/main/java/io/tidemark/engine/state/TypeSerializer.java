package io.tidemark.engine.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Writes values of one type to bytes and reads them back, for state snapshots. See
 * {@link Serializers} for the built-in ones.
 *
 * @param <T> the value type.
 */
public interface TypeSerializer<T>
{
    /**
     * @param value a value, not {@code null}.
     * @param out   where to write it.
     * @throws IOException if the output fails or the value cannot be written.
     */
    void serialize(T value, DataOutput out) throws IOException;

    /**
     * @param in where to read from, positioned at a value this serializer wrote.
     * @return the value.
     * @throws IOException if the input fails or holds something else.
     */
    T deserialize(DataInput in) throws IOException;
}
