package io.tidemark.runtime.demo;

import io.tidemark.runtime.CommandOutput;
import io.tidemark.runtime.LatePolicyOption;
import io.tidemark.runtime.TypedDuration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * While {@code tidemark demo} runs, a Kafka consumer at the address it prints reads the page
 * views it generates and the totals its job writes, and {@code tidemark job list} at the HTTP
 * API it prints shows that job running in the server.
 */
class DemoKafkaTest
{
    private static final Pattern ADDRESS = Pattern.compile(Pattern.quote(Demo.KAFKA_LINE) + "(127\\.0\\.0\\.1:\\d+); HTTP API on (http://127\\.0\\.0\\.1:\\d+)/api");

    @TempDir
    Path dataDir;

    @Test
    void aKafkaConsumerReadsThePageViewsAndTheTotalsWhileTheDemoRuns() throws Exception
    {
        final StringWriter printed = new StringWriter();
        final DemoOptions options = new DemoOptions(dataDir, TypedDuration.of(Duration.ofSeconds(60)), true, DemoOptions.WindowKind.TUMBLING,
            DemoOptions.WatermarkKind.BOUNDED, TypedDuration.of(Duration.ofSeconds(5)), 0.99, LatePolicyOption.UPDATE, 60, 300, 4, 7, 0, 0);
        final Demo demo = new Demo(options, new PrintWriter(printed, true));
        final CompletableFuture<DemoSummary> run = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return demo.run();
            }
            catch (final Exception e)
            {
                throw new IllegalStateException(e);
            }
        });
        try
        {
            final Matcher addresses = awaitAddresses(printed, run);
            final String address = addresses.group(1);
            assertTrue(printed.toString().contains("kcat -b " + address + " -C -t page_views"), printed.toString());

            final List<ConsumerRecord<String, String>> views = read(address, DemoJob.TOPIC, 4, 100);
            for (final ConsumerRecord<String, String> view : views)
            {
                assertTrue(view.key().startsWith("user-") && view.value().startsWith("/"), view.toString());
            }
            // At 60x a minute of event time passes every second: totals come soon.
            final List<ConsumerRecord<String, String>> totals = read(address, DemoJob.TOTALS_TOPIC, 1, 1);
            assertEquals("all users", totals.get(0).key());
            assertTrue(totals.get(0).value().matches("\\d+,\\d+,\\d+,(true|false),false"), totals.get(0).value());

            final CommandOutput jobs = new CommandOutput();
            assertEquals(0, jobs.run("job", "list", "--server", addresses.group(2)), jobs.err());
            assertTrue(jobs.out().lines().anyMatch(line -> line.matches("[0-9a-f]{8}\\s+demo\\s+RUNNING\\b.*")), "the demo's job runs in the server: " + jobs.out());
        }
        finally
        {
            demo.stop();
        }
        final DemoSummary summary = run.get(120, TimeUnit.SECONDS);
        assertTrue(summary.everyViewAccountedFor(), printed.toString());
        assertTrue(printed.toString().contains("every view accounted for: yes"), printed.toString());
    }

    private static Matcher awaitAddresses(final StringWriter printed, final CompletableFuture<DemoSummary> run) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline)
        {
            final Matcher address = ADDRESS.matcher(printed.toString());
            if (address.find())
            {
                return address;
            }
            assertFalse(run.isDone(), "the demo ended before it printed its address: " + printed);
            Thread.sleep(20);
        }
        throw new AssertionError("no address printed within 60 s: " + printed);
    }

    /** Reads a topic from its start with kafka-clients until {@code atLeast} records came, within 60 s. */
    private static List<ConsumerRecord<String, String>> read(final String address, final String topic, final int partitions, final int atLeast)
    {
        final List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, address,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName())))
        {
            final List<TopicPartition> assigned = new ArrayList<>();
            for (int p = 0; p < partitions; p++)
            {
                assigned.add(new TopicPartition(topic, p));
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (records.size() < atLeast && System.nanoTime() < deadline)
            {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertTrue(records.size() >= atLeast, "read " + records.size() + " of " + topic + ", expected at least " + atLeast);
        return records;
    }
}
