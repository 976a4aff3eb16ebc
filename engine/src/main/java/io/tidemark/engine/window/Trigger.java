package io.tidemark.engine.window;

import io.tidemark.engine.state.AppendingState;
import io.tidemark.engine.state.State;
import io.tidemark.engine.state.StateDescriptor;

/**
 * Decides when a window emits its result. The window operator asks the trigger on every
 * record added to a window and on every timer the trigger registered; each answer is a
 * {@link TriggerResult}. A trigger keeps its own per-window data in partitioned state and
 * timers reached through the context, never in fields: one trigger instance serves all keys
 * and windows.
 *
 * <p>Write a custom trigger by extending this class, for example "fire every 100 records or
 * when the watermark passes the end, whichever comes first".
 *
 * @param <T> the record type.
 * @param <W> the window type.
 */
public abstract class Trigger<T, W extends Window>
{
    /**
     * @param element   a record just added to {@code window}.
     * @param timestamp its timestamp.
     * @param window    the window.
     * @param ctx       timers, time and state for this key and window.
     * @return what to do.
     * @throws Exception to fail the job.
     */
    public abstract TriggerResult onElement(T element, long timestamp, W window, TriggerContext ctx) throws Exception;

    /**
     * @param time   the time of an event-time timer this trigger registered.
     * @param window the window.
     * @param ctx    timers, time and state for this key and window.
     * @return what to do.
     * @throws Exception to fail the job.
     */
    public abstract TriggerResult onEventTime(long time, W window, TriggerContext ctx) throws Exception;

    /**
     * @param time   the time of a processing-time timer this trigger registered.
     * @param window the window.
     * @param ctx    timers, time and state for this key and window.
     * @return what to do.
     * @throws Exception to fail the job.
     */
    public abstract TriggerResult onProcessingTime(long time, W window, TriggerContext ctx) throws Exception;

    /**
     * Deletes the timers and state this trigger holds for the window: called when the window
     * is discarded, and for each window that disappears into a merge.
     *
     * @param window the window.
     * @param ctx    timers and state for this key and window.
     * @throws Exception to fail the job.
     */
    public abstract void clear(W window, TriggerContext ctx) throws Exception;

    /**
     * @return whether this trigger works with merging (session) windows.
     */
    public boolean canMerge()
    {
        return false;
    }

    /**
     * Called when windows merged into {@code window}: take over their state (with
     * {@link OnMergeContext#mergePartitionedState}) and register the timers the merged
     * window needs. Their old timers are deleted through {@link #clear} afterwards.
     *
     * @param window the merged window.
     * @param ctx    timers, time and state, and the merge of state.
     * @throws Exception to fail the job.
     */
    public void onMerge(final W window, final OnMergeContext ctx) throws Exception
    {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support merging windows");
    }

    /** What a trigger can reach for the current key and window. */
    public interface TriggerContext
    {
        /**
         * @return the current processing time.
         */
        long currentProcessingTime();

        /**
         * @return the operator's current watermark.
         */
        long currentWatermark();

        /**
         * @param time when the watermark should call {@link #onEventTime}.
         */
        void registerEventTimeTimer(long time);

        /**
         * @param time when processing time should call {@link #onProcessingTime}.
         */
        void registerProcessingTimeTimer(long time);

        /**
         * @param time the event-time timer to delete.
         */
        void deleteEventTimeTimer(long time);

        /**
         * @param time the processing-time timer to delete.
         */
        void deleteProcessingTimeTimer(long time);

        /**
         * @param descriptor names the state.
         * @param <S>        the state type.
         * @return the state of the current key and window.
         */
        <S extends State> S getPartitionedState(StateDescriptor<S> descriptor);
    }

    /** The context during {@link #onMerge}. */
    public interface OnMergeContext extends TriggerContext
    {
        /**
         * Combines the state of the merged windows into the new window.
         *
         * @param descriptor a list, reducing or aggregating state the trigger uses.
         * @throws Exception if a reduce or aggregate function fails.
         */
        void mergePartitionedState(StateDescriptor<? extends AppendingState<?, ?>> descriptor) throws Exception;
    }
}
