package io.tidemark.runtime.broker.api;

import java.util.concurrent.CompletableFuture;

import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.LogException;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetForLeaderEpoch: where a leader epoch ends, with which a consumer checks, after a seek
 * or a change of leader, that the records it read are still in the log (KIP-320). One broker
 * leads every partition at epoch 0 for ever ({@link Broker#LEADER_EPOCH}), so the answers are
 * those of Kafka's epoch cache holding one epoch that started at the log start offset:
 * <ul>
 * <li>the client's current leader epoch, when it sends one, is checked first: below 0's
 * {@code FENCED_LEADER_EPOCH}, above it {@code UNKNOWN_LEADER_EPOCH};</li>
 * <li>epoch 0, the latest, ends at the log end offset;</li>
 * <li>an epoch above it is unknown: epoch and offset -1, no error, as is -1 itself;</li>
 * <li>an epoch below it (other than -1) is answered with itself and the offset where epoch 0
 * starts, the log start offset;</li>
 * <li>a partition that does not exist is {@code UNKNOWN_TOPIC_OR_PARTITION}.</li>
 * </ul>
 */
final class OffsetForLeaderEpochHandler implements ApiHandler
{
    /** A leader epoch not given or not known. */
    private static final int NO_EPOCH = -1;

    private final Broker broker;

    OffsetForLeaderEpochHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final OffsetForLeaderEpochRequestData data = (OffsetForLeaderEpochRequestData)request.data();
        final OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
        for (final OffsetForLeaderTopic topic : data.topics())
        {
            final OffsetForLeaderTopicResult result = new OffsetForLeaderTopicResult().setTopic(topic.topic());
            for (final OffsetForLeaderPartition partition : topic.partitions())
            {
                result.partitions().add(endOf(new TopicPartition(topic.topic(), partition.partition()), partition));
            }
            response.topics().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }

    private EpochEndOffset endOf(final TopicPartition topicPartition, final OffsetForLeaderPartition partition)
    {
        final EpochEndOffset end = new EpochEndOffset().setPartition(partition.partition()).setLeaderEpoch(NO_EPOCH).setEndOffset(-1);
        final PartitionLog log;
        try
        {
            log = broker.logs().partition(topicPartition);
        }
        catch (final LogException e)
        {
            return end.setErrorCode(KafkaErrors.forException(e).code());
        }
        final int current = partition.currentLeaderEpoch();
        if (current != NO_EPOCH && current < Broker.LEADER_EPOCH)
        {
            return end.setErrorCode(Errors.FENCED_LEADER_EPOCH.code());
        }
        if (current > Broker.LEADER_EPOCH)
        {
            return end.setErrorCode(Errors.UNKNOWN_LEADER_EPOCH.code());
        }
        final int requested = partition.leaderEpoch();
        if (requested == Broker.LEADER_EPOCH)
        {
            return end.setLeaderEpoch(Broker.LEADER_EPOCH).setEndOffset(log.logEndOffset());
        }
        if (requested < Broker.LEADER_EPOCH && requested != NO_EPOCH)
        {
            return end.setLeaderEpoch(requested).setEndOffset(log.logStartOffset());
        }
        return end;
    }
}
