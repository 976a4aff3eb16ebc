package io.tidemark.engine.state;

import io.tidemark.engine.functions.AggregateFunction;

/**
 * Describes an {@link AggregatingState}.
 *
 * @param <IN>  the type added.
 * @param <ACC> the accumulator type, which is what is stored and snapshotted.
 * @param <OUT> the result type.
 */
public final class AggregatingStateDescriptor<IN, ACC, OUT> extends StateDescriptor<AggregatingState<IN, OUT>>
{
    private final AggregateFunction<IN, ACC, OUT> aggregateFunction;
    private final TypeSerializer<ACC> serializer;

    /**
     * @param name              the state's name; accumulators are snapshotted with
     *                          {@link Serializers#any()}.
     * @param aggregateFunction the aggregation.
     */
    public AggregatingStateDescriptor(final String name, final AggregateFunction<IN, ACC, OUT> aggregateFunction)
    {
        this(name, aggregateFunction, Serializers.any());
    }

    /**
     * @param name              the state's name.
     * @param aggregateFunction the aggregation.
     * @param serializer        how to snapshot an accumulator.
     */
    public AggregatingStateDescriptor(final String name, final AggregateFunction<IN, ACC, OUT> aggregateFunction, final TypeSerializer<ACC> serializer)
    {
        super(name);
        this.aggregateFunction = aggregateFunction;
        this.serializer = serializer;
    }

    @Override
    HeapState<?, ?> createState(final KeyedStateBackend backend)
    {
        return new HeapAggregatingState<>(backend, this, aggregateFunction, serializer);
    }
}
