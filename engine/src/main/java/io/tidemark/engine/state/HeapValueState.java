package io.tidemark.engine.state;

/**
 * {@link ValueState} on the heap.
 *
 * @param <N> the namespace type.
 * @param <T> the value type.
 */
final class HeapValueState<N, T> extends HeapState<N, T> implements ValueState<T>
{
    HeapValueState(final KeyedStateBackend backend, final StateDescriptor<?> descriptor, final TypeSerializer<T> serializer)
    {
        super(backend, descriptor, serializer);
    }

    @Override
    public T value()
    {
        return read(namespace);
    }

    @Override
    public void update(final T value)
    {
        if (value == null)
        {
            delete(namespace);
        }
        else
        {
            write(namespace, value);
        }
    }
}
