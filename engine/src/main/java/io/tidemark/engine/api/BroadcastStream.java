package io.tidemark.engine.api;

import io.tidemark.engine.state.MapStateDescriptor;
import java.util.List;

/**
 * A stream each record of which goes to every subtask of the operator it is connected to,
 * with the broadcast states that operator keeps; made by {@link DataStream#broadcast}.
 *
 * @param <T> the record type.
 */
public final class BroadcastStream<T>
{
    private final DataStream<T> stream;
    private final List<MapStateDescriptor<?, ?>> descriptors;

    BroadcastStream(final DataStream<T> stream, final List<MapStateDescriptor<?, ?>> descriptors)
    {
        this.stream = stream;
        this.descriptors = List.copyOf(descriptors);
    }

    /**
     * @return the broadcast states the receiving function may keep.
     */
    public List<MapStateDescriptor<?, ?>> getBroadcastStateDescriptors()
    {
        return descriptors;
    }

    DataStream<T> stream()
    {
        return stream;
    }
}
