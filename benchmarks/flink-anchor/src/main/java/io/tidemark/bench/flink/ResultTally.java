package io.tidemark.bench.flink;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Passes every result on and adds a number of each into an accumulator that the job's result
 * carries back to the harness: a count of the results, or a checksum over them.
 *
 * @param <T> the result type.
 */
abstract class ResultTally<T> extends RichMapFunction<T, T>
{
    private static final long serialVersionUID = 1L;

    private final String accumulator;
    private transient LongCounter tally;

    /**
     * @param accumulator the accumulator's name in the job's result.
     */
    ResultTally(final String accumulator)
    {
        this.accumulator = accumulator;
    }

    /**
     * @param result a result.
     * @return what it adds to the tally.
     */
    abstract long of(T result);

    @Override
    public void open(final OpenContext context)
    {
        tally = new LongCounter();
        getRuntimeContext().addAccumulator(accumulator, tally);
    }

    @Override
    public T map(final T result)
    {
        tally.add(of(result));
        return result;
    }
}
