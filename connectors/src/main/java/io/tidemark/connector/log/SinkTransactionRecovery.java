package io.tidemark.connector.log;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

/**
 * What a starting subtask of the exactly-once log sink finishes before it writes: it commits
 * the transactions the restored checkpoint pre-committed, then aborts every transaction still
 * open under the transactional ids it inherits, so that no read_committed reader stays held
 * back by output written after the checkpoint.
 *
 * <p>Subtask {@code i} of {@code p} inherits the ids {@code <prefix>-<j>-<k>} of every old
 * subtask {@code j} with {@code j % p == i}: those below the checkpoint's parallelism, and any
 * higher {@code j} the coordinator knows (left by a run with more subtasks). For each such
 * {@code j} it looks at {@code k} up to the count the checkpoint recorded and on while the
 * coordinator knows the id. The classes {@code j % p} of different subtasks never meet, so
 * subtasks recover side by side.
 */
final class SinkTransactionRecovery
{
    private static final Logger LOG = LoggerFactory.getLogger(SinkTransactionRecovery.class);

    private final TransactionCoordinator transactions;
    private final String prefix;
    private final int transactionTimeoutMs;

    /**
     * @param transactions         the transaction coordinator.
     * @param prefix               the sink's transactional id prefix.
     * @param transactionTimeoutMs the timeout given to an id whose transaction is aborted.
     */
    SinkTransactionRecovery(final TransactionCoordinator transactions, final String prefix, final int transactionTimeoutMs)
    {
        this.transactions = transactions;
        this.prefix = prefix;
        this.transactionTimeoutMs = transactionTimeoutMs;
    }

    /**
     * @param subtask a subtask.
     * @param k       the number of the id within the subtask's pool.
     * @return the transactional id.
     */
    String transactionalId(final int subtask, final int k)
    {
        return prefix + "-" + subtask + "-" + k;
    }

    /**
     * Commits every pending transaction of the restored states, oldest checkpoint first, then
     * aborts what is open under the inherited ids.
     *
     * @param subtask     the new subtask.
     * @param parallelism the new parallelism.
     * @param restored    the states of the old subtasks {@code j % parallelism == subtask};
     *                    empty on a fresh start.
     */
    void recover(final int subtask, final int parallelism, final List<LogSinkState> restored)
    {
        final Map<Integer, Integer> idsCreated = new HashMap<>();
        int oldParallelism = 0;
        for (final LogSinkState state : restored)
        {
            idsCreated.put(state.subtask(), state.idsCreated());
            oldParallelism = Math.max(oldParallelism, state.parallelism());
        }
        restored.stream().flatMap(state -> state.pending().stream()).sorted(Comparator.comparingLong(PendingTransaction::checkpointId))
            .forEach(this::commit);
        for (int j = subtask; j < oldParallelism || known(transactionalId(j, 0)); j += parallelism)
        {
            final int recorded = idsCreated.getOrDefault(j, 0);
            for (int k = 0; k < recorded || known(transactionalId(j, k)); k++)
            {
                abortIfOpen(transactionalId(j, k));
            }
        }
    }

    private void commit(final PendingTransaction pending)
    {
        try
        {
            transactions.endTransaction(pending.transactionalId(), new ProducerIdAndEpoch(pending.producerId(), pending.epoch()),
                TransactionResult.COMMIT);
            LOG.info("transactional id '{}': committed the output of checkpoint {}", pending.transactionalId(), pending.checkpointId());
        }
        catch (final ProducerFencedException | InvalidProducerIdMappingException | InvalidTxnStateException e)
        {
            // Only an abort by the coordinator gets here: the sink itself never ends a pending
            // transaction any other way than committing it.
            LOG.error("transactional id '{}': the output of checkpoint {} (producer {}, epoch {}) is LOST: its transaction was aborted " +
                "before the restart could commit it (the transaction timeout ran out, or another writer used the same transactional id " +
                "prefix): {}", pending.transactionalId(), pending.checkpointId(), pending.producerId(), pending.epoch(), e.getMessage());
        }
    }

    private boolean known(final String transactionalId)
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

    private void abortIfOpen(final String transactionalId)
    {
        final TransactionDescription description;
        try
        {
            description = transactions.describe(transactionalId);
        }
        catch (final TransactionalIdNotFoundException e)
        {
            return;
        }
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
