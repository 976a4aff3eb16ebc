package io.tidemark.engine.api;

import io.tidemark.engine.functions.BroadcastProcessFunction;
import io.tidemark.engine.functions.KeyedBroadcastProcessFunction;
import io.tidemark.engine.functions.SerializedCopy;
import io.tidemark.engine.operator.BroadcastProcessOperator;
import io.tidemark.engine.operator.KeyedBroadcastProcessOperator;
import io.tidemark.engine.state.MapStateDescriptor;
import java.util.List;

/**
 * A stream connected with a broadcast stream: the broadcast side's records reach every
 * subtask and may change the broadcast state, the other side's records read it. The watermark
 * is the least of both streams', as for any two inputs; a broadcast stream that goes quiet
 * should be idle so as not to hold the other back.
 *
 * @param <IN1> the non-broadcast stream's type.
 * @param <IN2> the broadcast stream's type.
 */
public final class BroadcastConnectedStream<IN1, IN2>
{
    private final DataStream<IN1> first;
    private final BroadcastStream<IN2> broadcast;

    BroadcastConnectedStream(final DataStream<IN1> first, final BroadcastStream<IN2> broadcast)
    {
        this.first = first;
        this.broadcast = broadcast;
    }

    /**
     * @param function processes both sides, the non-broadcast one reading broadcast state.
     * @param <OUT>    the output type.
     * @return the stream of its output.
     */
    public <OUT> DataStream<OUT> process(final BroadcastProcessFunction<IN1, IN2, OUT> function)
    {
        final SerializedCopy<BroadcastProcessFunction<IN1, IN2, OUT>> copies = SerializedCopy.of(function, "broadcast process function");
        final List<MapStateDescriptor<?, ?>> descriptors = broadcast.getBroadcastStateDescriptors();
        return first.connect(broadcast.stream()).transform("broadcastProcess", () -> new BroadcastProcessOperator<>(copies.newCopy(), descriptors));
    }

    /**
     * @param function processes both sides, the keyed one with its key's state and timers.
     * @param <K>      the key type.
     * @param <OUT>    the output type.
     * @return the stream of its output.
     * @throws IllegalStateException if the non-broadcast stream is not keyed.
     */
    public <K, OUT> DataStream<OUT> process(final KeyedBroadcastProcessFunction<K, IN1, IN2, OUT> function)
    {
        if (!(first instanceof KeyedStream))
        {
            throw new IllegalStateException("a KeyedBroadcastProcessFunction needs a keyed stream connected to the broadcast stream: keyBy it first");
        }
        final SerializedCopy<KeyedBroadcastProcessFunction<K, IN1, IN2, OUT>> copies = SerializedCopy.of(function, "keyed broadcast process function");
        final List<MapStateDescriptor<?, ?>> descriptors = broadcast.getBroadcastStateDescriptors();
        return first.connect(broadcast.stream()).transform("keyedBroadcastProcess", () -> new KeyedBroadcastProcessOperator<>(copies.newCopy(), descriptors));
    }
}
