package io.tidemark.engine.operator;

/**
 * An operator with two inputs, possibly of different types: records of the first arrive
 * through {@link #processElement1}, of the second through {@link #processElement2}, in the
 * order the task reads them. Its task combines the watermarks of both inputs (each over its
 * own channels) into the one {@link #processWatermark} sees: the least of the two, where an
 * input that is idle as a whole does not hold the other back. A keyed two-input operator
 * (a {@link KeyedOperator}) has its key set before either call, so both inputs share its
 * keyed state and timers.
 *
 * @param <IN1> the first input's type.
 * @param <IN2> the second input's type.
 * @param <OUT> the output type.
 */
public interface TwoInputOperator<IN1, IN2, OUT> extends StreamOperator<OUT>
{
    /**
     * @param value     a record of the first input.
     * @param timestamp its event timestamp, or {@link io.tidemark.engine.time.Watermark#NONE}.
     * @throws Exception to fail the job.
     */
    void processElement1(IN1 value, long timestamp) throws Exception;

    /**
     * @param value     a record of the second input.
     * @param timestamp its event timestamp, or {@link io.tidemark.engine.time.Watermark#NONE}.
     * @throws Exception to fail the job.
     */
    void processElement2(IN2 value, long timestamp) throws Exception;
}
