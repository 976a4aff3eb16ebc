package io.tidemark.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The kafka-clients producers, consumers and reads the transaction tests share, with timeouts
 * that let a client ride out a broker restart on a loaded machine.
 */
final class TransactionClients
{
    private TransactionClients()
    {
    }

    /**
     * @param bootstrap host:port.
     * @param topic the topic to create.
     * @param partitions how many partitions.
     * @throws Exception if the broker refuses or does not answer within a minute.
     */
    static void createTopic(final String bootstrap, final String topic, final int partitions) throws Exception
    {
        try (Admin admin = admin(bootstrap))
        {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short)1))).all().get(1, TimeUnit.MINUTES);
        }
    }

    /**
     * @param bootstrap host:port.
     * @return an Admin client; the caller closes it.
     */
    static Admin admin(final String bootstrap)
    {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /**
     * @param bootstrap host:port.
     * @param transactionalId the transactional id, or null for a plain idempotent producer.
     * @param overrides more producer settings, such as {@code transaction.timeout.ms}.
     * @return a producer of string keys and values; the caller closes it.
     */
    static KafkaProducer<String, String> producer(final String bootstrap, final String transactionalId, final Map<String, Object> overrides)
    {
        final Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        if (transactionalId != null)
        {
            settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        settings.putAll(overrides);
        return new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())
        {
            // close() waits for ever by default: a test that failed with its broker down must end, not hang the build.
            @Override
            public void close()
            {
                close(Duration.ofSeconds(30));
            }
        };
    }

    /**
     * @param bootstrap host:port.
     * @param isolation read_committed or read_uncommitted.
     * @return a consumer without a group, of string keys and values; the caller closes it.
     */
    static KafkaConsumer<String, String> consumer(final String bootstrap, final IsolationLevel isolation)
    {
        final Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString().toLowerCase(Locale.ROOT));
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        return new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer());
    }

    /**
     * Reads every partition of a topic from its start up to the log end offset as a
     * read_uncommitted reader sees it when the read starts: a read_committed reader gets there
     * only once every transaction below it is decided (the last stable offset passed it).
     *
     * @param bootstrap host:port.
     * @param topic the topic.
     * @param partitions its partition count.
     * @param isolation how to read.
     * @param timeout how long to try.
     * @return the records, partition by partition in offset order.
     * @throws AssertionError if the end is not reached in time, with what was read.
     * @throws Exception if the log end offsets cannot be listed.
     */
    static List<ConsumerRecord<String, String>> readToEnd(final String bootstrap, final String topic, final int partitions,
        final IsolationLevel isolation, final Duration timeout) throws Exception
    {
        final List<TopicPartition> assigned = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
        final Map<TopicPartition, Long> ends = logEndOffsets(bootstrap, assigned);
        final List<ConsumerRecord<String, String>> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer(bootstrap, isolation))
        {
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (!assigned.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp)))
            {
                if (System.nanoTime() - deadline > 0)
                {
                    final Map<TopicPartition, Long> positions = new HashMap<>();
                    assigned.forEach(tp -> positions.put(tp, consumer.position(tp)));
                    throw new AssertionError(isolation + " reader of " + topic + " at " + positions + " short of the log end " + ends +
                        " after " + timeout + "; " + openTransactions(bootstrap, assigned) + "; read " + values(read));
                }
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        read.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition()) : Long.compare(a.offset(), b.offset()));
        return read;
    }

    /**
     * What holds a read_committed reader back, for a failure message: the producers with a
     * transaction open on the partitions, and the coordinator's state of every transactional id.
     */
    private static String openTransactions(final String bootstrap, final List<TopicPartition> partitions)
    {
        try (Admin admin = admin(bootstrap))
        {
            final Map<TopicPartition, List<String>> open = new HashMap<>();
            admin.describeProducers(partitions).all().get(30, TimeUnit.SECONDS).forEach((tp, description) ->
                description.activeProducers().stream()
                    .filter(producer -> producer.currentTransactionStartOffset().isPresent())
                    .forEach(producer -> open.computeIfAbsent(tp, k -> new ArrayList<>()).add("producer " + producer.producerId() +
                        " epoch " + producer.producerEpoch() + " from offset " + producer.currentTransactionStartOffset().getAsLong() +
                        " coordinator epoch " + producer.coordinatorEpoch())));
            final List<String> states = new ArrayList<>();
            admin.listTransactions().all().get(30, TimeUnit.SECONDS).forEach(listing ->
                states.add(listing.transactionalId() + " producer " + listing.producerId() + " " + listing.state()));
            return "transactions open on the partitions " + open + ", coordinator states " + states;
        }
        catch (final Exception e)
        {
            return "open transactions not described (" + e + ")";
        }
    }

    /**
     * @param bootstrap host:port.
     * @param partitions partitions.
     * @return their log end offsets (ListOffsets, latest, read_uncommitted).
     * @throws Exception if the broker does not answer within a minute.
     */
    static Map<TopicPartition, Long> logEndOffsets(final String bootstrap, final List<TopicPartition> partitions) throws Exception
    {
        try (Admin admin = admin(bootstrap))
        {
            final Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                .all().get(1, TimeUnit.MINUTES).forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        }
    }

    /**
     * @param records records.
     * @return their values, in order.
     */
    static List<String> values(final List<ConsumerRecord<String, String>> records)
    {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
