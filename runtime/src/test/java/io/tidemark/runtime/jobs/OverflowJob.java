package io.tidemark.runtime.jobs;

import io.tidemark.engine.api.JobContext;
import io.tidemark.engine.api.StreamJob;
import io.tidemark.connector.log.LogDeserializer;
import io.tidemark.connector.log.LogSource;
import io.tidemark.engine.time.WatermarkStrategy;

/**
 * A test job that fails on every record of the topic {@code args[0]} with a
 * {@link StackOverflowError}: an {@link Error} in a task must fail the job, not the server.
 */
public final class OverflowJob implements StreamJob
{
    @Override
    public void define(final JobContext context)
    {
        context.env().fromSource(LogSource.unbounded(context.logs(), context.args().get(0), LogDeserializer.utf8Values()), WatermarkStrategy.noWatermarks(), "values")
            .map(OverflowJob::depth)
            .print();
    }

    private static int depth(final String value)
    {
        return depth(value) + 1;
    }
}
