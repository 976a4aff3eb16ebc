package io.tidemark.runtime.broker;

import java.util.Map;

import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AddOffsetsToTxnResponse;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.ConsumerGroupDescribeResponse;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatResponse;
import org.apache.kafka.common.requests.CreatePartitionsResponse;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DeleteGroupsResponse;
import org.apache.kafka.common.requests.DeleteRecordsResponse;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.requests.DescribeLogDirsResponse;
import org.apache.kafka.common.requests.DescribeProducersResponse;
import org.apache.kafka.common.requests.DescribeTopicPartitionsResponse;
import org.apache.kafka.common.requests.DescribeTransactionsResponse;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.LeaveGroupResponse;
import org.apache.kafka.common.requests.ListGroupsResponse;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.requests.ListTransactionsResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.OffsetDeleteResponse;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.SyncGroupResponse;
import org.apache.kafka.common.requests.TxnOffsetCommitResponse;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;

/**
 * Whether a Kafka answer carries an error, by Kafka's own definition: the error counts of
 * kafka-clients' response class for its API ({@link AbstractResponse#errorCounts()}), which
 * Kafka's broker counts per request type too. Produce and Fetch, the busy APIs, are read
 * directly, without the map of counts; any other answer is wrapped in its response class (one
 * small object; the counts are a map per answer).
 */
final class ResponseErrors
{
    private ResponseErrors()
    {
    }

    /**
     * @param answer  an answer about to be written, or null (a produce with acks=0 gets none).
     * @param version the request's version.
     * @return whether an error code other than {@code NONE} is in it, as Kafka counts them.
     */
    static boolean any(final ApiMessage answer, final short version)
    {
        if (answer instanceof ProduceResponseData produce)
        {
            for (final ProduceResponseData.TopicProduceResponse topic : produce.responses())
            {
                for (final ProduceResponseData.PartitionProduceResponse partition : topic.partitionResponses())
                {
                    if (partition.errorCode() != 0)
                    {
                        return true;
                    }
                }
            }
            return false;
        }
        if (answer instanceof FetchResponseData fetch)
        {
            if (fetch.errorCode() != 0)
            {
                return true;
            }
            for (final FetchResponseData.FetchableTopicResponse topic : fetch.responses())
            {
                for (final FetchResponseData.PartitionData partition : topic.partitions())
                {
                    if (partition.errorCode() != 0)
                    {
                        return true;
                    }
                }
            }
            return false;
        }
        if (answer == null)
        {
            return false;
        }
        for (final Map.Entry<Errors, Integer> count : response(answer, version).errorCounts().entrySet())
        {
            if (count.getKey() != Errors.NONE && count.getValue() > 0)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return kafka-clients' response object around the answer: built on it for the APIs the
     *         broker serves, else parsed from its encoding (a copy, for an API not listed here).
     */
    static AbstractResponse response(final ApiMessage answer, final short version)
    {
        return switch (ApiKeys.forId(answer.apiKey()))
        {
            case ADD_OFFSETS_TO_TXN -> new AddOffsetsToTxnResponse((AddOffsetsToTxnResponseData)answer);
            case ADD_PARTITIONS_TO_TXN -> new AddPartitionsToTxnResponse((AddPartitionsToTxnResponseData)answer);
            case ALTER_CONFIGS -> new AlterConfigsResponse((AlterConfigsResponseData)answer);
            case API_VERSIONS -> new ApiVersionsResponse((ApiVersionsResponseData)answer);
            case CONSUMER_GROUP_DESCRIBE -> new ConsumerGroupDescribeResponse((ConsumerGroupDescribeResponseData)answer);
            case CONSUMER_GROUP_HEARTBEAT -> new ConsumerGroupHeartbeatResponse((ConsumerGroupHeartbeatResponseData)answer);
            case CREATE_PARTITIONS -> new CreatePartitionsResponse((CreatePartitionsResponseData)answer);
            case CREATE_TOPICS -> new CreateTopicsResponse((CreateTopicsResponseData)answer);
            case DELETE_GROUPS -> new DeleteGroupsResponse((DeleteGroupsResponseData)answer);
            case DELETE_RECORDS -> new DeleteRecordsResponse((DeleteRecordsResponseData)answer);
            case DELETE_TOPICS -> new DeleteTopicsResponse((DeleteTopicsResponseData)answer);
            case DESCRIBE_CLUSTER -> new DescribeClusterResponse((DescribeClusterResponseData)answer);
            case DESCRIBE_CONFIGS -> new DescribeConfigsResponse((DescribeConfigsResponseData)answer);
            case DESCRIBE_GROUPS -> new DescribeGroupsResponse((DescribeGroupsResponseData)answer);
            case DESCRIBE_LOG_DIRS -> new DescribeLogDirsResponse((DescribeLogDirsResponseData)answer);
            case DESCRIBE_PRODUCERS -> new DescribeProducersResponse((DescribeProducersResponseData)answer);
            case DESCRIBE_TOPIC_PARTITIONS -> new DescribeTopicPartitionsResponse((DescribeTopicPartitionsResponseData)answer);
            case DESCRIBE_TRANSACTIONS -> new DescribeTransactionsResponse((DescribeTransactionsResponseData)answer);
            case END_TXN -> new EndTxnResponse((EndTxnResponseData)answer);
            case FETCH -> FetchResponse.of((FetchResponseData)answer);
            case FIND_COORDINATOR -> new FindCoordinatorResponse((FindCoordinatorResponseData)answer);
            case HEARTBEAT -> new HeartbeatResponse((HeartbeatResponseData)answer);
            case INCREMENTAL_ALTER_CONFIGS -> new IncrementalAlterConfigsResponse((IncrementalAlterConfigsResponseData)answer);
            case INIT_PRODUCER_ID -> new InitProducerIdResponse((InitProducerIdResponseData)answer);
            case JOIN_GROUP -> new JoinGroupResponse((JoinGroupResponseData)answer, version);
            case LEAVE_GROUP -> new LeaveGroupResponse((LeaveGroupResponseData)answer, version);
            case LIST_GROUPS -> new ListGroupsResponse((ListGroupsResponseData)answer);
            case LIST_OFFSETS -> new ListOffsetsResponse((ListOffsetsResponseData)answer);
            case LIST_TRANSACTIONS -> new ListTransactionsResponse((ListTransactionsResponseData)answer);
            case METADATA -> new MetadataResponse((MetadataResponseData)answer, version);
            case OFFSET_COMMIT -> new OffsetCommitResponse((OffsetCommitResponseData)answer);
            case OFFSET_DELETE -> new OffsetDeleteResponse((OffsetDeleteResponseData)answer);
            case OFFSET_FETCH -> new OffsetFetchResponse((OffsetFetchResponseData)answer, version);
            case OFFSET_FOR_LEADER_EPOCH -> new OffsetsForLeaderEpochResponse((OffsetForLeaderEpochResponseData)answer);
            case PRODUCE -> new ProduceResponse((ProduceResponseData)answer);
            case SYNC_GROUP -> new SyncGroupResponse((SyncGroupResponseData)answer);
            case TXN_OFFSET_COMMIT -> new TxnOffsetCommitResponse((TxnOffsetCommitResponseData)answer);
            case WRITE_TXN_MARKERS -> new WriteTxnMarkersResponse((WriteTxnMarkersResponseData)answer);
            default -> AbstractResponse.parseResponse(ApiKeys.forId(answer.apiKey()), MessageUtil.toByteBufferAccessor(answer, version), version);
        };
    }
}
