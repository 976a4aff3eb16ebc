package io.tidemark.engine.window;

import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.operator.AbstractOperator;
import io.tidemark.engine.operator.KeyedOperator;
import io.tidemark.engine.operator.OperatorContext;
import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.operator.Output;
import io.tidemark.engine.operator.TimerService;
import io.tidemark.engine.operator.TimestampedCollector;
import io.tidemark.engine.state.AppendingState;
import io.tidemark.engine.state.InternalAppendingState;
import io.tidemark.engine.state.InternalKvState;
import io.tidemark.engine.state.KeyedStateBackend;
import io.tidemark.engine.state.Serializers;
import io.tidemark.engine.state.State;
import io.tidemark.engine.state.StateDescriptor;
import io.tidemark.engine.state.ValueState;
import io.tidemark.engine.state.ValueStateDescriptor;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keyed windows: assigns each record to its windows, keeps each window's contents in keyed
 * state (namespaced by the window), asks the trigger when to emit, and discards a window
 * once it can no longer change.
 *
 * <p>Life of an event-time window {@code w} of a key:
 * <ol>
 *   <li>Records join it while {@code w.maxTimestamp() + allowedLateness > watermark}.</li>
 *   <li>The trigger fires it; with the default trigger, when the watermark reaches
 *       {@code w.maxTimestamp()}. Every firing after the first (without a purge in between)
 *       is marked as an update.</li>
 *   <li>At {@code w.maxTimestamp() + allowedLateness} (plus the late-update retention, under
 *       {@link LateDataPolicy.Kind#LATE_UPDATE}) a cleanup timer discards contents, trigger
 *       state and timers. The sum saturates: a window that would be discarded after
 *       {@link Long#MAX_VALUE} is kept to the end of input.</li>
 *   <li>A record for a window past its allowed lateness meets the {@link LateDataPolicy}.
 *       A record assigned to several windows (hopping) is late only if all of them are;
 *       the windows an on-time record missed are counted in
 *       {@link io.tidemark.engine.operator.OperatorMetrics#lateWindowsMissed()}.</li>
 * </ol>
 * Session windows merge: a record's window is planned against the key's open sessions
 * first, and only if the merged window is not too late are contents, trigger state and
 * timers moved into it. Every session that merges away after it fired is withdrawn with a
 * retraction ({@link ProcessWindowFunction#retract}; a {@link WindowResult} with
 * {@code retraction} set), and the merged session fires as a new window. A session is
 * discarded one millisecond after the time above, so that a record at its end (on time, or
 * exactly as late as allowed) still finds it: an upsert table of the results then ends
 * equal to sessions computed over all records in one batch. A function that cannot withdraw
 * what it emitted ({@link ProcessWindowFunction#canRetract} false: a co-group's or join's
 * pairs) would repeat it instead, so for it a session is discarded at the time above, as in
 * Flink: once fired and past its allowed lateness it is final, and a later record at its
 * end opens a session of its own.
 *
 * <p>Time is a {@code long}, and a window must fit in it. A record that belongs to a window
 * that would start before {@link Long#MIN_VALUE} or end after {@link Long#MAX_VALUE} (a
 * timestamp, or for processing-time windows a clock, within a window size or session gap of
 * either end) is <em>out of range</em>: every window operator refuses it before it touches
 * any state, whatever the watermark, counts it in
 * {@link io.tidemark.engine.operator.OperatorMetrics#outOfRangeRecords()} (never as late),
 * and sends it to the late-data side output if the {@link LateDataPolicy} has one, dropping
 * it otherwise. A hopping record is refused if any of its windows does not fit, so that no
 * window holds part of what a record belongs to. So for every window operator
 * on time + late updates + late to side output + late dropped + out of range = records in.
 * The one record that fails the job instead is one without a timestamp
 * ({@link io.tidemark.engine.time.Watermark#NONE}, {@code Long.MIN_VALUE}) in an event-time
 * window: that is a pipeline without a timestamp assigner, and fails with an
 * {@link IllegalStateException} that says so, as in Flink.
 *
 * <p>Processing-time windows have no late data. At the end of input, as in Flink, event-time
 * windows all fire (the input's final watermark is {@link io.tidemark.engine.time.Watermark#END})
 * but pending processing-time timers do not: a processing-time window still open when a
 * bounded input ends is never emitted, because the time it waits for has not come. Use event
 * time for results that must be complete.
 *
 * @param <K>   the key type.
 * @param <IN>  the input type.
 * @param <V>   what a window's contents read as: the records, the reduced value or the
 *              aggregate's result.
 * @param <OUT> the output type.
 * @param <W>   the window type.
 */
public final class WindowOperator<K, IN, V, OUT, W extends Window> extends AbstractOperator<IN, OUT>
    implements KeyedOperator, TimerService.Target<W>, WindowAssigner.Context
{
    /** The name of the state that holds window contents; names starting "window-" are reserved. */
    static final String CONTENTS = "window-contents";

    private final WindowAssigner<? super IN, W> assigner;
    private final Trigger<? super IN, ? super W> trigger;
    private final LateRecords late;
    private final StateDescriptor<? extends AppendingState<IN, V>> contentsDescriptor;
    private final WindowFunctions.InternalWindowFunction<V, OUT, K, W> windowFunction;

    private final WindowContext triggerContext = new WindowContext();
    private KeyedStateBackend backend;
    private InternalAppendingState<W, IN, V> contents;
    private ValueState<Boolean> fired;
    private InternalKvState<W> firedNamespace;
    private TimerService<W> timers;
    private MergingWindowSet<W> sessions;
    private TimestampedCollector<OUT> collector;
    private OperatorMetrics metrics;

    WindowOperator(final WindowAssigner<? super IN, W> assigner, final Trigger<? super IN, ? super W> trigger, final long allowedLateness,
        final LateDataPolicy latePolicy, final StateDescriptor<? extends AppendingState<IN, V>> contentsDescriptor,
        final WindowFunctions.InternalWindowFunction<V, OUT, K, W> windowFunction)
    {
        this.assigner = assigner;
        this.trigger = trigger;
        this.late = new LateRecords(allowedLateness, latePolicy, assigner instanceof MergingWindowAssigner<?, ?> && windowFunction.canRetract());
        this.contentsDescriptor = contentsDescriptor;
        this.windowFunction = windowFunction;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void open(final OperatorContext context, final Output<OUT> output) throws Exception
    {
        super.open(context, output);
        metrics = context.metrics();
        collector = new TimestampedCollector<>(output);
        backend = context.createKeyedStateBackend();
        // Namespaces start unset: every use sets the window first.
        contents = (InternalAppendingState<W, IN, V>)backend.getPartitionedState(contentsDescriptor, assigner.windowSerializer(), null);
        fired = backend.getPartitionedState(new ValueStateDescriptor<>("window-fired", Serializers.<Boolean>any()), assigner.windowSerializer(), null);
        firedNamespace = (InternalKvState<W>)fired;
        timers = new TimerService<>(backend, this, assigner.windowSerializer());
        if (assigner instanceof MergingWindowAssigner<?, ?> merging)
        {
            final ValueState<List<W>> open = backend.getState(new ValueStateDescriptor<>("window-set", Serializers.listOf(assigner.windowSerializer())));
            sessions = new MergingWindowSet<>((MergingWindowAssigner<?, W>)merging, open);
        }
    }

    @Override
    public void setCurrentKey(final Object key)
    {
        backend.setCurrentKey(key);
    }

    @Override
    public void setCurrentLongKey(final long key)
    {
        backend.setCurrentLongKey(key);
    }

    @Override
    public void processElement(final IN value, final long timestamp) throws Exception
    {
        final List<W> windows = assigner.assignWindows(value, timestamp, this);
        if (windows == null)
        {
            late.refuseOutOfRange(value, timestamp, output, metrics);
            return;
        }
        boolean accepted = false;
        boolean updated = false;
        int missed = 0;
        for (int i = 0, n = windows.size(); i < n; i++)
        {
            W window = windows.get(i);
            MergingWindowSet.Plan<W> plan = null;
            if (sessions != null)
            {
                plan = sessions.plan(window);
                window = plan.target();
            }
            final LateRecords.Fate fate = assigner.isEventTime() ? late.fate(window.maxTimestamp(), timers.currentWatermark()) : LateRecords.Fate.ON_TIME;
            if (fate == LateRecords.Fate.UPDATES)
            {
                merge(plan);
                addLateUpdate(value, window);
                updated = true;
                continue;
            }
            if (fate == LateRecords.Fate.MISSED)
            {
                missed++;
                continue;
            }
            accepted = true;
            merge(plan);
            contents.setCurrentNamespace(window);
            if (contents.addAndReportCreated(value))
            {
                registerCleanupTimer(window);
            }
            triggerContext.window = window;
            act(trigger.onElement(value, timestamp, window, triggerContext), window);
        }
        late.settle(value, timestamp, accepted, updated, missed, output, metrics);
    }

    @Override
    public void processWatermark(final long watermark) throws Exception
    {
        timers.advanceWatermark(watermark);
        output.emitWatermark(watermark);
    }

    /** The timers' watermark: restored with them, so it may be ahead of the input's after a restore. */
    @Override
    public long currentWatermark()
    {
        return timers.currentWatermark();
    }

    @Override
    public void advanceProcessingTime(final long now) throws Exception
    {
        timers.advanceProcessingTime(now);
    }

    @Override
    public void onEventTime(final long timestamp, final W window) throws Exception
    {
        if (sessions != null && !sessions.contains(window))
        {
            return;
        }
        triggerContext.window = window;
        act(trigger.onEventTime(timestamp, window, triggerContext), window);
        if (assigner.isEventTime() && timestamp == cleanupTime(window))
        {
            discard(window);
        }
    }

    @Override
    public void onProcessingTime(final long timestamp, final W window) throws Exception
    {
        if (sessions != null && !sessions.contains(window))
        {
            return;
        }
        triggerContext.window = window;
        act(trigger.onProcessingTime(timestamp, window, triggerContext), window);
        if (!assigner.isEventTime() && timestamp == cleanupTime(window))
        {
            discard(window);
        }
    }

    @Override
    public long currentProcessingTime()
    {
        return context.clock().millis();
    }

    @Override
    public void snapshotState(final DataOutput out) throws IOException
    {
        backend.snapshot(out);
        timers.snapshot(out);
    }

    @Override
    public void restoreState(final DataInput in) throws IOException
    {
        backend.restore(in);
        timers.restore(in);
    }

    /**
     * @return the keyed state backend; for tests that check that discarded windows leave
     * nothing behind.
     */
    public KeyedStateBackend keyedStateBackend()
    {
        return backend;
    }

    /**
     * @return the timers; for tests.
     */
    public TimerService<W> timerService()
    {
        return timers;
    }

    private long cleanupTime(final W window)
    {
        return assigner.isEventTime() ? late.cleanupTime(window.maxTimestamp()) : window.maxTimestamp();
    }

    private void registerCleanupTimer(final W window)
    {
        final long time = cleanupTime(window);
        if (time == Long.MAX_VALUE)
        {
            // A window that never ends is never discarded.
            return;
        }
        if (assigner.isEventTime())
        {
            timers.registerEventTimeTimer(window, time);
        }
        else
        {
            timers.registerProcessingTimeTimer(window, time);
        }
    }

    private void deleteCleanupTimer(final W window)
    {
        final long time = cleanupTime(window);
        if (assigner.isEventTime())
        {
            timers.deleteEventTimeTimer(window, time);
        }
        else
        {
            timers.deleteProcessingTimeTimer(window, time);
        }
    }

    private void addLateUpdate(final IN value, final W window) throws Exception
    {
        contents.setCurrentNamespace(window);
        if (contents.addAndReportCreated(value))
        {
            registerCleanupTimer(window);
        }
        emit(window);
    }

    private void act(final TriggerResult result, final W window) throws Exception
    {
        if (result.isFire())
        {
            emit(window);
        }
        if (result.isPurge())
        {
            contents.setCurrentNamespace(window);
            contents.clear();
            // After a purge the next result starts afresh: it is not a revision of this one.
            firedNamespace.setCurrentNamespace(window);
            fired.clear();
        }
    }

    @SuppressWarnings("unchecked")
    private void emit(final W window) throws Exception
    {
        contents.setCurrentNamespace(window);
        final V value = contents.get();
        if (value == null)
        {
            return;
        }
        firedNamespace.setCurrentNamespace(window);
        final boolean update = fired.value() != null;
        if (!update)
        {
            fired.update(Boolean.TRUE);
        }
        metrics.windowFired(update);
        triggerContext.window = window;
        triggerContext.update = update;
        windowFunction.process((K)backend.currentKey(), window, value, triggerContext, collector.at(window.maxTimestamp()));
    }

    /**
     * Withdraws the results of a window that fired and has merged away. The merged window is
     * a window of its own: its first result is not an update.
     */
    @SuppressWarnings("unchecked")
    private void retract(final W window) throws Exception
    {
        triggerContext.window = window;
        triggerContext.update = false;
        windowFunction.retract((K)backend.currentKey(), window, triggerContext, collector.at(window.maxTimestamp()));
    }

    private void discard(final W window) throws Exception
    {
        contents.setCurrentNamespace(window);
        contents.clear();
        firedNamespace.setCurrentNamespace(window);
        fired.clear();
        triggerContext.window = window;
        trigger.clear(window, triggerContext);
        if (sessions != null)
        {
            sessions.remove(window);
        }
    }

    private void merge(final MergingWindowSet.Plan<W> plan) throws Exception
    {
        if (plan == null || plan.existing())
        {
            return;
        }
        sessions.apply(plan);
        final List<W> mergedAway = plan.mergedAway();
        if (mergedAway.isEmpty())
        {
            return;
        }
        final W target = plan.target();
        contents.mergeNamespaces(target, mergedAway);
        for (final W window : mergedAway)
        {
            firedNamespace.setCurrentNamespace(window);
            if (fired.value() != null)
            {
                fired.clear();
                retract(window);
            }
        }
        triggerContext.window = target;
        triggerContext.mergedWindows = mergedAway;
        trigger.onMerge(target, triggerContext);
        for (final W window : mergedAway)
        {
            triggerContext.window = window;
            trigger.clear(window, triggerContext);
            deleteCleanupTimer(window);
        }
        registerCleanupTimer(target);
    }

    /**
     * The context handed to the trigger and to process window functions: the window being
     * worked on is set before each call, so one object serves every record.
     */
    private final class WindowContext implements Trigger.OnMergeContext, ProcessWindowFunction.Context<W>
    {
        private final Map<StateDescriptor<?>, State> stateCache = new IdentityHashMap<>();
        W window;
        Collection<W> mergedWindows;
        boolean update;

        @Override
        public long currentProcessingTime()
        {
            return context.clock().millis();
        }

        @Override
        public long currentWatermark()
        {
            return timers.currentWatermark();
        }

        @Override
        public void registerEventTimeTimer(final long time)
        {
            timers.registerEventTimeTimer(window, time);
        }

        @Override
        public void registerProcessingTimeTimer(final long time)
        {
            timers.registerProcessingTimeTimer(window, time);
        }

        @Override
        public void deleteEventTimeTimer(final long time)
        {
            timers.deleteEventTimeTimer(window, time);
        }

        @Override
        public void deleteProcessingTimeTimer(final long time)
        {
            timers.deleteProcessingTimeTimer(window, time);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <S extends State> S getPartitionedState(final StateDescriptor<S> descriptor)
        {
            if (descriptor.name().startsWith("window-"))
            {
                throw new IllegalArgumentException("the state name '" + descriptor.name() + "' is reserved by the window operator");
            }
            State state = stateCache.get(descriptor);
            if (state == null)
            {
                state = backend.getPartitionedState(descriptor, assigner.windowSerializer(), window);
                stateCache.put(descriptor, state);
            }
            ((InternalKvState<W>)state).setCurrentNamespace(window);
            return (S)state;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void mergePartitionedState(final StateDescriptor<? extends AppendingState<?, ?>> descriptor) throws Exception
        {
            final State state = getPartitionedState(descriptor);
            ((InternalAppendingState<W, ?, ?>)state).mergeNamespaces(window, mergedWindows);
        }

        @Override
        public W window()
        {
            return window;
        }

        @Override
        public boolean isUpdate()
        {
            return update;
        }

        @Override
        public <X> void output(final OutputTag<X> tag, final X value)
        {
            output.collect(tag, value, window.maxTimestamp());
        }
    }
}
