package io.tidemark.engine.state;

import io.tidemark.engine.functions.AggregateFunction;
import java.util.Collection;

/**
 * {@link AggregatingState} on the heap: stores the accumulator, which the aggregate function
 * usually updates in place, so adding a record costs one lookup.
 *
 * @param <N>   the namespace type.
 * @param <IN>  the type added.
 * @param <ACC> the accumulator type.
 * @param <OUT> the result type.
 */
final class HeapAggregatingState<N, IN, ACC, OUT> extends HeapState<N, ACC> implements AggregatingState<IN, OUT>, InternalAggregatingState<N, IN, ACC, OUT>
{
    private final AggregateFunction<IN, ACC, OUT> aggregateFunction;

    HeapAggregatingState(final KeyedStateBackend backend, final StateDescriptor<?> descriptor, final AggregateFunction<IN, ACC, OUT> aggregateFunction,
        final TypeSerializer<ACC> serializer)
    {
        super(backend, descriptor, serializer);
        this.aggregateFunction = aggregateFunction;
    }

    @Override
    public OUT get()
    {
        final ACC accumulator = read(namespace);
        return accumulator == null ? null : aggregateFunction.getResult(accumulator);
    }

    @Override
    public ACC getAccumulator()
    {
        return read(namespace);
    }

    @Override
    public void add(final IN value)
    {
        addAndReportCreated(value);
    }

    @Override
    public boolean addAndReportCreated(final IN value)
    {
        final ACC current = read(namespace);
        final boolean created = current == null;
        final ACC before = created ? aggregateFunction.createAccumulator() : current;
        final ACC after = aggregateFunction.add(value, before);
        if (created || after != current)
        {
            write(namespace, after);
        }
        return created;
    }

    @Override
    public void mergeNamespaces(final N target, final Collection<N> sources)
    {
        ACC merged = read(target);
        for (final N source : sources)
        {
            if (source.equals(target))
            {
                continue;
            }
            final ACC moved = delete(source);
            if (moved != null)
            {
                merged = merged == null ? moved : aggregateFunction.merge(merged, moved);
            }
        }
        if (merged != null)
        {
            write(target, merged);
        }
    }
}
