package io.tidemark.engine.functions;

import io.tidemark.engine.state.BroadcastState;
import io.tidemark.engine.state.MapStateDescriptor;
import io.tidemark.engine.state.ReadOnlyBroadcastState;
import java.io.Serializable;

/**
 * Processes a keyed stream together with a broadcast stream: records of the keyed side have
 * their key's state and timers and read the broadcast state; records of the broadcast side
 * (every subtask receives each) may change it, and have no key. Each parallel subtask gets its
 * own copy.
 *
 * @param <KS>  the keyed stream's key type.
 * @param <IN1> the keyed stream's type.
 * @param <IN2> the broadcast stream's type.
 * @param <OUT> the output type.
 */
public abstract class KeyedBroadcastProcessFunction<KS, IN1, IN2, OUT> implements Serializable
{
    private static final long serialVersionUID = 1L;

    /**
     * @param value a record of the keyed stream.
     * @param ctx   its key, timestamp, keyed state, timers, read-only broadcast state.
     * @param out   the main output; records carry the input's timestamp.
     * @throws Exception to fail the job.
     */
    public abstract void processElement(IN1 value, ReadOnlyContext<KS, OUT> ctx, Collector<OUT> out) throws Exception;

    /**
     * @param value a record of the broadcast stream, which every subtask receives.
     * @param ctx   its timestamp, writable broadcast state, side outputs.
     * @param out   the main output; records carry the input's timestamp.
     * @throws Exception to fail the job.
     */
    public abstract void processBroadcastElement(IN2 value, Context ctx, Collector<OUT> out) throws Exception;

    /**
     * Called when a timer of the current key fires. Does nothing unless overridden.
     *
     * @param timestamp the timer's time.
     * @param ctx       the key, state, timers, read-only broadcast state.
     * @param out       the main output; records carry the timer's timestamp.
     * @throws Exception to fail the job.
     */
    public void onTimer(final long timestamp, final ReadOnlyContext<KS, OUT> ctx, final Collector<OUT> out) throws Exception
    {
    }

    /**
     * The keyed side's context: what a keyed process function has, and broadcast state read
     * only.
     *
     * @param <KS>  the key type.
     * @param <OUT> the output type.
     */
    public interface ReadOnlyContext<KS, OUT> extends KeyedProcessFunction.Context<KS, OUT>
    {
        /**
         * @param descriptor one of the states the broadcast stream declared.
         * @param <K>        the map's key type.
         * @param <V>        the map's value type.
         * @return that state, read only.
         */
        <K, V> ReadOnlyBroadcastState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor);
    }

    /** The broadcast side's context: no key; broadcast state read and write. */
    public interface Context extends BroadcastProcessFunction.BaseContext
    {
        /**
         * @param descriptor one of the states the broadcast stream declared.
         * @param <K>        the map's key type.
         * @param <V>        the map's value type.
         * @return that state.
         */
        <K, V> BroadcastState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor);
    }
}
