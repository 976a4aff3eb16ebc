package io.tidemark.engine.state;

import io.tidemark.engine.functions.ReduceFunction;
import java.util.Collection;

/**
 * {@link ReducingState} on the heap.
 *
 * @param <N> the namespace type.
 * @param <T> the value type.
 */
final class HeapReducingState<N, T> extends HeapState<N, T> implements ReducingState<T>, InternalAppendingState<N, T, T>
{
    private final ReduceFunction<T> reduceFunction;

    HeapReducingState(final KeyedStateBackend backend, final StateDescriptor<?> descriptor, final ReduceFunction<T> reduceFunction, final TypeSerializer<T> serializer)
    {
        super(backend, descriptor, serializer);
        this.reduceFunction = reduceFunction;
    }

    @Override
    public T get()
    {
        return read(namespace);
    }

    @Override
    public void add(final T value) throws Exception
    {
        addAndReportCreated(value);
    }

    @Override
    public boolean addAndReportCreated(final T value) throws Exception
    {
        final T current = read(namespace);
        if (current == null)
        {
            write(namespace, value);
            return true;
        }
        final T reduced = reduceFunction.reduce(current, value);
        if (reduced != current)
        {
            write(namespace, reduced);
        }
        return false;
    }

    @Override
    public void mergeNamespaces(final N target, final Collection<N> sources) throws Exception
    {
        T merged = read(target);
        for (final N source : sources)
        {
            if (source.equals(target))
            {
                continue;
            }
            final T moved = delete(source);
            if (moved != null)
            {
                merged = merged == null ? moved : reduceFunction.reduce(merged, moved);
            }
        }
        if (merged != null)
        {
            write(target, merged);
        }
    }
}
