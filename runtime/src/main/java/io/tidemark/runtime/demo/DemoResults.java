package io.tidemark.runtime.demo;

import io.tidemark.connector.log.LogSerializer;
import io.tidemark.engine.window.WindowResult;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.consumer.Consumer;
import io.tidemark.log.consumer.ConsumerConfig;
import io.tidemark.log.consumer.ConsumerRecord;
import io.tidemark.log.consumer.OffsetReset;
import io.tidemark.log.topic.LogManager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The demo job's results as records of its result topics, and the reader that hands them to
 * the console. A record's key is the window's key (the user, or {@code all users} for a
 * total); its value is {@code windowStart,windowEnd,count,update,retraction} (the count empty
 * for a retraction), so {@code kcat -C -t page_views.per_minute -f '%k %s\n'} shows them too.
 */
final class DemoResults implements AutoCloseable
{
    /** Writes a result as the class comment says. */
    static final LogSerializer<WindowResult<String, Long>> SERIALIZER = LogSerializer.keyed(result -> result.key().getBytes(UTF_8),
        result -> (result.windowStart() + "," + result.windowEnd() + "," + (result.value() == null ? "" : result.value()) + ","
            + result.update() + "," + result.retraction()).getBytes(UTF_8));

    private final Consumer consumer;
    private final DemoConsole console;

    /**
     * @param logs    the log holding the result topics.
     * @param console takes the results.
     */
    DemoResults(final LogManager logs, final DemoConsole console)
    {
        this.console = console;
        this.consumer = new Consumer(logs, ConsumerConfig.defaults().withAutoOffsetReset(OffsetReset.EARLIEST));
        final List<TopicPartition> partitions = new ArrayList<>();
        for (final String topic : List.of(DemoJob.PER_USER_TOPIC, DemoJob.TOTALS_TOPIC))
        {
            logs.partitions(topic).forEach(partition -> partitions.add(partition.topicPartition()));
        }
        consumer.assign(partitions);
    }

    /**
     * Hands every result written since the last call to the console.
     */
    void poll()
    {
        List<ConsumerRecord> records = consumer.poll(Duration.ZERO);
        while (!records.isEmpty())
        {
            for (final ConsumerRecord record : records)
            {
                final WindowResult<String, Long> result = parse(record.key(), record.value());
                if (record.topicPartition().topic().equals(DemoJob.TOTALS_TOPIC))
                {
                    console.addTotal(result);
                }
                else
                {
                    console.addPerUser(result);
                }
            }
            records = consumer.poll(Duration.ZERO);
        }
    }

    /**
     * @param key   a result record's key.
     * @param value its value.
     * @return the result it holds.
     */
    static WindowResult<String, Long> parse(final byte[] key, final byte[] value)
    {
        final String[] fields = new String(value, UTF_8).split(",", -1);
        return new WindowResult<>(new String(key, UTF_8), Long.parseLong(fields[0]), Long.parseLong(fields[1]),
            fields[2].isEmpty() ? null : Long.valueOf(fields[2]), Boolean.parseBoolean(fields[3]), Boolean.parseBoolean(fields[4]));
    }

    @Override
    public void close()
    {
        consumer.close();
    }
}
