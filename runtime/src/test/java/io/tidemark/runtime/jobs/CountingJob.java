package io.tidemark.runtime.jobs;

import io.tidemark.engine.api.JobContext;
import io.tidemark.engine.api.StreamJob;
import io.tidemark.connector.log.LogDeserializer;
import io.tidemark.connector.log.LogSerializer;
import io.tidemark.connector.log.LogSink;
import io.tidemark.connector.log.LogSource;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.KeyedProcessFunction;
import io.tidemark.engine.state.Serializers;
import io.tidemark.engine.state.ValueState;
import io.tidemark.engine.state.ValueStateDescriptor;
import io.tidemark.engine.time.WatermarkStrategy;

/**
 * A test job with state: counts each value of the topic {@code args[0]} and writes
 * {@code value,count} to {@code args[1]} exactly once, so that a resumed run shows whether it
 * kept its counts.
 */
public final class CountingJob implements StreamJob
{
    @Override
    public void define(final JobContext context)
    {
        context.env().fromSource(LogSource.unbounded(context.logs(), context.args().get(0), LogDeserializer.utf8Values()), WatermarkStrategy.noWatermarks(), "values")
            .keyBy(value -> value)
            .process(new Count())
            .sinkTo(LogSink.exactlyOnce(context.logs(), context.transactions(), context.args().get(1), LogSerializer.utf8ToString(), context.jobId()));
    }

    /** The count of each value so far, in keyed state. */
    static final class Count extends KeyedProcessFunction<String, String, String>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(final String value, final Context<String, String> ctx, final Collector<String> out)
        {
            final ValueState<Long> count = ctx.getState(new ValueStateDescriptor<>("count", Serializers.LONG));
            final long next = (count.value() == null ? 0 : count.value()) + 1;
            count.update(next);
            out.collect(value + "," + next);
        }
    }
}
