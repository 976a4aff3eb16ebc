package io.tidemark.runtime.broker.api;

import io.tidemark.runtime.broker.ApiTable;
import io.tidemark.runtime.broker.Broker;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The APIs this broker serves, with the versions it advertises. Topics have ids, so the
 * versions that name topics by id are served (Metadata 10+, CreateTopics 7, DeleteTopics 6,
 * Produce 13, Fetch 13+). Produce is advertised from version 0 and served from 3, as Kafka 4
 * does ({@link ApiTable#serveAdvertisingOlder}).
 *
 * <p>Transactions are served at Kafka's transaction version 1 (KIP-98): the producer adds each
 * partition with AddPartitionsToTxn before writing to it, and EndTxn ends the transaction at
 * the producer's epoch. ApiVersions finalizes no feature, {@code transaction.version} included,
 * so kafka-clients 4.x and librdkafka use that flow; the versions that belong to transaction
 * version 2 (EndTxn 5, TxnOffsetCommit 5) and the brokers' own batches (AddPartitionsToTxn 4
 * and later) are not advertised.
 */
public final class Apis
{
    private Apis()
    {
    }

    /**
     * @param broker what the handlers share.
     * @return the table of handlers.
     */
    public static ApiTable table(final Broker broker)
    {
        final ApiTable table = new ApiTable();
        table
            .serve(ApiKeys.API_VERSIONS, 0, 4, new ApiVersionsHandler(table))
            .serve(ApiKeys.METADATA, 0, 12, new MetadataHandler(broker))
            .serve(ApiKeys.DESCRIBE_TOPIC_PARTITIONS, 0, 0, new DescribeTopicPartitionsHandler(broker))
            .serve(ApiKeys.DESCRIBE_CLUSTER, 0, 2, new DescribeClusterHandler(broker))
            .serve(ApiKeys.CREATE_TOPICS, 2, 7, new CreateTopicsHandler(broker))
            .serve(ApiKeys.DELETE_TOPICS, 1, 6, new DeleteTopicsHandler(broker))
            .serve(ApiKeys.CREATE_PARTITIONS, 0, 3, new CreatePartitionsHandler(broker))
            .serveAdvertisingOlder(ApiKeys.PRODUCE, 0, 3, 13, new ProduceHandler(broker))
            .serve(ApiKeys.FETCH, 4, 18, new FetchHandler(broker))
            .serve(ApiKeys.LIST_OFFSETS, 1, 11, new ListOffsetsHandler(broker))
            .serve(ApiKeys.OFFSET_FOR_LEADER_EPOCH, 2, 4, new OffsetForLeaderEpochHandler(broker))
            .serve(ApiKeys.DELETE_RECORDS, 0, 2, new DeleteRecordsHandler(broker))
            .serve(ApiKeys.DESCRIBE_LOG_DIRS, 1, 5, new DescribeLogDirsHandler(broker))
            .serve(ApiKeys.INIT_PRODUCER_ID, 0, 5, new InitProducerIdHandler(broker))
            .serve(ApiKeys.DESCRIBE_CONFIGS, 1, 4, new DescribeConfigsHandler(broker))
            .serve(ApiKeys.ALTER_CONFIGS, 0, 2, new AlterConfigsHandler(broker))
            .serve(ApiKeys.INCREMENTAL_ALTER_CONFIGS, 0, 1, new IncrementalAlterConfigsHandler(broker));

        table
            .serve(ApiKeys.FIND_COORDINATOR, 0, 6, new FindCoordinatorHandler(broker))
            .serve(ApiKeys.JOIN_GROUP, 0, 9, new JoinGroupHandler(broker))
            .serve(ApiKeys.SYNC_GROUP, 0, 5, new SyncGroupHandler(broker))
            .serve(ApiKeys.HEARTBEAT, 0, 4, new HeartbeatHandler(broker))
            .serve(ApiKeys.LEAVE_GROUP, 0, 5, new LeaveGroupHandler(broker))
            .serve(ApiKeys.OFFSET_COMMIT, 2, 9, new OffsetCommitHandler(broker))
            .serve(ApiKeys.OFFSET_FETCH, 1, 9, new OffsetFetchHandler(broker))
            .serve(ApiKeys.OFFSET_DELETE, 0, 0, new OffsetDeleteHandler(broker))
            .serve(ApiKeys.DELETE_GROUPS, 0, 2, new DeleteGroupsHandler(broker))
            .serve(ApiKeys.DESCRIBE_GROUPS, 0, 6, new DescribeGroupsHandler(broker))
            .serve(ApiKeys.LIST_GROUPS, 0, 5, new ListGroupsHandler(broker))
            .serve(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 0, 1, new ConsumerGroupHeartbeatHandler(broker))
            .serve(ApiKeys.CONSUMER_GROUP_DESCRIBE, 0, 1, new ConsumerGroupDescribeHandler(broker));

        table
            .serve(ApiKeys.ADD_PARTITIONS_TO_TXN, 0, 3, new AddPartitionsToTxnHandler(broker))
            .serve(ApiKeys.ADD_OFFSETS_TO_TXN, 0, 4, new AddOffsetsToTxnHandler(broker))
            .serve(ApiKeys.END_TXN, 0, 4, new EndTxnHandler(broker))
            .serve(ApiKeys.TXN_OFFSET_COMMIT, 0, 4, new TxnOffsetCommitHandler(broker))
            .serve(ApiKeys.WRITE_TXN_MARKERS, 1, 1, new WriteTxnMarkersHandler(broker))
            .serve(ApiKeys.DESCRIBE_TRANSACTIONS, 0, 0, new DescribeTransactionsHandler(broker))
            .serve(ApiKeys.LIST_TRANSACTIONS, 0, 1, new ListTransactionsHandler(broker))
            .serve(ApiKeys.DESCRIBE_PRODUCERS, 0, 0, new DescribeProducersHandler(broker));
        return table;
    }
}
