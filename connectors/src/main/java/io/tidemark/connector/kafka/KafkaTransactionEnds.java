package io.tidemark.connector.kafka;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

import io.tidemark.connector.txn.PendingTransaction;
import io.tidemark.connector.txn.TransactionEnds;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the exactly-once Kafka sink's leftover transactions on the cluster: pending ones commit
 * through {@link EndTxnClient}; which ids exist, and in what state, comes from one
 * ListTransactions, asked after the commits; an open one is aborted by a new producer instance
 * of the id ({@code initTransactions} fences the old one and aborts its transaction).
 */
final class KafkaTransactionEnds implements TransactionEnds
{
    private static final Logger LOG = LoggerFactory.getLogger(KafkaTransactionEnds.class);
    private static final Set<TransactionState> OPEN = EnumSet.of(TransactionState.ONGOING, TransactionState.PREPARE_COMMIT,
        TransactionState.PREPARE_ABORT, TransactionState.PREPARE_EPOCH_FENCE);

    private final EndTxnClient endTxn;
    private final Admin admin;
    private final Function<String, KafkaProducer<byte[], byte[]>> producers;
    private Map<String, TransactionState> listed;

    /**
     * @param endTxn    commits pending transactions.
     * @param admin     the subtask's admin client.
     * @param producers makes a transactional producer of an id (not yet initialized).
     */
    KafkaTransactionEnds(final EndTxnClient endTxn, final Admin admin, final Function<String, KafkaProducer<byte[], byte[]>> producers)
    {
        this.endTxn = endTxn;
        this.admin = admin;
        this.producers = producers;
    }

    @Override
    public boolean commit(final PendingTransaction pending)
    {
        return endTxn.commit(pending);
    }

    @Override
    public boolean known(final String transactionalId)
    {
        return listed().containsKey(transactionalId);
    }

    @Override
    public void abortIfOpen(final String transactionalId)
    {
        final TransactionState state = listed().get(transactionalId);
        if (OPEN.contains(state))
        {
            try (KafkaProducer<byte[], byte[]> producer = producers.apply(transactionalId))
            {
                producer.initTransactions();
            }
            LOG.info("transactional id '{}': ended its transaction left {} by the previous run", transactionalId, state);
        }
    }

    private Map<String, TransactionState> listed()
    {
        if (listed == null)
        {
            final Map<String, TransactionState> states = new HashMap<>();
            try
            {
                for (final TransactionListing listing : admin.listTransactions().all().get())
                {
                    states.put(listing.transactionalId(), listing.state());
                }
            }
            catch (final ExecutionException e)
            {
                throw new IllegalStateException("listing the cluster's transactions failed: " + e.getCause(), e.getCause());
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while listing the cluster's transactions", e);
            }
            listed = states;
        }
        return listed;
    }
}
