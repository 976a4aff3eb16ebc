package io.tidemark.log.txn;

import java.util.List;

import io.tidemark.log.TopicPartition;

/**
 * One transactional id as DescribeTransactions reports it.
 *
 * @param transactionalId the transactional id.
 * @param state its state.
 * @param producerId the producer id it is mapped to.
 * @param producerEpoch the current epoch.
 * @param timeoutMs the transaction timeout the producer asked for.
 * @param startTimeMs when the open transaction began (its first partition or offsets were
 *        added), -1 if none is open.
 * @param partitions the partitions the open transaction writes to (the offsets topic's
 *        partition of each group it commits offsets for included), sorted.
 */
public record TransactionDescription(String transactionalId, TransactionState state, long producerId, short producerEpoch,
    int timeoutMs, long startTimeMs, List<TopicPartition> partitions)
{
}
