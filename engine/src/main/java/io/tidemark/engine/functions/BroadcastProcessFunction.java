package io.tidemark.engine.functions;

import io.tidemark.engine.state.BroadcastState;
import io.tidemark.engine.state.MapStateDescriptor;
import io.tidemark.engine.state.ReadOnlyBroadcastState;
import java.io.Serializable;

/**
 * Processes a stream that is not keyed together with a broadcast stream (a small side input
 * every subtask receives whole, such as rules or a table): records of the broadcast side
 * may change the broadcast state, records of the other side read it. Each parallel subtask
 * gets its own copy.
 *
 * @param <IN1> the non-broadcast stream's type.
 * @param <IN2> the broadcast stream's type.
 * @param <OUT> the output type.
 */
public abstract class BroadcastProcessFunction<IN1, IN2, OUT> implements Serializable
{
    private static final long serialVersionUID = 1L;

    /**
     * @param value a record of the non-broadcast stream.
     * @param ctx   its timestamp, read-only broadcast state, side outputs.
     * @param out   the main output; records carry the input's timestamp.
     * @throws Exception to fail the job.
     */
    public abstract void processElement(IN1 value, ReadOnlyContext ctx, Collector<OUT> out) throws Exception;

    /**
     * @param value a record of the broadcast stream, which every subtask receives.
     * @param ctx   its timestamp, writable broadcast state, side outputs.
     * @param out   the main output; records carry the input's timestamp.
     * @throws Exception to fail the job.
     */
    public abstract void processBroadcastElement(IN2 value, Context ctx, Collector<OUT> out) throws Exception;

    /**
     * What both sides can reach: the timestamp, time and side outputs, as a co-process
     * function's context has them.
     */
    public interface BaseContext extends CoProcessFunction.Context
    {
    }

    /** The non-broadcast side's context: broadcast state read only. */
    public interface ReadOnlyContext extends BaseContext
    {
        /**
         * @param descriptor one of the states the broadcast stream declared.
         * @param <K>        the map's key type.
         * @param <V>        the map's value type.
         * @return that state, read only.
         */
        <K, V> ReadOnlyBroadcastState<K, V> getBroadcastState(MapStateDescriptor<K, V> descriptor);
    }

    /** The broadcast side's context: broadcast state read and write. */
    public interface Context extends BaseContext
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
