package io.tidemark.engine.functions;

import java.io.Serializable;

/**
 * Processes two connected streams keyed alike: each input by its own method, and both share
 * the key's state and timers, so a record of one input can meet what the other left in the
 * state. Timers (event time and processing time) call {@link #onTimer}, side outputs take
 * an {@link OutputTag}, as for a {@link KeyedProcessFunction}. Each parallel subtask gets its
 * own copy; keep per-key data in the context's state.
 *
 * @param <K>   the key type, the same for both inputs.
 * @param <IN1> the first input's type.
 * @param <IN2> the second input's type.
 * @param <OUT> the output type.
 */
public abstract class KeyedCoProcessFunction<K, IN1, IN2, OUT> implements Serializable
{
    private static final long serialVersionUID = 1L;

    /**
     * @param value a record of the first input.
     * @param ctx   its key, timestamp, state and timers.
     * @param out   the main output; records carry the input's timestamp.
     * @throws Exception to fail the job.
     */
    public abstract void processElement1(IN1 value, Context<K, OUT> ctx, Collector<OUT> out) throws Exception;

    /**
     * @param value a record of the second input.
     * @param ctx   its key, timestamp, state and timers.
     * @param out   the main output; records carry the input's timestamp.
     * @throws Exception to fail the job.
     */
    public abstract void processElement2(IN2 value, Context<K, OUT> ctx, Collector<OUT> out) throws Exception;

    /**
     * Called when a timer of the current key fires, whichever input set it. Does nothing unless
     * overridden.
     *
     * @param timestamp the timer's time.
     * @param ctx       the key, state, timers; {@link Context#timestamp()} is the timer's time.
     * @param out       the main output; records carry the timer's timestamp.
     * @throws Exception to fail the job.
     */
    public void onTimer(final long timestamp, final Context<K, OUT> ctx, final Collector<OUT> out) throws Exception
    {
    }

    /**
     * What a keyed co-process function can reach while it runs: the same as a keyed process
     * function's.
     *
     * @param <K> the key type.
     * @param <O> the output type.
     */
    public interface Context<K, O> extends KeyedProcessFunction.Context<K, O>
    {
    }
}
