package io.tidemark.log.producer;

import java.util.Map;

import io.tidemark.log.errors.InvalidConfigurationException;
import io.tidemark.log.record.CompressionCodec;

/**
 * The producer's settings, with Kafka's names and defaults.
 *
 * @param batchSize {@code batch.size}: the bytes a batch for one partition may fill before it
 *        is sent; a larger record gets a batch of its own.
 * @param lingerMs {@code linger.ms}: how long a batch that is not full waits for more records.
 * @param acks {@code acks}: when a send counts as done.
 * @param idempotence {@code enable.idempotence}: whether batches carry a producer id and
 *        sequence numbers, so that the log writes none twice and notices any lost.
 * @param partitioner the partitioner for records that name no partition.
 * @param bufferMemory {@code buffer.memory}: the bytes of batches not yet written that the
 *        producer holds at most; a send beyond it waits for the sender to catch up.
 * @param maxBlockMs {@code max.block.ms}: how long a send waits for buffer space before it fails.
 * @param transactionalId {@code transactional.id}: the name that makes the producer
 *        transactional and fences its older instances, or null for none.
 * @param transactionTimeoutMs {@code transaction.timeout.ms}: how long the transaction
 *        coordinator lets a transaction stay open before it aborts it.
 * @param compressionType {@code compression.type}: the codec each batch's records are
 *        compressed with ({@code none}, {@code gzip}, {@code snappy}, {@code lz4},
 *        {@code zstd}); {@code batch.size} bounds the records before compression.
 */
public record ProducerConfig(int batchSize, long lingerMs, Acks acks, boolean idempotence, Partitioner partitioner,
    long bufferMemory, long maxBlockMs, String transactionalId, int transactionTimeoutMs, CompressionCodec compressionType)
{
    private static final int DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000;

    /**
     * Checks the settings.
     */
    public ProducerConfig
    {
        if (transactionalId != null && (transactionalId.isEmpty() || !idempotence))
        {
            throw new IllegalArgumentException(transactionalId.isEmpty() ? "transactional.id must not be empty" :
                "transactional.id needs enable.idempotence=true: a transaction's batches carry the producer's id and sequence numbers");
        }
        if (transactionTimeoutMs < 1)
        {
            throw new IllegalArgumentException("transaction.timeout.ms must be at least 1");
        }
        if (compressionType == null)
        {
            throw new IllegalArgumentException("compression.type must be set; none for no compression");
        }
    }

    /**
     * A producer without transactions or compression, as before {@code transactional.id}
     * existed.
     *
     * @param batchSize {@code batch.size}.
     * @param lingerMs {@code linger.ms}.
     * @param acks {@code acks}.
     * @param idempotence {@code enable.idempotence}.
     * @param partitioner the partitioner.
     * @param bufferMemory {@code buffer.memory}.
     * @param maxBlockMs {@code max.block.ms}.
     */
    public ProducerConfig(final int batchSize, final long lingerMs, final Acks acks, final boolean idempotence, final Partitioner partitioner,
        final long bufferMemory, final long maxBlockMs)
    {
        this(batchSize, lingerMs, acks, idempotence, partitioner, bufferMemory, maxBlockMs, null, DEFAULT_TRANSACTION_TIMEOUT_MS,
            CompressionCodec.NONE);
    }

    /**
     * @return Kafka's defaults: 16 KiB batches, 5 ms linger, acks=all, idempotence on, 32 MiB
     *         of buffer, 60 s blocking, no transactional id, 60 s transaction timeout, no
     *         compression.
     */
    public static ProducerConfig defaults()
    {
        return new ProducerConfig(16384, 5, Acks.ALL, true, new DefaultPartitioner(), 32L << 20, 60_000);
    }

    /**
     * @param overrides Kafka's keys {@code batch.size}, {@code linger.ms}, {@code acks},
     *        {@code enable.idempotence}, {@code buffer.memory}, {@code max.block.ms},
     *        {@code transactional.id}, {@code transaction.timeout.ms},
     *        {@code compression.type}, as text.
     * @return the defaults with the overrides applied.
     * @throws InvalidConfigurationException for an unknown key or a bad value.
     */
    public static ProducerConfig fromMap(final Map<String, String> overrides)
    {
        ProducerConfig config = defaults();
        for (final Map.Entry<String, String> e : overrides.entrySet())
        {
            try
            {
                config = switch (e.getKey())
                {
                    case "batch.size" -> config.withBatchSize(Integer.parseInt(e.getValue().trim()));
                    case "linger.ms" -> config.withLingerMs(Long.parseLong(e.getValue().trim()));
                    case "acks" -> config.withAcks(Acks.parse(e.getValue()));
                    case "enable.idempotence" -> config.withIdempotence(parseBoolean(e.getValue()));
                    case "buffer.memory" -> config.withBufferMemory(Long.parseLong(e.getValue().trim()), config.maxBlockMs());
                    case "max.block.ms" -> config.withBufferMemory(config.bufferMemory(), Long.parseLong(e.getValue().trim()));
                    case "transactional.id" -> config.withTransactionalId(e.getValue().trim(), config.transactionTimeoutMs());
                    case "transaction.timeout.ms" -> config.withTransactionalId(config.transactionalId(), Integer.parseInt(e.getValue().trim()));
                    case "compression.type" -> config.withCompressionType(CompressionCodec.forName(e.getValue().trim()));
                    default -> throw new InvalidConfigurationException("unknown producer configuration key '" + e.getKey() +
                        "'; known keys: acks, batch.size, buffer.memory, compression.type, enable.idempotence, linger.ms, " +
                        "max.block.ms, transaction.timeout.ms, transactional.id");
                };
            }
            catch (final IllegalArgumentException ex)
            {
                throw new InvalidConfigurationException("invalid value '" + e.getValue() + "' for " + e.getKey() + ": " + ex.getMessage());
            }
        }
        return config;
    }

    /**
     * @param batchSize {@code batch.size}, at least 1.
     * @return a copy with it set.
     */
    public ProducerConfig withBatchSize(final int batchSize)
    {
        if (batchSize < 1)
        {
            throw new IllegalArgumentException("batch.size must be at least 1");
        }
        return new ProducerConfig(batchSize, lingerMs, acks, idempotence, partitioner, bufferMemory, maxBlockMs, transactionalId, transactionTimeoutMs,
            compressionType);
    }

    /**
     * @param lingerMs {@code linger.ms}, 0 or more.
     * @return a copy with it set.
     */
    public ProducerConfig withLingerMs(final long lingerMs)
    {
        if (lingerMs < 0)
        {
            throw new IllegalArgumentException("linger.ms must be 0 or more");
        }
        return new ProducerConfig(batchSize, lingerMs, acks, idempotence, partitioner, bufferMemory, maxBlockMs, transactionalId, transactionTimeoutMs,
            compressionType);
    }

    /**
     * @param acks when a send counts as done.
     * @return a copy with it set.
     */
    public ProducerConfig withAcks(final Acks acks)
    {
        return new ProducerConfig(batchSize, lingerMs, acks, idempotence, partitioner, bufferMemory, maxBlockMs, transactionalId, transactionTimeoutMs,
            compressionType);
    }

    /**
     * @param idempotence whether to send with a producer id and sequence numbers.
     * @return a copy with it set.
     */
    public ProducerConfig withIdempotence(final boolean idempotence)
    {
        return new ProducerConfig(batchSize, lingerMs, acks, idempotence, partitioner, bufferMemory, maxBlockMs, transactionalId, transactionTimeoutMs,
            compressionType);
    }

    /**
     * @param partitioner the partitioner.
     * @return a copy with it set.
     */
    public ProducerConfig withPartitioner(final Partitioner partitioner)
    {
        return new ProducerConfig(batchSize, lingerMs, acks, idempotence, partitioner, bufferMemory, maxBlockMs, transactionalId, transactionTimeoutMs,
            compressionType);
    }

    /**
     * @param bytes {@code buffer.memory}, at least 1.
     * @param blockMs {@code max.block.ms}, 0 or more.
     * @return a copy with them set.
     */
    public ProducerConfig withBufferMemory(final long bytes, final long blockMs)
    {
        if (bytes < 1 || blockMs < 0)
        {
            throw new IllegalArgumentException("buffer.memory must be at least 1 and max.block.ms 0 or more");
        }
        return new ProducerConfig(batchSize, lingerMs, acks, idempotence, partitioner, bytes, blockMs, transactionalId, transactionTimeoutMs,
            compressionType);
    }

    /**
     * @param id {@code transactional.id}, or null for a producer without transactions; it
     *        needs idempotence.
     * @param timeoutMs {@code transaction.timeout.ms}, at least 1.
     * @return a copy with them set.
     */
    public ProducerConfig withTransactionalId(final String id, final int timeoutMs)
    {
        return new ProducerConfig(batchSize, lingerMs, acks, idempotence, partitioner, bufferMemory, maxBlockMs, id, timeoutMs, compressionType);
    }

    /**
     * @param codec {@code compression.type}: the codec of every batch.
     * @return a copy with it set.
     */
    public ProducerConfig withCompressionType(final CompressionCodec codec)
    {
        return new ProducerConfig(batchSize, lingerMs, acks, idempotence, partitioner, bufferMemory, maxBlockMs, transactionalId, transactionTimeoutMs,
            codec);
    }

    private static boolean parseBoolean(final String value)
    {
        return switch (value.trim())
        {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("not true or false");
        };
    }
}
