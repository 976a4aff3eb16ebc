package io.tidemark.runtime.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractResponse;
import org.junit.jupiter.api.Test;

/**
 * An answer counts as an error when an error code other than NONE is in it, at its top or for
 * one of its entries, as Kafka's response classes count them.
 */
class ResponseErrorsTest
{
    private static final short V = 9;
    @Test
    void produceAndFetchAnswersAreReadPartitionByPartition()
    {
        assertFalse(ResponseErrors.any(produce(Errors.NONE, Errors.NONE), V));
        assertTrue(ResponseErrors.any(produce(Errors.NONE, Errors.NOT_LEADER_OR_FOLLOWER), V));
        assertFalse(ResponseErrors.any(fetch(Errors.NONE), V));
        assertTrue(ResponseErrors.any(fetch(Errors.OFFSET_OUT_OF_RANGE), V));
        assertTrue(ResponseErrors.any(new FetchResponseData().setErrorCode(Errors.FETCH_SESSION_ID_NOT_FOUND.code()), V), "a session's error, at the top");
        assertFalse(ResponseErrors.any(null, V), "acks=0: no answer");
    }

    @Test
    void otherAnswersCountAsKafkaCountsThem()
    {
        assertTrue(ResponseErrors.any(new JoinGroupResponseData().setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()), V));
        assertFalse(ResponseErrors.any(new JoinGroupResponseData(), V));
        assertFalse(ResponseErrors.any(new ListGroupsResponseData().setGroups(List.of(new ListGroupsResponseData.ListedGroup().setGroupId("g"))), V));

        final DeleteTopicsResponseData deleted = new DeleteTopicsResponseData();
        deleted.responses().add(new DeleteTopicsResponseData.DeletableTopicResult().setName("a"));
        assertFalse(ResponseErrors.any(deleted, V));
        deleted.responses().add(new DeleteTopicsResponseData.DeletableTopicResult().setName("b").setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
        assertTrue(ResponseErrors.any(deleted, V), "one topic of two unknown");

        assertTrue(ResponseErrors.any(new DescribeGroupsResponseData().setGroups(List.of(
            new DescribeGroupsResponseData.DescribedGroup().setGroupId("g"),
            new DescribeGroupsResponseData.DescribedGroup().setGroupId("h").setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()))), V));
    }

    @Test
    void errorsNestedInListsOfTheAnswersOfLookUpsCount()
    {
        final short version = ApiKeys.METADATA.latestVersion();
        final MetadataResponseData metadata = new MetadataResponseData();
        metadata.topics().add(new MetadataResponseData.MetadataResponseTopic().setName("t").setPartitions(List.of(
            new MetadataResponseData.MetadataResponsePartition().setPartitionIndex(0))));
        assertFalse(ResponseErrors.any(metadata, version));
        metadata.topics().add(new MetadataResponseData.MetadataResponseTopic().setName("u").setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
        assertTrue(ResponseErrors.any(metadata, version), "one topic of two unknown");

        final ListOffsetsResponseData offsets = new ListOffsetsResponseData().setTopics(List.of(new ListOffsetsResponseData.ListOffsetsTopicResponse()
            .setName("t").setPartitions(List.of(new ListOffsetsResponseData.ListOffsetsPartitionResponse().setPartitionIndex(0)))));
        assertFalse(ResponseErrors.any(offsets, ApiKeys.LIST_OFFSETS.latestVersion()));
        offsets.topics().get(0).partitions().get(0).setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code());
        assertTrue(ResponseErrors.any(offsets, ApiKeys.LIST_OFFSETS.latestVersion()), "a partition's error");

        final DescribeTopicPartitionsResponseData described = new DescribeTopicPartitionsResponseData();
        described.topics().add(new DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic().setName("t")
            .setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
        assertTrue(ResponseErrors.any(described, ApiKeys.DESCRIBE_TOPIC_PARTITIONS.latestVersion()));
    }

    @Test
    void everyAnswerIsWrappedInTheResponseClassKafkaParsesItInto()
    {
        for (final ApiKeys key : ApiKeys.clientApis())
        {
            final short version = key.latestVersion();
            final ApiMessage empty = ApiMessageType.fromApiKey(key.id).newResponse();
            final AbstractResponse parsed = AbstractResponse.parseResponse(key, MessageUtil.toByteBufferAccessor(empty, version), version);
            final AbstractResponse wrapped = ResponseErrors.response(empty, version);
            assertEquals(parsed.getClass(), wrapped.getClass(), key.name());
            assertEquals(parsed.errorCounts(), wrapped.errorCounts(), key.name());
            assertFalse(ResponseErrors.any(empty, version), key.name() + ": an empty answer has no error");
        }
    }

    private static ProduceResponseData produce(final Errors first, final Errors second)
    {
        final ProduceResponseData answer = new ProduceResponseData();
        answer.responses().add(new ProduceResponseData.TopicProduceResponse().setName("t").setPartitionResponses(List.of(
            new ProduceResponseData.PartitionProduceResponse().setIndex(0).setErrorCode(first.code()),
            new ProduceResponseData.PartitionProduceResponse().setIndex(1).setErrorCode(second.code()))));
        return answer;
    }

    private static FetchResponseData fetch(final Errors error)
    {
        return new FetchResponseData().setResponses(List.of(new FetchResponseData.FetchableTopicResponse().setTopic("t").setPartitions(List.of(
            new FetchResponseData.PartitionData().setPartitionIndex(0),
            new FetchResponseData.PartitionData().setPartitionIndex(1).setErrorCode(error.code())))));
    }
}
