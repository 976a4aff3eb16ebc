package io.tidemark.engine.functions;

import java.io.Serializable;

/**
 * Makes the result of one joined pair: a record of each input with the same key, in the same
 * window.
 *
 * @param <IN1> the first input's type.
 * @param <IN2> the second input's type.
 * @param <OUT> the result type.
 */
public interface JoinFunction<IN1, IN2, OUT> extends Serializable
{
    /**
     * @param first  the first input's record.
     * @param second the second input's record.
     * @return the result, stamped with the window's last millisecond.
     * @throws Exception to fail the job.
     */
    OUT join(IN1 first, IN2 second) throws Exception;
}
