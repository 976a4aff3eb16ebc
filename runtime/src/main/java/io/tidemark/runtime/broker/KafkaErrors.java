package io.tidemark.runtime.broker;

import java.util.concurrent.CompletionException;

import io.tidemark.log.errors.ConcurrentTransactionsException;
import io.tidemark.log.errors.DataDirectoryLockedException;
import io.tidemark.log.errors.FencedInstanceIdException;
import io.tidemark.log.errors.FencedMemberEpochException;
import io.tidemark.log.errors.GroupIdNotFoundException;
import io.tidemark.log.errors.IllegalGenerationException;
import io.tidemark.log.errors.InconsistentGroupProtocolException;
import io.tidemark.log.errors.InvalidConfigurationException;
import io.tidemark.log.errors.InvalidGroupIdException;
import io.tidemark.log.errors.InvalidPartitionsException;
import io.tidemark.log.errors.InvalidProducerEpochException;
import io.tidemark.log.errors.InvalidProducerIdMappingException;
import io.tidemark.log.errors.InvalidRecordException;
import io.tidemark.log.errors.InvalidRegularExpressionException;
import io.tidemark.log.errors.InvalidSessionTimeoutException;
import io.tidemark.log.errors.InvalidTopicException;
import io.tidemark.log.errors.InvalidTransactionTimeoutException;
import io.tidemark.log.errors.InvalidTxnStateException;
import io.tidemark.log.errors.LogStorageException;
import io.tidemark.log.errors.NonEmptyGroupException;
import io.tidemark.log.errors.OffsetMetadataTooLargeException;
import io.tidemark.log.errors.OffsetOutOfRangeException;
import io.tidemark.log.errors.OutOfOrderSequenceException;
import io.tidemark.log.errors.ProducerFencedException;
import io.tidemark.log.errors.RebalanceInProgressException;
import io.tidemark.log.errors.RecordTooLargeException;
import io.tidemark.log.errors.StaleMemberEpochException;
import io.tidemark.log.errors.TopicExistsException;
import io.tidemark.log.errors.TransactionalIdNotFoundException;
import io.tidemark.log.errors.UnknownMemberIdException;
import io.tidemark.log.errors.UnknownProducerIdException;
import io.tidemark.log.errors.UnknownTopicOrPartitionException;
import io.tidemark.log.errors.UnreleasedInstanceIdException;
import io.tidemark.log.errors.UnstableOffsetCommitException;
import io.tidemark.log.errors.UnsupportedAssignorException;
import io.tidemark.log.record.CorruptRecordException;
import io.tidemark.log.record.UnsupportedCompressionException;
import org.apache.kafka.common.errors.ApiException;
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
        if (failure instanceof InvalidRecordException)
        {
            return Errors.INVALID_RECORD;
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
            // What Produce and TxnOffsetCommit answer; the coordinator's APIs answer PRODUCER_FENCED
            // from the versions that know it (forCoordinatorException).
            return Errors.INVALID_PRODUCER_EPOCH;
        }
        if (failure instanceof UnknownProducerIdException)
        {
            return Errors.UNKNOWN_PRODUCER_ID;
        }
        final Errors group = forGroupException(failure);
        if (group != null)
        {
            return group;
        }
        final Errors consumerProtocol = forConsumerProtocolException(failure);
        if (consumerProtocol != null)
        {
            return consumerProtocol;
        }
        final Errors transaction = forTransactionException(failure);
        if (transaction != null)
        {
            return transaction;
        }
        if (failure instanceof LogStorageException || failure instanceof DataDirectoryLockedException)
        {
            return Errors.KAFKA_STORAGE_ERROR;
        }
        return Errors.UNKNOWN_SERVER_ERROR;
    }

    private static Errors forGroupException(final Throwable failure)
    {
        if (failure instanceof UnknownMemberIdException)
        {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (failure instanceof IllegalGenerationException)
        {
            return Errors.ILLEGAL_GENERATION;
        }
        if (failure instanceof RebalanceInProgressException)
        {
            return Errors.REBALANCE_IN_PROGRESS;
        }
        if (failure instanceof FencedInstanceIdException)
        {
            return Errors.FENCED_INSTANCE_ID;
        }
        if (failure instanceof InvalidSessionTimeoutException)
        {
            return Errors.INVALID_SESSION_TIMEOUT;
        }
        if (failure instanceof InconsistentGroupProtocolException)
        {
            return Errors.INCONSISTENT_GROUP_PROTOCOL;
        }
        if (failure instanceof InvalidGroupIdException)
        {
            return Errors.INVALID_GROUP_ID;
        }
        if (failure instanceof GroupIdNotFoundException)
        {
            return Errors.GROUP_ID_NOT_FOUND;
        }
        if (failure instanceof NonEmptyGroupException)
        {
            return Errors.NON_EMPTY_GROUP;
        }
        if (failure instanceof OffsetMetadataTooLargeException)
        {
            return Errors.OFFSET_METADATA_TOO_LARGE;
        }
        return null;
    }

    /** The errors of the consumer group protocol (KIP-848). */
    private static Errors forConsumerProtocolException(final Throwable failure)
    {
        if (failure instanceof FencedMemberEpochException)
        {
            return Errors.FENCED_MEMBER_EPOCH;
        }
        if (failure instanceof StaleMemberEpochException)
        {
            return Errors.STALE_MEMBER_EPOCH;
        }
        if (failure instanceof UnsupportedAssignorException)
        {
            return Errors.UNSUPPORTED_ASSIGNOR;
        }
        if (failure instanceof UnreleasedInstanceIdException)
        {
            return Errors.UNRELEASED_INSTANCE_ID;
        }
        if (failure instanceof InvalidRegularExpressionException)
        {
            return Errors.INVALID_REGULAR_EXPRESSION;
        }
        return null;
    }

    private static Errors forTransactionException(final Throwable failure)
    {
        if (failure instanceof InvalidProducerEpochException)
        {
            return Errors.INVALID_PRODUCER_EPOCH;
        }
        if (failure instanceof InvalidTxnStateException)
        {
            return Errors.INVALID_TXN_STATE;
        }
        if (failure instanceof ConcurrentTransactionsException)
        {
            return Errors.CONCURRENT_TRANSACTIONS;
        }
        if (failure instanceof InvalidTransactionTimeoutException)
        {
            return Errors.INVALID_TRANSACTION_TIMEOUT;
        }
        if (failure instanceof InvalidProducerIdMappingException)
        {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        if (failure instanceof TransactionalIdNotFoundException)
        {
            return Errors.TRANSACTIONAL_ID_NOT_FOUND;
        }
        if (failure instanceof UnstableOffsetCommitException)
        {
            return Errors.UNSTABLE_OFFSET_COMMIT;
        }
        return null;
    }

    /**
     * The error of a transaction coordinator's API. A fenced producer is told
     * {@code PRODUCER_FENCED} from the version of the API that introduced that code (InitProducerId
     * 4, AddPartitionsToTxn, AddOffsetsToTxn and EndTxn 2), and {@code INVALID_PRODUCER_EPOCH}
     * before, as Kafka answers; other failures as {@link #forException}.
     *
     * @param failure what the coordinator threw (possibly wrapped by a future).
     * @param version the request's version.
     * @param fencedSince the API's first version that knows {@code PRODUCER_FENCED}.
     * @return the error.
     */
    public static Errors forCoordinatorException(final Throwable failure, final short version, final int fencedSince)
    {
        final Throwable cause = unwrap(failure);
        if (cause instanceof ProducerFencedException)
        {
            return version >= fencedSince ? Errors.PRODUCER_FENCED : Errors.INVALID_PRODUCER_EPOCH;
        }
        return forException(cause);
    }

    /**
     * @param failure what a log operation threw (possibly wrapped by a future).
     * @return the log's exception itself.
     */
    public static Throwable unwrap(final Throwable failure)
    {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /**
     * @param failure what a log operation threw (possibly wrapped by a future).
     * @return Kafka's exception for it, with the log's message, for a response built by
     *         Kafka's request classes.
     */
    public static ApiException toApiException(final Throwable failure)
    {
        final Throwable cause = unwrap(failure);
        return forException(cause).exception(cause.getMessage());
    }
}
