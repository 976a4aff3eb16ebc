package io.tidemark.runtime.http;

import java.util.Locale;

import io.tidemark.engine.api.JobContext;
import io.tidemark.engine.api.StreamJob;
import io.tidemark.connector.log.LogDeserializer;
import io.tidemark.connector.log.LogSerializer;
import io.tidemark.connector.log.LogSink;
import io.tidemark.connector.log.LogSource;
import io.tidemark.engine.time.WatermarkStrategy;

/**
 * A job submitted as a jar in the tests: the lines of the topic named by its first argument,
 * upper-cased, into the topic named by its second, exactly once.
 */
public final class UpperCaseJob implements StreamJob
{
    @Override
    public void define(final JobContext context)
    {
        context.env()
            .fromSource(LogSource.unbounded(context.logs(), context.args().get(0), LogDeserializer.utf8Values()), WatermarkStrategy.noWatermarks(), "lines")
            .map(line -> line.toUpperCase(Locale.ROOT))
            .sinkTo(LogSink.exactlyOnce(context.logs(), context.transactions(), context.args().get(1), LogSerializer.utf8ToString(), context.jobId()));
    }

    @Override
    public String description()
    {
        return "upper-cases lines; args: INPUT-TOPIC OUTPUT-TOPIC";
    }
}
