package io.tidemark.engine.functions;

import java.io.Serializable;

/**
 * Receives each pair an interval join finds: a record of each input with the same key whose
 * timestamps are within the join's bounds. Each parallel subtask gets its own copy.
 *
 * @param <IN1> the first (left) input's type.
 * @param <IN2> the second (right) input's type.
 * @param <OUT> the output type.
 */
public abstract class ProcessJoinFunction<IN1, IN2, OUT> implements Serializable
{
    private static final long serialVersionUID = 1L;

    /**
     * @param left  the left record.
     * @param right the right record.
     * @param ctx   both timestamps, side outputs.
     * @param out   the main output; records carry the larger of the two timestamps.
     * @throws Exception to fail the job.
     */
    public abstract void processElement(IN1 left, IN2 right, Context ctx, Collector<OUT> out) throws Exception;

    /** What a process join function can reach while it runs. */
    public interface Context
    {
        /**
         * @return the left record's timestamp.
         */
        long getLeftTimestamp();

        /**
         * @return the right record's timestamp.
         */
        long getRightTimestamp();

        /**
         * @return the pair's timestamp: the larger of the two.
         */
        long getTimestamp();

        /**
         * Emits a record to a side output, with the pair's timestamp.
         *
         * @param tag   the side output.
         * @param value the record.
         * @param <X>   the side output's type.
         */
        <X> void output(OutputTag<X> tag, X value);
    }
}
