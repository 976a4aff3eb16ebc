package io.tidemark.engine.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * {@link ListState} on the heap: an {@link ArrayList} per key and namespace.
 *
 * @param <N> the namespace type.
 * @param <T> the element type.
 */
final class HeapListState<N, T> extends HeapState<N, List<T>> implements ListState<T>, InternalAppendingState<N, T, Iterable<T>>
{
    HeapListState(final KeyedStateBackend backend, final StateDescriptor<?> descriptor, final TypeSerializer<T> serializer)
    {
        super(backend, descriptor, Serializers.listOf(serializer));
    }

    @Override
    public Iterable<T> get()
    {
        return read(namespace);
    }

    @Override
    public void add(final T value)
    {
        addAndReportCreated(value);
    }

    @Override
    public boolean addAndReportCreated(final T value)
    {
        final List<T> list = read(namespace);
        if (list == null)
        {
            final List<T> created = new ArrayList<>();
            created.add(value);
            write(namespace, created);
            return true;
        }
        list.add(value);
        return false;
    }

    @Override
    public void update(final List<T> values)
    {
        if (values.isEmpty())
        {
            delete(namespace);
        }
        else
        {
            write(namespace, new ArrayList<>(values));
        }
    }

    @Override
    public void mergeNamespaces(final N target, final Collection<N> sources)
    {
        List<T> merged = read(target);
        for (final N source : sources)
        {
            if (source.equals(target))
            {
                continue;
            }
            final List<T> moved = delete(source);
            if (moved != null)
            {
                if (merged == null)
                {
                    merged = moved;
                }
                else
                {
                    merged.addAll(moved);
                }
            }
        }
        if (merged != null)
        {
            write(target, merged);
        }
    }
}
