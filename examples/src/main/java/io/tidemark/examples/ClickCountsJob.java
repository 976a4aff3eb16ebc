package io.tidemark.examples;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.tidemark.engine.api.JobContext;
import io.tidemark.engine.api.StreamJob;
import io.tidemark.engine.checkpoint.CheckpointConfig;
import io.tidemark.engine.checkpoint.DeliveryGuarantee;

/**
 * {@link ClickCounts} as a job of a Tidemark server ({@code click-counts}): it counts the
 * clicks Kafka clients produce to the server's topic {@value ClickCounts#INPUT_TOPIC} (key and
 * value the user, timestamp the click's event time) and writes the results to
 * {@value ClickCounts#OUTPUT_TOPIC}, making either topic if it is missing. Unlike the
 * example's own run it writes no input and no SQLite table: a server's job owns no file
 * outside its directory, and the topic is what its clients read.
 *
 * <p>Arguments: the guarantee ({@code exactly-once}, the default, {@code at-least-once} or
 * {@code at-most-once}; the job checkpoints every second with it), then the windows
 * ({@code tumbling}, the default, or {@code session}).
 */
public final class ClickCountsJob implements StreamJob
{
    private static final int INPUT_PARTITIONS = 4;
    private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    @Override
    public void define(final JobContext context)
    {
        final List<String> args = context.args();
        if (args.size() > 2)
        {
            throw new IllegalArgumentException("expected at most 2 arguments (guarantee, windows), got " + args.size() + ": " + args);
        }
        final DeliveryGuarantee guarantee = args.isEmpty() ? DeliveryGuarantee.EXACTLY_ONCE : ClickCounts.choice(DeliveryGuarantee.class, args.get(0));
        final ClickCounts.Windows windows = args.size() < 2 ? ClickCounts.Windows.TUMBLING : ClickCounts.choice(ClickCounts.Windows.class, args.get(1));
        context.logs().createTopicIfMissing(ClickCounts.INPUT_TOPIC, INPUT_PARTITIONS, Map.of());
        // The server puts the checkpoints in the job's directory.
        context.env().enableCheckpointing(CheckpointConfig.every(CHECKPOINT_INTERVAL).withGuarantee(guarantee));
        ClickCounts.toTopic(ClickCounts.counts(context.env(), context.logs(), guarantee, windows), context.logs(), context.transactions(), guarantee,
            context.jobId());
    }

    @Override
    public String description()
    {
        return "clicks per user in event-time windows, from topic '" + ClickCounts.INPUT_TOPIC + "' to topic '" + ClickCounts.OUTPUT_TOPIC
            + "' (no SQLite table); args: [exactly-once|at-least-once|at-most-once] [tumbling|session]";
    }
}
