package io.tidemark.engine.operator;

/**
 * An operator with one input: its records arrive through {@link #processElement}. The
 * lifecycle, watermarks, timers and checkpoints are those of every {@link StreamOperator}.
 *
 * @param <IN>  the input type.
 * @param <OUT> the output type.
 */
public interface OneInputOperator<IN, OUT> extends StreamOperator<OUT>
{
    /**
     * @param value     a record.
     * @param timestamp its event timestamp, or {@link io.tidemark.engine.time.Watermark#NONE}.
     * @throws Exception to fail the job.
     */
    void processElement(IN value, long timestamp) throws Exception;

    /**
     * Whether the operator may keep a reference to a record past the {@link #processElement}
     * call that received it (in state, in a buffer, in what it emits). An operator that never
     * does takes the {@link io.tidemark.engine.functions.ReusableRecord}s of a reusing source
     * in copies that its input channels recycle, which then cross to it without an allocation.
     *
     * @return true unless the operator is known to keep nothing of its input.
     */
    default boolean retainsInput()
    {
        return true;
    }

    /**
     * Tells the operator, once, when its task is built and before {@link #retainsInput} is
     * asked, whether what it emits may be kept past the call that emits it: false only when
     * the job turns object reuse on ({@link io.tidemark.engine.task.ExecutionConfig#objectReuse()})
     * and every consumer of its output is an operator chained in the same task that keeps
     * nothing of its input. An operator that emits its input (a map, a filter) then keeps it
     * no longer than its consumers do; without object reuse its function may keep its input,
     * so it is told that its output is kept. By default ignored.
     *
     * @param retained whether the records this operator emits, or its function, may be kept.
     */
    default void outputRetained(final boolean retained)
    {
    }
}
