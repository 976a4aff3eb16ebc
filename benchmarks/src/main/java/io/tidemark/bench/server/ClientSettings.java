package io.tidemark.bench.server;

import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The kafka-clients settings of workloads L1-L4 ({@code docs/WORKLOADS.md}), the same
 * against either broker. Anything not set here is the client's default.
 */
final class ClientSettings
{
    /** Records of 100 bytes: the value; no key, no headers. */
    static final int RECORD_BYTES = 100;
    /** Every log workload's topic has 6 partitions. */
    static final int PARTITIONS = 6;
    /** Batches up to 64 KiB. */
    static final int BATCH_BYTES = 64 * 1024;
    /** Linger 5 ms. */
    static final int LINGER_MS = 5;

    private ClientSettings()
    {
    }

    /**
     * L1: acks=leader, without idempotence (which needs acks=all).
     *
     * @param bootstrap host:port.
     * @return the producer's settings.
     */
    static Properties leaderAcksProducer(final String bootstrap)
    {
        final Properties properties = producer(bootstrap, BATCH_BYTES, LINGER_MS);
        properties.put(ProducerConfig.ACKS_CONFIG, "1");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        return properties;
    }

    /**
     * L2: L1 with idempotence and acks=all.
     *
     * @param bootstrap host:port.
     * @return the producer's settings.
     */
    static Properties idempotentProducer(final String bootstrap)
    {
        final Properties properties = producer(bootstrap, BATCH_BYTES, LINGER_MS);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return properties;
    }

    /**
     * L2T: L2 with a transactional id (transactions commit every
     * {@link TransactionalProduceWorkload#COMMIT_INTERVAL_MS} ms).
     *
     * @param bootstrap host:port.
     * @param transactionalId the producer's transactional id, new for every run.
     * @return the producer's settings.
     */
    static Properties transactionalProducer(final String bootstrap, final String transactionalId)
    {
        final Properties properties = idempotentProducer(bootstrap);
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return properties;
    }

    /**
     * L4's producer: acks=leader, and no linger, since each record is sent alone and waited for
     * (a linger would only add itself to every round trip).
     *
     * @param bootstrap host:port.
     * @return the producer's settings.
     */
    static Properties roundTripProducer(final String bootstrap)
    {
        final Properties properties = producer(bootstrap, BATCH_BYTES, 0);
        properties.put(ProducerConfig.ACKS_CONFIG, "1");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        return properties;
    }

    /**
     * L3's and L4's consumer: no group (partitions are assigned), no commits, from the start.
     *
     * @param bootstrap host:port.
     * @return the consumer's settings.
     */
    static Properties consumer(final String bootstrap)
    {
        final Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return properties;
    }

    /**
     * L3C's consumer: L3's, reading committed records only.
     *
     * @param bootstrap host:port.
     * @return the consumer's settings.
     */
    static Properties readCommittedConsumer(final String bootstrap)
    {
        final Properties properties = consumer(bootstrap);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return properties;
    }

    private static Properties producer(final String bootstrap, final int batchBytes, final int lingerMs)
    {
        final Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(batchBytes));
        properties.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(lingerMs));
        return properties;
    }

    /**
     * The value every record carries: 100 printable bytes, so that the same records can go
     * through kcat as lines of a file.
     *
     * @return a new array of {@link #RECORD_BYTES} bytes.
     */
    static byte[] recordValue()
    {
        final byte[] value = new byte[RECORD_BYTES];
        for (int i = 0; i < value.length; i++)
        {
            value[i] = (byte)('a' + i % 26);
        }
        return value;
    }
}
