package io.tidemark.engine.functions;

import java.io.Serializable;

/**
 * Turns each record of two connected streams into any number of records of one output type,
 * each input by its own method. Each parallel subtask gets its own copy, so a field is shared
 * by both inputs of that subtask.
 *
 * @param <IN1> the first input's type.
 * @param <IN2> the second input's type.
 * @param <OUT> the output type.
 */
public interface CoFlatMapFunction<IN1, IN2, OUT> extends Serializable
{
    /**
     * @param value a record of the first input.
     * @param out   receives the results, stamped with the record's timestamp.
     * @throws Exception to fail the job.
     */
    void flatMap1(IN1 value, Collector<OUT> out) throws Exception;

    /**
     * @param value a record of the second input.
     * @param out   receives the results, stamped with the record's timestamp.
     * @throws Exception to fail the job.
     */
    void flatMap2(IN2 value, Collector<OUT> out) throws Exception;
}
