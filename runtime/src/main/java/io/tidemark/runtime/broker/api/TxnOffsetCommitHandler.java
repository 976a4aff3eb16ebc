package io.tidemark.runtime.broker.api;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.tidemark.log.TopicPartition;
import io.tidemark.log.group.OffsetAndMetadata;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * TxnOffsetCommit, versions 0 to 4 (version 5 also adds the group to the transaction, which
 * is transaction version 2): offsets a transaction commits for a group
 * ({@code sendOffsetsToTransaction}, after AddOffsetsToTxn). The group coordinator writes them
 * to {@code __consumer_offsets} as part of the producer's transaction; they become visible when
 * it commits. Checked as OffsetCommit is: a partition that does not exist is refused alone,
 * and the coordinator's refusal (a stale epoch is {@code INVALID_PRODUCER_EPOCH}, as Kafka
 * answers) applies to every other partition. Runs on the I/O threads.
 */
final class TxnOffsetCommitHandler implements ApiHandler
{
    private final Broker broker;

    TxnOffsetCommitHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final TxnOffsetCommitRequestData data = (TxnOffsetCommitRequestData)request.data();
        return broker.blocking(() ->
        {
            final Map<TopicPartition, Errors> errors = new HashMap<>();
            final Map<TopicPartition, OffsetAndMetadata> committable = new HashMap<>();
            for (final TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic : data.topics())
            {
                for (final TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition partition : topic.partitions())
                {
                    final TopicPartition tp = new TopicPartition(topic.name(), partition.partitionIndex());
                    errors.put(tp, OffsetCommitHandler.check(broker, tp, () -> committable.put(tp,
                        new OffsetAndMetadata(partition.committedOffset(), partition.committedLeaderEpoch(), partition.committedMetadata()))));
                }
            }
            try
            {
                if (data.transactionalId() == null || data.transactionalId().isEmpty())
                {
                    committable.keySet().forEach(tp -> errors.put(tp, Errors.INVALID_REQUEST));
                }
                else if (!committable.isEmpty())
                {
                    broker.groups().commitTransactionalOffsets(data.groupId(), data.producerId(), data.producerEpoch(), data.generationId(),
                        data.memberId(), data.groupInstanceId(), committable);
                }
            }
            catch (final RuntimeException e)
            {
                final Errors error = KafkaErrors.forException(e);
                committable.keySet().forEach(tp -> errors.put(tp, error));
            }
            final TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
            for (final TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic : data.topics())
            {
                final TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic answer = new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic()
                    .setName(topic.name());
                for (final TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition partition : topic.partitions())
                {
                    answer.partitions().add(new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition().setPartitionIndex(partition.partitionIndex())
                        .setErrorCode(errors.get(new TopicPartition(topic.name(), partition.partitionIndex())).code()));
                }
                response.topics().add(answer);
            }
            return response;
        });
    }
}
