package io.tidemark.engine.functions;

import java.io.Serializable;

/**
 * Receives, when a window fires, every record of each input with the window's key: both
 * groups whole, one possibly empty (an outer join falls out of it).
 *
 * @param <IN1> the first input's type.
 * @param <IN2> the second input's type.
 * @param <OUT> the result type.
 */
public interface CoGroupFunction<IN1, IN2, OUT> extends Serializable
{
    /**
     * @param first  the first input's records of the key and window, in arrival order.
     * @param second the second input's records of the key and window, in arrival order.
     * @param out    receives results, stamped with the window's last millisecond.
     * @throws Exception to fail the job.
     */
    void coGroup(Iterable<IN1> first, Iterable<IN2> second, Collector<OUT> out) throws Exception;
}
