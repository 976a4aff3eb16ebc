package io.tidemark.engine.functions;

import java.io.Serializable;

/**
 * Processes the records of two connected streams that are not keyed: each input by its own
 * method, with the record's timestamp, the current watermark and side outputs. Keyed state
 * and timers need keyed inputs: see {@link KeyedCoProcessFunction}. Each parallel subtask
 * gets its own copy.
 *
 * @param <IN1> the first input's type.
 * @param <IN2> the second input's type.
 * @param <OUT> the output type.
 */
public abstract class CoProcessFunction<IN1, IN2, OUT> implements Serializable
{
    private static final long serialVersionUID = 1L;

    /**
     * @param value a record of the first input.
     * @param ctx   its timestamp, time, side outputs.
     * @param out   the main output; records carry the input's timestamp.
     * @throws Exception to fail the job.
     */
    public abstract void processElement1(IN1 value, Context ctx, Collector<OUT> out) throws Exception;

    /**
     * @param value a record of the second input.
     * @param ctx   its timestamp, time, side outputs.
     * @param out   the main output; records carry the input's timestamp.
     * @throws Exception to fail the job.
     */
    public abstract void processElement2(IN2 value, Context ctx, Collector<OUT> out) throws Exception;

    /** What a co-process function can reach while it runs. */
    public interface Context
    {
        /**
         * @return the timestamp of the record being processed.
         */
        long timestamp();

        /**
         * @return the operator's current watermark, over both inputs.
         */
        long currentWatermark();

        /**
         * @return the current processing time.
         */
        long currentProcessingTime();

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
