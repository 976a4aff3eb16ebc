package io.tidemark.engine.window;

import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.OutputTag;
import java.io.Serializable;

/**
 * Computes a window's output with full knowledge of the window: its bounds, the time, and
 * whether this firing revises an earlier one. Given every record of the window (with
 * {@code process}), or the single pre-aggregated value (after an aggregate or reduce
 * function, which keeps state small). Each parallel subtask gets its own copy (see
 * {@link io.tidemark.engine.functions.SerializedCopy}); one copy serves every key of its subtask.
 *
 * @param <IN>  the input type: records, or the pre-aggregated value.
 * @param <OUT> the output type.
 * @param <K>   the key type.
 * @param <W>   the window type.
 */
public abstract class ProcessWindowFunction<IN, OUT, K, W extends Window> implements Serializable
{
    private static final long serialVersionUID = 1L;

    /**
     * @param key      the key.
     * @param context  the window and the time.
     * @param elements the window's contents.
     * @param out      where to emit; records carry the window's largest timestamp.
     * @throws Exception to fail the job.
     */
    public abstract void process(K key, Context<W> context, Iterable<IN> elements, Collector<OUT> out) throws Exception;

    /**
     * Withdraws what {@code process} emitted for a session window that has since merged into
     * another (a late record bridged or extended it); the merged window is then emitted as a
     * window of its own. The default emits nothing, which suits a function whose output is
     * not kept by window; one whose output feeds an upsert sink emits what deletes the row.
     *
     * @param key     the key.
     * @param context the window that merged away, and the time.
     * @param out     where to emit; records carry the window's largest timestamp.
     * @throws Exception to fail the job.
     */
    public void retract(final K key, final Context<W> context, final Collector<OUT> out) throws Exception
    {
    }

    /**
     * Whether a fired session window still merges with a record at its end: true (the
     * default), the fired session is kept one millisecond past its allowed lateness, and a
     * record at its end merges with it ({@link #retract} withdraws the fired result, the
     * merged session fires as new), as a batch over all records would group them. False for
     * a function whose output cannot be withdrawn and must not repeat (a co-group's or
     * join's pairs): a session that has fired is then final once the watermark reaches its
     * last millisecond plus the allowed lateness, as in Flink, and a later record at its end
     * opens a session of its own.
     *
     * @return whether {@link #retract} withdraws what {@link #process} emitted.
     */
    public boolean canRetract()
    {
        return true;
    }

    /**
     * The window being emitted, and its circumstances.
     *
     * @param <W> the window type.
     */
    public interface Context<W>
    {
        /**
         * @return the window.
         */
        W window();

        /**
         * @return the operator's current watermark.
         */
        long currentWatermark();

        /**
         * @return the current processing time.
         */
        long currentProcessingTime();

        /**
         * @return whether this firing revises an earlier result of the same key and window.
         */
        boolean isUpdate();

        /**
         * @param tag   a side output.
         * @param value a record for it.
         * @param <X>   its type.
         */
        <X> void output(OutputTag<X> tag, X value);
    }
}
