package io.tidemark.runtime.broker.api;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import io.tidemark.log.AppendResult;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.LogException;
import io.tidemark.log.record.RecordBatchLayout;
import io.tidemark.log.txn.ProducerIdAndEpoch;
import io.tidemark.runtime.broker.ApiHandler;
import io.tidemark.runtime.broker.Broker;
import io.tidemark.runtime.broker.KafkaErrors;
import io.tidemark.runtime.broker.Request;
import io.tidemark.runtime.broker.TopicIds;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Produce: each partition's record batches are appended to its log as they came, byte for
 * byte (the log numbers them in place); an idempotent producer's sequence numbers are checked
 * by the log from the batch header, and a retried batch is answered with its original offsets.
 * Each partition succeeds or fails alone, with Kafka's error code.
 *
 * <p>An append that may wait on the disk (the topic forces flushes by {@code flush.messages} or
 * {@code flush.ms}, or the append rolls a segment, which forces the sealed one) runs on the
 * I/O threads: {@link io.tidemark.log.PartitionLog#appendMayWait} says which. The others only
 * write to the page cache and run on the connection's event loop: the hop to an I/O thread
 * and back would cost two thread wake-ups, which on a busy machine is most of a round trip's
 * latency. With one replica, {@code acks=1} and {@code acks=all} mean the same: the append is
 * done (and flushed if the topic's policy says so) before the answer; {@code acks=0} gets no
 * answer, but the connection still waits for the append before its next request, so a
 * producer's appends keep their order.
 *
 * <p>A request with a transactional id runs on the I/O threads: each transactional batch is
 * checked with the transaction coordinator ({@code verifyWrite}: the producer's epoch is
 * current and the partition was added to its transaction) before it is appended, so a fenced
 * producer or a partition outside the transaction is refused without a write. A transactional
 * batch in a request without a transactional id is refused as Kafka does.
 *
 * <p>From version 13 topics are named by id: each is looked up once per request, and an id no
 * topic has is {@code UNKNOWN_TOPIC_ID} for each of its partitions.
 */
final class ProduceHandler implements ApiHandler
{
    /** The first version that names topics by id. */
    private static final short TOPIC_ID_VERSION = 13;

    private final Broker broker;

    ProduceHandler(final Broker broker)
    {
        this.broker = broker;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(final Request request)
    {
        final ProduceRequestData data = (ProduceRequestData)request.data();
        final boolean noResponse = data.acks() == 0;
        if (data.acks() != 0 && data.acks() != 1 && data.acks() != -1)
        {
            return CompletableFuture.completedFuture(refuseAll(data, Errors.INVALID_REQUIRED_ACKS,
                "acks must be -1 (all), 0 or 1, not " + data.acks()));
        }
        final String[] names = topicNames(request.version(), data);
        if (data.transactionalId() == null && !mayWait(data, names))
        {
            final ProduceResponseData response = append(data, names);
            return CompletableFuture.completedFuture(noResponse ? null : response);
        }
        final CompletableFuture<ApiMessage> appended = broker.blocking(() -> append(data, names));
        return noResponse ? appended.thenApply(response -> null) : appended;
    }

    /**
     * Every partition of the request answered with one error. Built here rather than by
     * kafka-clients' {@code ProduceRequest.getErrorResponse}, which sizes each partition's
     * records and fails on a partition sent without any.
     */
    private static ProduceResponseData refuseAll(final ProduceRequestData data, final Errors error, final String message)
    {
        final ProduceResponseData response = new ProduceResponseData();
        for (final TopicProduceData topic : data.topicData())
        {
            final TopicProduceResponse topicResponse = new TopicProduceResponse().setName(topic.name()).setTopicId(topic.topicId());
            for (final PartitionProduceData partition : topic.partitionData())
            {
                topicResponse.partitionResponses().add(new PartitionProduceResponse().setIndex(partition.index())
                    .setErrorCode(error.code()).setErrorMessage(message));
            }
            response.responses().add(topicResponse);
        }
        return response;
    }

    /**
     * @return the name of each of the request's topics, in order: as sent, or from 13 found by
     *         the topic's id (one lookup per topic), null for an id no topic has.
     */
    private String[] topicNames(final short version, final ProduceRequestData data)
    {
        final String[] names = new String[data.topicData().size()];
        int i = 0;
        for (final TopicProduceData topic : data.topicData())
        {
            names[i++] = version < TOPIC_ID_VERSION ? topic.name() : broker.logs().topicName(TopicIds.fromUuid(topic.topicId()));
        }
        return names;
    }

    /** @return true if an append to any of the request's partitions may wait for the disk. */
    private boolean mayWait(final ProduceRequestData data, final String[] names)
    {
        int i = 0;
        for (final TopicProduceData topic : data.topicData())
        {
            final String name = names[i++];
            if (name == null)
            {
                continue;
            }
            for (final PartitionProduceData partition : topic.partitionData())
            {
                try
                {
                    if (broker.logs().partition(new TopicPartition(name, partition.index()))
                        .appendMayWait(partition.records() == null ? 0 : partition.records().sizeInBytes()))
                    {
                        return true;
                    }
                }
                catch (final LogException e)
                {
                    // An unknown topic or partition: the append answers with its error without touching a disk.
                }
            }
        }
        return false;
    }

    private ProduceResponseData append(final ProduceRequestData data, final String[] names)
    {
        final ProduceResponseData response = new ProduceResponseData();
        int i = 0;
        for (final TopicProduceData topic : data.topicData())
        {
            final String name = names[i++];
            final TopicProduceResponse topicResponse = new TopicProduceResponse().setName(topic.name()).setTopicId(topic.topicId());
            for (final PartitionProduceData partition : topic.partitionData())
            {
                topicResponse.partitionResponses().add(name == null ? unknownId(topic, partition)
                    : append(data.transactionalId(), new TopicPartition(name, partition.index()), partition));
            }
            response.responses().add(topicResponse);
        }
        return response;
    }

    private static PartitionProduceResponse unknownId(final TopicProduceData topic, final PartitionProduceData partition)
    {
        return new PartitionProduceResponse().setIndex(partition.index()).setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())
            .setErrorMessage("no topic has the id " + topic.topicId());
    }

    private PartitionProduceResponse append(final String transactionalId, final TopicPartition topicPartition, final PartitionProduceData partition)
    {
        final PartitionProduceResponse response = new PartitionProduceResponse().setIndex(partition.index());
        try
        {
            final PartitionLog log = broker.logs().partition(topicPartition);
            if (!(partition.records() instanceof MemoryRecords records) || records.sizeInBytes() == 0)
            {
                return response.setErrorCode(Errors.INVALID_RECORD.code()).setErrorMessage("a produce request needs a record batch per partition");
            }
            final ByteBuffer batches = records.buffer();
            if (!verifyTransactional(transactionalId, topicPartition, batches))
            {
                return response.setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())
                    .setErrorMessage("a transactional batch needs the produce request's transactional id");
            }
            final int bytes = batches.remaining();
            final AppendResult result = log.append(batches);
            broker.watchers().appended(topicPartition, bytes);
            return response
                .setBaseOffset(result.firstOffset())
                .setLogAppendTimeMs(result.logAppendTime())
                .setLogStartOffset(log.logStartOffset());
        }
        catch (final LogException e)
        {
            return response.setErrorCode(KafkaErrors.forException(e).code()).setErrorMessage(e.getMessage());
        }
    }

    /**
     * Checks every transactional batch of a partition's records with the transaction
     * coordinator before anything is written: its producer's epoch is current and the partition
     * is part of its open transaction. Reads the batch headers in place; a batch too short to
     * read is left to the log, which refuses it.
     *
     * @return false if a transactional batch came without a transactional id (Kafka refuses
     *         that as unauthorised); the coordinator's refusal is thrown.
     */
    private boolean verifyTransactional(final String transactionalId, final TopicPartition partition, final ByteBuffer batches)
    {
        long verifiedId = RecordBatchLayout.NO_PRODUCER_ID;
        short verifiedEpoch = -1;
        for (int position = batches.position(); position + RecordBatchLayout.HEADER_SIZE <= batches.limit(); )
        {
            if ((batches.getShort(position + RecordBatchLayout.ATTRIBUTES_OFFSET) & RecordBatchLayout.TRANSACTIONAL_FLAG_MASK) != 0)
            {
                if (transactionalId == null)
                {
                    return false;
                }
                final long producerId = batches.getLong(position + RecordBatchLayout.PRODUCER_ID_OFFSET);
                final short epoch = batches.getShort(position + RecordBatchLayout.PRODUCER_EPOCH_OFFSET);
                if (producerId != verifiedId || epoch != verifiedEpoch)
                {
                    broker.transactions().verifyWrite(transactionalId, new ProducerIdAndEpoch(producerId, epoch), partition);
                    verifiedId = producerId;
                    verifiedEpoch = epoch;
                }
            }
            final int length = batches.getInt(position + RecordBatchLayout.LENGTH_OFFSET);
            if (length <= 0)
            {
                break;
            }
            position += RecordBatchLayout.LOG_OVERHEAD + length;
        }
        return true;
    }
}
