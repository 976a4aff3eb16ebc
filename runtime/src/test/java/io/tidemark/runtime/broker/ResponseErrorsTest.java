package io.tidemark.runtime.broker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * An answer counts as an error when an error code other than NONE is anywhere in it, at its
 * top or for one of its entries, as a client would see it.
 */
class ResponseErrorsTest
{
    @Test
    void produceAndFetchAnswersAreReadPartitionByPartition()
    {
        assertFalse(ResponseErrors.any(produce(Errors.NONE, Errors.NONE)));
        assertTrue(ResponseErrors.any(produce(Errors.NONE, Errors.NOT_LEADER_OR_FOLLOWER)));
        assertFalse(ResponseErrors.any(fetch(Errors.NONE)));
        assertTrue(ResponseErrors.any(fetch(Errors.OFFSET_OUT_OF_RANGE)));
        assertTrue(ResponseErrors.any(new FetchResponseData().setErrorCode(Errors.FETCH_SESSION_ID_NOT_FOUND.code())), "a session's error, at the top");
        assertFalse(ResponseErrors.any(null), "acks=0: no answer");
    }

    @Test
    void otherAnswersAreWalkedToEveryEntry()
    {
        assertTrue(ResponseErrors.any(new JoinGroupResponseData().setErrorCode(Errors.UNKNOWN_MEMBER_ID.code())));
        assertFalse(ResponseErrors.any(new JoinGroupResponseData()));
        assertFalse(ResponseErrors.any(new ListGroupsResponseData().setGroups(List.of(new ListGroupsResponseData.ListedGroup().setGroupId("g")))));

        final DeleteTopicsResponseData deleted = new DeleteTopicsResponseData();
        deleted.responses().add(new DeleteTopicsResponseData.DeletableTopicResult().setName("a"));
        assertFalse(ResponseErrors.any(deleted));
        deleted.responses().add(new DeleteTopicsResponseData.DeletableTopicResult().setName("b").setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
        assertTrue(ResponseErrors.any(deleted), "one topic of two unknown");

        assertTrue(ResponseErrors.any(new DescribeGroupsResponseData().setGroups(List.of(
            new DescribeGroupsResponseData.DescribedGroup().setGroupId("g"),
            new DescribeGroupsResponseData.DescribedGroup().setGroupId("h").setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())))));
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
