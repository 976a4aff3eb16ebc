package io.tidemark.connector.log;

import io.tidemark.connector.txn.PendingTransaction;
import io.tidemark.connector.txn.TransactionEnds;
import io.tidemark.log.TransactionResult;
import io.tidemark.log.errors.InvalidProducerIdMappingException;
import io.tidemark.log.errors.InvalidTxnStateException;
import io.tidemark.log.errors.ProducerFencedException;
import io.tidemark.log.errors.TransactionalIdNotFoundException;
import io.tidemark.log.txn.ProducerIdAndEpoch;
import io.tidemark.log.txn.TransactionCoordinator;
import io.tidemark.log.txn.TransactionDescription;
import io.tidemark.log.txn.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ends the exactly-once log sink's leftover transactions on the embedded coordinator. */
final class LogTransactionEnds implements TransactionEnds
{
    private static final Logger LOG = LoggerFactory.getLogger(LogTransactionEnds.class);

    private final TransactionCoordinator transactions;
    private final int transactionTimeoutMs;

    /**
     * @param transactions         the transaction coordinator.
     * @param transactionTimeoutMs the timeout given to an id whose transaction is aborted.
     */
    LogTransactionEnds(final TransactionCoordinator transactions, final int transactionTimeoutMs)
    {
        this.transactions = transactions;
        this.transactionTimeoutMs = transactionTimeoutMs;
    }

    @Override
    public boolean commit(final PendingTransaction pending)
    {
        try
        {
            transactions.endTransaction(pending.transactionalId(), new ProducerIdAndEpoch(pending.producerId(), pending.epoch()),
                TransactionResult.COMMIT);
            return true;
        }
        catch (final ProducerFencedException | InvalidProducerIdMappingException | InvalidTxnStateException e)
        {
            LOG.warn("transactional id '{}': the coordinator refused the commit: {}", pending.transactionalId(), e.getMessage());
            return false;
        }
    }

    @Override
    public boolean known(final String transactionalId)
    {
        try
        {
            transactions.describe(transactionalId);
            return true;
        }
        catch (final TransactionalIdNotFoundException e)
        {
            return false;
        }
    }

    @Override
    public void abortIfOpen(final String transactionalId)
    {
        final TransactionDescription description = transactions.describe(transactionalId);
        final TransactionState state = description.state();
        if (state == TransactionState.ONGOING || state == TransactionState.PREPARE_ABORT || state == TransactionState.PREPARE_COMMIT)
        {
            // A new instance of the id ends what it left: aborts an ongoing transaction, completes a decided end.
            transactions.initProducerId(transactionalId, transactionTimeoutMs, null);
            LOG.info("transactional id '{}': ended its transaction left {} by the previous run ({})", transactionalId,
                state.kafkaName(), description.partitions());
        }
    }
}
