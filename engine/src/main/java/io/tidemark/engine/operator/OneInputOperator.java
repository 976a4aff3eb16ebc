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
}
