package io.tidemark.connector.txn;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a starting subtask of an exactly-once sink finishes before it writes: it commits the
 * transactions the restored checkpoint pre-committed, then aborts every transaction still open
 * under the transactional ids it inherits, so that no read_committed reader stays held back by
 * output written after the checkpoint.
 *
 * <p>Subtask {@code i} of {@code p} inherits the ids {@code <prefix>-<j>-<k>} of every old
 * subtask {@code j} with {@code j % p == i}: those below the checkpoint's parallelism, and any
 * higher {@code j} the coordinator knows (left by a run with more subtasks). For each such
 * {@code j} it looks at {@code k} up to the count the checkpoint recorded and on while the
 * coordinator knows the id. The classes {@code j % p} of different subtasks never meet, so
 * subtasks recover side by side.
 */
public final class SinkTransactionRecovery
{
    private static final Logger LOG = LoggerFactory.getLogger(SinkTransactionRecovery.class);

    private final TransactionEnds ends;
    private final String prefix;

    /**
     * @param ends   ends transactions on the sink's coordinator.
     * @param prefix the sink's transactional id prefix.
     */
    public SinkTransactionRecovery(final TransactionEnds ends, final String prefix)
    {
        this.ends = ends;
        this.prefix = prefix;
    }

    /**
     * @param subtask a subtask.
     * @param k       the number of the id within the subtask's pool.
     * @return the transactional id.
     */
    public String transactionalId(final int subtask, final int k)
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
    public void recover(final int subtask, final int parallelism, final List<TransactionalSinkState> restored)
    {
        final Map<Integer, Integer> idsCreated = new HashMap<>();
        int oldParallelism = 0;
        for (final TransactionalSinkState state : restored)
        {
            idsCreated.put(state.subtask(), state.idsCreated());
            oldParallelism = Math.max(oldParallelism, state.parallelism());
        }
        restored.stream().flatMap(state -> state.pending().stream()).sorted(Comparator.comparingLong(PendingTransaction::checkpointId))
            .forEach(this::commit);
        for (int j = subtask; j < oldParallelism || ends.known(transactionalId(j, 0)); j += parallelism)
        {
            final int recorded = idsCreated.getOrDefault(j, 0);
            for (int k = 0; k < recorded || ends.known(transactionalId(j, k)); k++)
            {
                if (ends.known(transactionalId(j, k)))
                {
                    ends.abortIfOpen(transactionalId(j, k));
                }
            }
        }
    }

    private void commit(final PendingTransaction pending)
    {
        if (ends.commit(pending))
        {
            LOG.info("transactional id '{}': committed the output of checkpoint {}", pending.transactionalId(), pending.checkpointId());
        }
        else
        {
            // Only an abort by the coordinator gets here: the sink itself never ends a pending
            // transaction any other way than committing it.
            LOG.error("transactional id '{}': the output of checkpoint {} (producer {}, epoch {}) is LOST: its transaction was aborted " +
                "before the restart could commit it (the transaction timeout ran out, or another writer used the same transactional id " +
                "prefix)", pending.transactionalId(), pending.checkpointId(), pending.producerId(), pending.epoch());
        }
    }
}
