package io.tidemark.runtime.broker.api;

import io.tidemark.runtime.broker.ApiTable;
import io.tidemark.runtime.broker.Broker;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The APIs this broker serves, with the versions it advertises. The ranges stop below the
 * versions that identify topics by id (Produce 13, Fetch 13), which this broker does not
 * assign; every current client falls back to names.
 */
public final class Apis
{
    /** Why the transactional APIs are refused. */
    static final String NO_TRANSACTIONS = "transactions are not supported by this Tidemark server yet";

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
            .serve(ApiKeys.CREATE_TOPICS, 2, 7, new CreateTopicsHandler(broker))
            .serve(ApiKeys.DELETE_TOPICS, 1, 6, new DeleteTopicsHandler(broker))
            .serve(ApiKeys.PRODUCE, 3, 12, new ProduceHandler(broker))
            .serve(ApiKeys.FETCH, 4, 12, new FetchHandler(broker))
            .serve(ApiKeys.LIST_OFFSETS, 1, 6, new ListOffsetsHandler(broker))
            .serve(ApiKeys.INIT_PRODUCER_ID, 0, 5, new InitProducerIdHandler(broker))
            .serve(ApiKeys.DESCRIBE_CONFIGS, 1, 4, new DescribeConfigsHandler(broker));

        table
            .serve(ApiKeys.FIND_COORDINATOR, 0, 6, new FindCoordinatorHandler(broker))
            .serve(ApiKeys.JOIN_GROUP, 0, 9, new JoinGroupHandler(broker))
            .serve(ApiKeys.SYNC_GROUP, 0, 5, new SyncGroupHandler(broker))
            .serve(ApiKeys.HEARTBEAT, 0, 4, new HeartbeatHandler(broker))
            .serve(ApiKeys.LEAVE_GROUP, 0, 5, new LeaveGroupHandler(broker))
            .serve(ApiKeys.OFFSET_COMMIT, 2, 9, new OffsetCommitHandler(broker))
            .serve(ApiKeys.OFFSET_FETCH, 1, 9, new OffsetFetchHandler(broker))
            .serve(ApiKeys.DESCRIBE_GROUPS, 0, 5, new DescribeGroupsHandler(broker))
            .serve(ApiKeys.LIST_GROUPS, 0, 5, new ListGroupsHandler(broker));

        final ErrorHandler noTransactions = new ErrorHandler(() -> new UnsupportedVersionException(NO_TRANSACTIONS));
        for (final ApiKeys transactional : new ApiKeys[] {ApiKeys.ADD_PARTITIONS_TO_TXN, ApiKeys.ADD_OFFSETS_TO_TXN, ApiKeys.END_TXN,
            ApiKeys.TXN_OFFSET_COMMIT, ApiKeys.WRITE_TXN_MARKERS, ApiKeys.DESCRIBE_TRANSACTIONS, ApiKeys.LIST_TRANSACTIONS})
        {
            table.answerUnadvertised(transactional, noTransactions);
        }
        return table;
    }
}
