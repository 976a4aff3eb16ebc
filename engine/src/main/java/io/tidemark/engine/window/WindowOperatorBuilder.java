package io.tidemark.engine.window;

import io.tidemark.engine.functions.AggregateFunction;
import io.tidemark.engine.functions.KeySelector;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.functions.ReduceFunction;
import io.tidemark.engine.operator.OneInputOperator;
import io.tidemark.engine.state.AggregatingStateDescriptor;
import io.tidemark.engine.state.AppendingState;
import io.tidemark.engine.state.ListStateDescriptor;
import io.tidemark.engine.state.ReducingStateDescriptor;
import io.tidemark.engine.state.StateDescriptor;
import java.time.Duration;
import java.util.Objects;

/**
 * Configures a {@link WindowOperator}: the assigner, then optionally trigger, allowed
 * lateness and late-data policy, then one of the ways to compute the result. Each terminal
 * method makes a new, unopened operator; a job makes one per subtask.
 *
 * <pre>{@code
 * new WindowOperatorBuilder<String, Click, TimeWindow>(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
 *     .allowedLateness(Duration.ofSeconds(10))
 *     .lateDataPolicy(LateDataPolicy.sideOutput(lateClicks))
 *     .aggregate(AggregateFunctions.count());
 * }</pre>
 *
 * @param <K>  the key type.
 * @param <IN> the input type.
 * @param <W>  the window type.
 */
public final class WindowOperatorBuilder<K, IN, W extends Window>
{
    private final WindowAssigner<? super IN, W> assigner;
    private Trigger<? super IN, ? super W> trigger;
    private long allowedLateness;
    private LateDataPolicy latePolicy = LateDataPolicy.drop();

    /**
     * @param assigner decides which windows a record belongs to.
     */
    public WindowOperatorBuilder(final WindowAssigner<? super IN, W> assigner)
    {
        this.assigner = Objects.requireNonNull(assigner, "assigner");
        this.trigger = assigner.defaultTrigger();
    }

    /**
     * @param trigger decides when windows emit, instead of the assigner's default.
     * @return this builder.
     */
    public WindowOperatorBuilder<K, IN, W> trigger(final Trigger<? super IN, ? super W> trigger)
    {
        this.trigger = Objects.requireNonNull(trigger, "trigger");
        return this;
    }

    /**
     * @param lateness how long after the watermark passes a window's end records may still
     *                 join it (each makes the window fire again); not negative.
     * @return this builder.
     */
    public WindowOperatorBuilder<K, IN, W> allowedLateness(final Duration lateness)
    {
        final long millis = lateness.toMillis();
        if (millis < 0)
        {
            throw new IllegalArgumentException("the allowed lateness must not be negative: " + lateness);
        }
        this.allowedLateness = millis;
        return this;
    }

    /**
     * @param policy what happens to records too late for their window.
     * @return this builder.
     */
    public WindowOperatorBuilder<K, IN, W> lateDataPolicy(final LateDataPolicy policy)
    {
        this.latePolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * Sends records too late for their window to a side output.
     *
     * @param tag the side output.
     * @return this builder.
     */
    public WindowOperatorBuilder<K, IN, W> sideOutputLateData(final OutputTag<IN> tag)
    {
        return lateDataPolicy(LateDataPolicy.sideOutput(tag));
    }

    /**
     * Aggregates incrementally: the state holds one accumulator per key and window.
     *
     * @param function the aggregation.
     * @param <ACC>    the accumulator type.
     * @param <R>      the aggregate's result type.
     * @return an operator that emits a {@link WindowResult} per firing.
     */
    public <ACC, R> WindowOperator<K, IN, R, WindowResult<K, R>, W> aggregate(final AggregateFunction<IN, ACC, R> function)
    {
        return build(new AggregatingStateDescriptor<>(WindowOperator.CONTENTS, function), WindowFunctions.asResult());
    }

    /**
     * Aggregates incrementally, then hands the result to a process window function.
     *
     * @param function       the aggregation.
     * @param windowFunction receives the aggregate's result with the window.
     * @param <ACC>          the accumulator type.
     * @param <R>            the aggregate's result type.
     * @param <OUT>          the output type.
     * @return the operator.
     */
    public <ACC, R, OUT> WindowOperator<K, IN, R, OUT, W> aggregate(final AggregateFunction<IN, ACC, R> function,
        final ProcessWindowFunction<R, OUT, K, W> windowFunction)
    {
        return build(new AggregatingStateDescriptor<>(WindowOperator.CONTENTS, function), WindowFunctions.singleValue(windowFunction));
    }

    /**
     * Reduces incrementally: the state holds one value per key and window.
     *
     * @param function combines two records into one.
     * @return an operator that emits a {@link WindowResult} per firing.
     */
    public WindowOperator<K, IN, IN, WindowResult<K, IN>, W> reduce(final ReduceFunction<IN> function)
    {
        return build(new ReducingStateDescriptor<>(WindowOperator.CONTENTS, function), WindowFunctions.asResult());
    }

    /**
     * Reduces incrementally, then hands the result to a process window function.
     *
     * @param function       combines two records into one.
     * @param windowFunction receives the reduced value with the window.
     * @param <OUT>          the output type.
     * @return the operator.
     */
    public <OUT> WindowOperator<K, IN, IN, OUT, W> reduce(final ReduceFunction<IN> function, final ProcessWindowFunction<IN, OUT, K, W> windowFunction)
    {
        return build(new ReducingStateDescriptor<>(WindowOperator.CONTENTS, function), WindowFunctions.singleValue(windowFunction));
    }

    /**
     * Keeps every record of the window and hands them all to a process window function when
     * it fires: flexible, but the state grows with the window.
     *
     * @param windowFunction receives the records with the window.
     * @param <OUT>          the output type.
     * @return the operator.
     */
    public <OUT> WindowOperator<K, IN, Iterable<IN>, OUT, W> process(final ProcessWindowFunction<IN, OUT, K, W> windowFunction)
    {
        return build(new ListStateDescriptor<>(WindowOperator.CONTENTS), WindowFunctions.allRecords(windowFunction));
    }

    /**
     * @return whether {@link #aggregateInSlices} applies: event-time tumbling or hopping
     * windows (size a multiple of the slide, no offset) and the default trigger, with any
     * allowed lateness and late-data policy; or processing-time tumbling windows without
     * offset and the default trigger (no record is late on processing time).
     */
    public boolean canAggregateInSlices()
    {
        final boolean windows = assigner instanceof TumblingEventTimeWindows tumbling && tumbling.offset() == 0
            || assigner instanceof SlidingEventTimeWindows sliding && sliding.slice();
        final boolean processingWindows = assigner instanceof TumblingProcessingTimeWindows tumbling && tumbling.offset() == 0;
        return windows && trigger == EventTimeTrigger.create() || processingWindows && trigger == ProcessingTimeTrigger.create();
    }

    /**
     * Like {@link #aggregate(AggregateFunction)}, but with one accumulator per slice instead
     * of per window; see {@link SlicingWindowOperator}.
     *
     * @param function the aggregation; its {@code merge} must not modify its second argument.
     * @param <ACC>    the accumulator type.
     * @param <R>      the aggregate's result type.
     * @return the operator.
     * @throws IllegalStateException unless {@link #canAggregateInSlices()}.
     */
    public <ACC, R> SlicingWindowOperator<K, IN, ACC, R, WindowResult<K, R>> aggregateInSlices(final AggregateFunction<IN, ACC, R> function)
    {
        return sliced(function, WindowFunctions.<R, K, TimeWindow>asResult());
    }

    /**
     * Like {@link #aggregate(AggregateFunction, ProcessWindowFunction)}, with one accumulator
     * per slice; see {@link SlicingWindowOperator}.
     *
     * @param function       the aggregation.
     * @param windowFunction receives the aggregate's result with the window.
     * @param <ACC>          the accumulator type.
     * @param <R>            the aggregate's result type.
     * @param <OUT>          the output type.
     * @return the operator.
     * @throws IllegalStateException unless {@link #canAggregateInSlices()}.
     */
    @SuppressWarnings("unchecked")
    public <ACC, R, OUT> SlicingWindowOperator<K, IN, ACC, R, OUT> aggregateInSlices(final AggregateFunction<IN, ACC, R> function,
        final ProcessWindowFunction<R, OUT, K, W> windowFunction)
    {
        return sliced(function, WindowFunctions.singleValue((ProcessWindowFunction<R, OUT, K, TimeWindow>)windowFunction));
    }

    /**
     * @return whether {@link #preAggregator} applies: {@link #canAggregateInSlices()} on event
     * time, and late records not sent to a side output (which needs the records, not their
     * partial aggregates). Any aggregate function: its accumulators cross the exchange.
     */
    public boolean canPreAggregate()
    {
        return canAggregateInSlices() && !(assigner instanceof TumblingProcessingTimeWindows) && latePolicy.kind() != LateDataPolicy.Kind.SIDE_OUTPUT;
    }

    /**
     * The local half of a slicing aggregation, for the producer's side of the key exchange; the
     * other half is {@link #aggregateInSlices} of {@link PartialAggregate#merging} on a builder
     * of the same windows, lateness and late-data policy for {@link PartialAggregate}s.
     *
     * @param function the aggregation.
     * @param keys     the key selector of the exchange.
     * @return the operator; see {@link SlicePreAggregator}.
     * @throws IllegalStateException unless {@link #canPreAggregate}.
     */
    public SlicePreAggregator<IN> preAggregator(final AggregateFunction<IN, ?, ?> function, final KeySelector<IN, ?> keys)
    {
        if (!canPreAggregate())
        {
            throw new IllegalStateException("pre-aggregation needs event-time tumbling or hopping windows without offset, the default trigger"
                + " and no side output for late records; have " + assigner + ", " + trigger + ", " + latePolicy);
        }
        return new SlicePreAggregator<>(eventTimeSize(), eventTimeSlide(), keys, function);
    }

    /**
     * @return whether {@link #aggregateInSessions} applies: event-time session windows and the
     * default trigger, with any allowed lateness and late-data policy.
     */
    public boolean canAggregateInSessions()
    {
        return assigner instanceof EventTimeSessionWindows && trigger == EventTimeTrigger.create();
    }

    /**
     * Like {@link #aggregate(AggregateFunction)} for session windows, with sessions kept in
     * arrays instead of keyed state and timers; see {@link SessionWindowOperator}.
     *
     * @param function the aggregation.
     * @param <ACC>    the accumulator type.
     * @param <R>      the aggregate's result type.
     * @return the operator.
     * @throws IllegalStateException unless {@link #canAggregateInSessions()}.
     */
    public <ACC, R> SessionWindowOperator<K, IN, ACC, R, WindowResult<K, R>> aggregateInSessions(final AggregateFunction<IN, ACC, R> function)
    {
        return sessions(function, WindowFunctions.<R, K, TimeWindow>asResult());
    }

    /**
     * Like {@link #aggregate(AggregateFunction, ProcessWindowFunction)} for session windows;
     * see {@link SessionWindowOperator}.
     *
     * @param function       the aggregation.
     * @param windowFunction receives the aggregate's result with the window.
     * @param <ACC>          the accumulator type.
     * @param <R>            the aggregate's result type.
     * @param <OUT>          the output type.
     * @return the operator.
     * @throws IllegalStateException unless {@link #canAggregateInSessions()}.
     */
    @SuppressWarnings("unchecked")
    public <ACC, R, OUT> SessionWindowOperator<K, IN, ACC, R, OUT> aggregateInSessions(final AggregateFunction<IN, ACC, R> function,
        final ProcessWindowFunction<R, OUT, K, W> windowFunction)
    {
        return sessions(function, WindowFunctions.singleValue((ProcessWindowFunction<R, OUT, K, TimeWindow>)windowFunction));
    }

    /**
     * The fastest operator that gives the results of {@link #aggregate(AggregateFunction)}:
     * per slice for tumbling and hopping windows, the session operator for sessions, else
     * the general window operator.
     *
     * @param function the aggregation.
     * @param <ACC>    the accumulator type.
     * @param <R>      the aggregate's result type.
     * @return the operator.
     */
    public <ACC, R> OneInputOperator<IN, WindowResult<K, R>> aggregateWithBestOperator(final AggregateFunction<IN, ACC, R> function)
    {
        if (canAggregateInSlices())
        {
            return aggregateInSlices(function);
        }
        return canAggregateInSessions() ? aggregateInSessions(function) : aggregate(function);
    }

    /**
     * Like {@link #aggregateWithBestOperator(AggregateFunction)}, with a process window
     * function.
     *
     * @param function       the aggregation.
     * @param windowFunction receives the aggregate's result with the window.
     * @param <ACC>          the accumulator type.
     * @param <R>            the aggregate's result type.
     * @param <OUT>          the output type.
     * @return the operator.
     */
    public <ACC, R, OUT> OneInputOperator<IN, OUT> aggregateWithBestOperator(final AggregateFunction<IN, ACC, R> function,
        final ProcessWindowFunction<R, OUT, K, W> windowFunction)
    {
        if (canAggregateInSlices())
        {
            return aggregateInSlices(function, windowFunction);
        }
        return canAggregateInSessions() ? aggregateInSessions(function, windowFunction) : aggregate(function, windowFunction);
    }

    private <ACC, R, OUT> SessionWindowOperator<K, IN, ACC, R, OUT> sessions(final AggregateFunction<IN, ACC, R> function,
        final WindowFunctions.InternalWindowFunction<R, OUT, K, TimeWindow> windowFunction)
    {
        if (!canAggregateInSessions())
        {
            throw new IllegalStateException("the session operator needs event-time session windows and the default trigger; have "
                + assigner + ", " + trigger);
        }
        return new SessionWindowOperator<>(((EventTimeSessionWindows)assigner).gap(), function, new LateRecords(allowedLateness, latePolicy, windowFunction.canRetract()),
            windowFunction);
    }

    private <ACC, R, OUT> SlicingWindowOperator<K, IN, ACC, R, OUT> sliced(final AggregateFunction<IN, ACC, R> function,
        final WindowFunctions.InternalWindowFunction<R, OUT, K, TimeWindow> windowFunction)
    {
        if (!canAggregateInSlices())
        {
            throw new IllegalStateException("slices need event-time tumbling or hopping windows or processing-time tumbling windows, without offset"
                + " and with the default trigger; have " + assigner + ", " + trigger);
        }
        if (assigner instanceof TumblingProcessingTimeWindows tumbling)
        {
            // Processing time has no late records: no lateness keeps a slice past its window.
            return new SlicingWindowOperator<>(tumbling.size(), tumbling.size(), true, function, new LateRecords(0, latePolicy, false), windowFunction);
        }
        return new SlicingWindowOperator<>(eventTimeSize(), eventTimeSlide(), false, function, new LateRecords(allowedLateness, latePolicy, false), windowFunction);
    }

    /**
     * @return the size of the event-time tumbling or hopping windows.
     */
    private long eventTimeSize()
    {
        return assigner instanceof SlidingEventTimeWindows sliding ? sliding.size() : ((TumblingEventTimeWindows)assigner).size();
    }

    /**
     * @return the slide of the event-time tumbling or hopping windows, the size for tumbling ones.
     */
    private long eventTimeSlide()
    {
        return assigner instanceof SlidingEventTimeWindows sliding ? sliding.slide() : ((TumblingEventTimeWindows)assigner).size();
    }

    private <V, OUT> WindowOperator<K, IN, V, OUT, W> build(final StateDescriptor<? extends AppendingState<IN, V>> contents,
        final WindowFunctions.InternalWindowFunction<V, OUT, K, W> function)
    {
        if (assigner instanceof MergingWindowAssigner<?, ?> && !trigger.canMerge())
        {
            throw new IllegalArgumentException("the trigger " + trigger + " cannot be used with merging windows " + assigner);
        }
        return new WindowOperator<>(assigner, trigger, allowedLateness, latePolicy, contents, function);
    }
}
