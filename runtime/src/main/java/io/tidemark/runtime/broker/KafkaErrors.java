package io.tidemark.runtime.broker;

import io.tidemark.log.errors.DataDirectoryLockedException;
import io.tidemark.log.errors.InvalidConfigurationException;
import io.tidemark.log.errors.InvalidPartitionsException;
import io.tidemark.log.errors.InvalidTopicException;
import io.tidemark.log.errors.LogStorageException;
import io.tidemark.log.errors.OffsetOutOfRangeException;
import io.tidemark.log.errors.OutOfOrderSequenceException;
import io.tidemark.log.errors.ProducerFencedException;
import io.tidemark.log.errors.RecordTooLargeException;
import io.tidemark.log.errors.TopicExistsException;
import io.tidemark.log.errors.UnknownProducerIdException;
import io.tidemark.log.errors.UnknownTopicOrPartitionException;
import io.tidemark.log.record.CorruptRecordException;
import io.tidemark.log.record.UnsupportedCompressionException;
import org.apache.kafka.common.protocol.Errors;

/**
 * The one place where the log's exceptions become Kafka's error codes. The log names each
 * exception after the Kafka error it stands for but carries no code, so that it stays free of
 * the wire protocol; this table is the translation.
 */
public final class KafkaErrors
{
    private KafkaErrors()
    {
    }

    /**
     * @param failure what a log operation threw.
     * @return the Kafka error a client expects for it; {@link Errors#UNKNOWN_SERVER_ERROR} for
     *         anything that is not a known failure of the log (a bug, not the client's doing).
     */
    public static Errors forException(final Throwable failure)
    {
        if (failure instanceof UnknownTopicOrPartitionException)
        {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        if (failure instanceof OffsetOutOfRangeException)
        {
            return Errors.OFFSET_OUT_OF_RANGE;
        }
        if (failure instanceof InvalidTopicException)
        {
            return Errors.INVALID_TOPIC_EXCEPTION;
        }
        if (failure instanceof TopicExistsException)
        {
            return Errors.TOPIC_ALREADY_EXISTS;
        }
        if (failure instanceof InvalidPartitionsException)
        {
            return Errors.INVALID_PARTITIONS;
        }
        if (failure instanceof InvalidConfigurationException)
        {
            return Errors.INVALID_CONFIG;
        }
        if (failure instanceof RecordTooLargeException)
        {
            return Errors.MESSAGE_TOO_LARGE;
        }
        if (failure instanceof CorruptRecordException)
        {
            return Errors.CORRUPT_MESSAGE;
        }
        if (failure instanceof UnsupportedCompressionException)
        {
            return Errors.UNSUPPORTED_COMPRESSION_TYPE;
        }
        if (failure instanceof OutOfOrderSequenceException)
        {
            return Errors.OUT_OF_ORDER_SEQUENCE_NUMBER;
        }
        if (failure instanceof ProducerFencedException)
        {
            // An idempotent producer's stale epoch; PRODUCER_FENCED is the transactional case.
            return Errors.INVALID_PRODUCER_EPOCH;
        }
        if (failure instanceof UnknownProducerIdException)
        {
            return Errors.UNKNOWN_PRODUCER_ID;
        }
        if (failure instanceof LogStorageException || failure instanceof DataDirectoryLockedException)
        {
            return Errors.KAFKA_STORAGE_ERROR;
        }
        return Errors.UNKNOWN_SERVER_ERROR;
    }
}
