package io.tidemark.log.txn;

/**
 * One transactional id as ListTransactions reports it.
 *
 * @param transactionalId the transactional id.
 * @param producerId the producer id it is mapped to.
 * @param state its state.
 */
public record TransactionListing(String transactionalId, long producerId, TransactionState state)
{
}
