package io.tidemark.engine.functions;

import java.io.Serializable;

/**
 * Maps the records of two connected streams, each input by its own method, to one output
 * type. Each parallel subtask gets its own copy, so a field is shared by both inputs of that
 * subtask.
 *
 * @param <IN1> the first input's type.
 * @param <IN2> the second input's type.
 * @param <OUT> the output type.
 */
public interface CoMapFunction<IN1, IN2, OUT> extends Serializable
{
    /**
     * @param value a record of the first input.
     * @return its result, with the record's timestamp.
     * @throws Exception to fail the job.
     */
    OUT map1(IN1 value) throws Exception;

    /**
     * @param value a record of the second input.
     * @return its result, with the record's timestamp.
     * @throws Exception to fail the job.
     */
    OUT map2(IN2 value) throws Exception;
}
