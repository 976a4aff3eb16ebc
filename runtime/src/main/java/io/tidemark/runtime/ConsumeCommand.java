package io.tidemark.runtime;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark consume}: prints a topic's records as {@code kafka-console-consumer.sh} does
 * (its {@code print.*} properties, as flags or as {@code --property}), until a number of
 * records, an idle timeout or Ctrl-C, then {@code Processed a total of N messages} on stderr.
 * Without {@code --group} it reads every partition on its own, leaving no group behind; with
 * one it joins the group and commits the offsets of the records it printed, never of records
 * it fetched but did not print.
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
    description = "Print a topic's records on stdout, one a line, as kafka-console-consumer prints them.",
    footerHeading = "%nExample:%n", footer = {"  tidemark consume --topic events --from-beginning --print-key \\", "      --max-messages 10 --timeout 10s"})
final class ConsumeCommand implements Callable<Integer>
{
    private static final Duration POLL = Duration.ofMillis(200);

    @Spec
    private CommandSpec spec;

    @Mixin
    private ClientOptions client;

    @Option(names = "--topic", paramLabel = "TOPIC", required = true, description = "The topic.")
    private String topic;

    @Option(names = "--group", paramLabel = "GROUP", description = "Consume as a member of this group, committing what was printed.")
    private String group;

    @Option(names = "--from-beginning", description = "Start at the earliest record (with --group: when the group has no committed offset).")
    private boolean fromBeginning;

    @Option(names = "--partition", paramLabel = "P", description = "Read only this partition.")
    private Integer partition;

    @Option(names = "--offset", paramLabel = "OFFSET", description = "With --partition: start at this offset, or earliest, or latest.")
    private String offset;

    @Option(names = "--from-time", paramLabel = "TIME", converter = TimestampConverter.class,
        description = "Start at the first record at or after this time: ISO-8601 (2024-05-01T12:00:00Z) or milliseconds since the epoch.")
    private Long fromTime;

    @Option(names = "--max-messages", paramLabel = "N", description = "Exit after this many records.")
    private Long maxMessages;

    @Option(names = "--timeout", paramLabel = "TIME", converter = DurationConverter.class,
        description = "Exit when no record came for this long (default: wait until Ctrl-C).")
    private Duration idleTimeout;

    @Option(names = "--isolation", paramLabel = "LEVEL", defaultValue = "read_uncommitted",
        description = "read_committed: only committed transactions' records; read_uncommitted: every record (default: ${DEFAULT-VALUE}).")
    private String isolation;

    @Option(names = "--print-key", description = "Print each record's key before its value.")
    private boolean printKey;

    @Option(names = "--print-partition", description = "Print each record's partition (Partition:N).")
    private boolean printPartition;

    @Option(names = "--print-offset", description = "Print each record's offset (Offset:N).")
    private boolean printOffset;

    @Option(names = "--print-timestamp", description = "Print each record's timestamp (CreateTime:MS or LogAppendTime:MS).")
    private boolean printTimestamp;

    @Option(names = "--print-headers", description = "Print each record's headers (h1:v1,h2:v2, or NO_HEADERS).")
    private boolean printHeaders;

    @Option(names = "--separator", paramLabel = "SEP", defaultValue = "\\t", description = "Between the printed fields (default: ${DEFAULT-VALUE}, a tab).")
    private String separator;

    @Option(names = "--property", paramLabel = "KEY=VALUE",
        description = "kafka-console-consumer's formatter properties: print.key, print.partition, print.offset, print.timestamp, print.headers,"
            + " print.value, key.separator, line.separator, headers.separator; repeatable.")
    private Map<String, String> properties = new LinkedHashMap<>();

    private volatile boolean stopping;

    @Override
    public Integer call() throws InterruptedException
    {
        final RecordFormat format = format();
        checkStart();
        final Properties config = client.properties(spec);
        config.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toLowerCase(Locale.ROOT));
        config.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.setProperty(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        config.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "tidemark-consume");
        if (group != null)
        {
            config.setProperty(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        final PrintWriter out = spec.commandLine().getOut();
        final Map<TopicPartition, OffsetAndMetadata> printed = new HashMap<>();
        long count = 0;
        final CountDownLatch finished = new CountDownLatch(1);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            final Thread onInterrupt = new Thread(() ->
            {
                stopping = true;
                consumer.wakeup();
                try
                {
                    finished.await();   // print the total before the JVM exits
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
            }, "tidemark-consume-stop");
            Runtime.getRuntime().addShutdownHook(onInterrupt);
            try
            {
                start(consumer, printed);
                long lastRecord = System.nanoTime();
                while (!stopping && (maxMessages == null || count < maxMessages))
                {
                    final ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                    if (records.isEmpty())
                    {
                        if (idleTimeout != null && System.nanoTime() - lastRecord >= idleTimeout.toNanos())
                        {
                            break;
                        }
                        continue;
                    }
                    lastRecord = System.nanoTime();
                    for (final ConsumerRecord<byte[], byte[]> record : records)
                    {
                        if (maxMessages != null && count >= maxMessages)
                        {
                            break;
                        }
                        format.print(out, record);
                        count++;
                        printed.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
                    }
                    out.flush();
                    if (group != null)
                    {
                        consumer.commitAsync(Map.copyOf(printed), null);
                    }
                }
            }
            catch (final WakeupException e)
            {
                // Ctrl-C: commit what was printed and report below.
            }
            finally
            {
                out.flush();
                if (group != null && !printed.isEmpty())
                {
                    consumer.commitSync(printed);
                }
                try
                {
                    Runtime.getRuntime().removeShutdownHook(onInterrupt);
                }
                catch (final IllegalStateException e)
                {
                    // Already shutting down: the hook is running and waits for the latch.
                }
            }
        }
        catch (final RuntimeException e)
        {
            finished.countDown();
            throw e instanceof KafkaException ? client.failure(e) : e;
        }
        CommandErrors.print(spec.commandLine().getErr(), "Processed a total of " + count + " messages");
        finished.countDown();
        return ExitCode.OK;
    }

    private void checkStart()
    {
        CommandErrors.check(spec, List.of("read_committed", "read_uncommitted").contains(isolation.toLowerCase(Locale.ROOT)), "--isolation", isolation,
            "use read_committed or read_uncommitted");
        CommandErrors.check(spec, maxMessages == null || maxMessages >= 1, "--max-messages", maxMessages, "at least 1");
        CommandErrors.check(spec, idleTimeout == null || !idleTimeout.isNegative() && !idleTimeout.isZero(), "--timeout", idleTimeout, "more than 0");
        CommandErrors.check(spec, partition == null || partition >= 0, "--partition", partition, "0 or more");
        CommandErrors.check(spec, offset == null || partition != null, "--offset", offset, "give --partition too");
        CommandErrors.check(spec, offset == null || offset.matches("\\d+|earliest|latest"), "--offset", offset, "an offset (0 or more), earliest or latest");
        CommandErrors.check(spec, offset == null || fromTime == null && !fromBeginning, "--offset", offset,
            "give one of --offset, --from-time and --from-beginning");
        CommandErrors.check(spec, fromTime == null || !fromBeginning, "--from-time", fromTime, "give one of --from-time and --from-beginning");
        CommandErrors.check(spec, fromTime == null || group == null || partition != null, "--from-time", fromTime,
            "a group starts at its committed offsets: reset them with 'tidemark groups reset-offsets --to-datetime'");
    }

    /**
     * Assigns the partitions (or subscribes the group) and seeks where the options say.
     */
    private void start(final KafkaConsumer<byte[], byte[]> consumer, final Map<TopicPartition, OffsetAndMetadata> printed)
    {
        final List<PartitionInfo> infos = consumer.partitionsFor(topic, client.requestTimeout());
        if (infos == null || infos.isEmpty())
        {
            throw new IllegalStateException("no such topic: " + topic);
        }
        if (partition != null && partition >= infos.size())
        {
            throw new IllegalStateException("topic " + topic + " has " + infos.size() + " partitions: there is no partition " + partition);
        }
        if (group != null && partition == null)
        {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener()
            {
                @Override
                public void onPartitionsRevoked(final Collection<TopicPartition> partitions)
                {
                    final Map<TopicPartition, OffsetAndMetadata> revoked = new HashMap<>(printed);
                    revoked.keySet().retainAll(partitions);
                    if (!revoked.isEmpty())
                    {
                        consumer.commitSync(revoked);
                    }
                }

                @Override
                public void onPartitionsAssigned(final Collection<TopicPartition> partitions)
                {
                    // The committed offsets, or auto.offset.reset.
                }
            });
            return;
        }
        final List<TopicPartition> partitions = partition != null ? List.of(new TopicPartition(topic, partition))
            : infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        if (fromTime != null)
        {
            final Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(
                partitions.stream().collect(Collectors.toMap(p -> p, p -> fromTime)), client.requestTimeout());
            consumer.seekToEnd(partitions);
            found.forEach((p, at) ->
            {
                if (at != null)
                {
                    consumer.seek(p, at.offset());
                }
            });
        }
        else if ("earliest".equals(offset) || offset == null && fromBeginning && group == null)
        {
            consumer.seekToBeginning(partitions);
        }
        else if ("latest".equals(offset) || offset == null && group == null)
        {
            consumer.seekToEnd(partitions);
        }
        else if (offset != null)
        {
            consumer.seek(partitions.get(0), Long.parseLong(offset));
        }
    }

    private RecordFormat format()
    {
        final RecordFormat format = new RecordFormat(printTimestamp, printPartition, printOffset, printHeaders, printKey, separator);
        properties.forEach((key, value) ->
        {
            if (!format.set(key, value))
            {
                throw CommandErrors.invalid(spec, "--property", key + "=" + value,
                    "use print.key, print.partition, print.offset, print.timestamp, print.headers, print.value, key.separator, line.separator"
                        + " or headers.separator");
            }
        });
        return format;
    }

    /** How a record is printed: kafka-console-consumer's {@code DefaultMessageFormatter}. */
    private static final class RecordFormat
    {
        private boolean timestamp;
        private boolean partition;
        private boolean offset;
        private boolean headers;
        private boolean key;
        private boolean value = true;
        private String keySeparator;
        private String lineSeparator = "\n";
        private String headersSeparator = ",";

        RecordFormat(final boolean timestamp, final boolean partition, final boolean offset, final boolean headers, final boolean key,
            final String separator)
        {
            this.timestamp = timestamp;
            this.partition = partition;
            this.offset = offset;
            this.headers = headers;
            this.key = key;
            this.keySeparator = ClientOptions.unescape(separator);
        }

        /**
         * Sets one of kafka-console-consumer's formatter properties.
         *
         * @param property its name, such as {@code print.key}.
         * @param text its value as typed; {@code true} turns a {@code print.*} field on.
         * @return whether the property is one of the formatter's.
         */
        boolean set(final String property, final String text)
        {
            final boolean on = Boolean.parseBoolean(text);
            switch (property)
            {
                case "print.timestamp" -> timestamp = on;
                case "print.partition" -> partition = on;
                case "print.offset" -> offset = on;
                case "print.headers" -> headers = on;
                case "print.key" -> key = on;
                case "print.value" -> value = on;
                case "key.separator" -> keySeparator = ClientOptions.unescape(text);
                case "line.separator" -> lineSeparator = ClientOptions.unescape(text);
                case "headers.separator" -> headersSeparator = ClientOptions.unescape(text);
                default ->
                {
                    return false;
                }
            }
            return true;
        }

        void print(final PrintWriter out, final ConsumerRecord<byte[], byte[]> record)
        {
            final StringJoiner line = new StringJoiner(keySeparator, "", lineSeparator);
            if (timestamp)
            {
                line.add(record.timestampType() == TimestampType.NO_TIMESTAMP_TYPE ? "NO_TIMESTAMP"
                    : record.timestampType() + ":" + record.timestamp());
            }
            if (partition)
            {
                line.add("Partition:" + record.partition());
            }
            if (offset)
            {
                line.add("Offset:" + record.offset());
            }
            if (headers)
            {
                final StringBuilder text = new StringBuilder();
                for (final Header header : record.headers())
                {
                    text.append(text.isEmpty() ? "" : headersSeparator).append(header.key()).append(':').append(text(header.value()));
                }
                line.add(text.isEmpty() ? "NO_HEADERS" : text.toString());
            }
            if (key)
            {
                line.add(text(record.key()));
            }
            if (value)
            {
                line.add(text(record.value()));
            }
            out.print(line);
        }

        private static String text(final byte[] bytes)
        {
            return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
