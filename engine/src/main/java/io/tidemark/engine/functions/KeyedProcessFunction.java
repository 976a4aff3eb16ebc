package io.tidemark.engine.functions;

import io.tidemark.engine.state.State;
import io.tidemark.engine.state.StateDescriptor;
import java.io.Serializable;

/**
 * The most general keyed function: sees each record with its key and timestamp, keeps keyed
 * state, sets timers and emits to the main output or to side outputs. Each parallel subtask
 * gets its own copy (see {@link SerializedCopy}), so a field is per subtask, but it is shared
 * by every key of that subtask: keep per-key data in the context's state.
 *
 * @param <K> the key type.
 * @param <I> the input type.
 * @param <O> the output type.
 */
public abstract class KeyedProcessFunction<K, I, O> implements Serializable
{
    private static final long serialVersionUID = 1L;

    /**
     * Processes one record.
     *
     * @param value the record.
     * @param ctx   its key, timestamp, state and timers.
     * @param out   the main output; records carry the input's timestamp.
     * @throws Exception to fail the job.
     */
    public abstract void processElement(I value, Context<K, O> ctx, Collector<O> out) throws Exception;

    /**
     * Called when a timer of the current key fires. Does nothing unless overridden.
     *
     * @param timestamp the timer's time.
     * @param ctx       the key, state, timers; {@link Context#timestamp()} is the timer's time.
     * @param out       the main output; records carry the timer's timestamp.
     * @throws Exception to fail the job.
     */
    public void onTimer(final long timestamp, final Context<K, O> ctx, final Collector<O> out) throws Exception
    {
    }

    /**
     * What a keyed process function can reach while it runs.
     *
     * @param <K> the key type.
     * @param <O> the output type.
     */
    public interface Context<K, O>
    {
        /**
         * @return the timestamp of the record being processed, or of the firing timer.
         */
        long timestamp();

        /**
         * @return the current key.
         */
        K getCurrentKey();

        /**
         * @return timers and the current time.
         */
        Timers timerService();

        /**
         * @param descriptor names the state.
         * @param <S>        the state type.
         * @return the state of this subtask, bound to the current key.
         */
        <S extends State> S getState(StateDescriptor<S> descriptor);

        /**
         * Emits a record to a side output, with the current timestamp.
         *
         * @param tag   the side output.
         * @param value the record.
         * @param <X>   the side output's type.
         */
        <X> void output(OutputTag<X> tag, X value);
    }
}
