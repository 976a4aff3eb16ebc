package io.tidemark.connector.kafka;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;

import io.tidemark.connector.txn.PendingTransaction;
import io.tidemark.connector.txn.TransactionalProducer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link org.apache.kafka.clients.producer.KafkaProducer} of one transactional id of the
 * exactly-once Kafka sink. The producer id and epoch of a pending transaction come from the
 * coordinator (DescribeTransactions), since the producer does not tell them.
 *
 * @param <T> the record type.
 */
final class KafkaTransactionalProducer<T> implements TransactionalProducer<T>
{
    private static final Logger LOG = LoggerFactory.getLogger(KafkaTransactionalProducer.class);

    private final RecordSender<T> sender;
    private final Admin admin;
    private final String transactionalId;
    private final int transactionTimeoutMs;
    private boolean inTransaction;

    /**
     * @param sender               the producer of the id, its transactions initialized.
     * @param admin                the subtask's admin client.
     * @param transactionalId      the id.
     * @param transactionTimeoutMs the transactions' timeout, for messages.
     */
    KafkaTransactionalProducer(final RecordSender<T> sender, final Admin admin, final String transactionalId, final int transactionTimeoutMs)
    {
        this.sender = sender;
        this.admin = admin;
        this.transactionalId = transactionalId;
        this.transactionTimeoutMs = transactionTimeoutMs;
    }

    @Override
    public void beginTransaction()
    {
        sender.producer().beginTransaction();
        inTransaction = true;
    }

    @Override
    public void send(final T value, final long timestamp)
    {
        sender.send(value, timestamp);
    }

    @Override
    public void flush()
    {
        sender.flush();
    }

    @Override
    public PendingTransaction pending(final long checkpointId)
    {
        final TransactionDescription described;
        try
        {
            described = admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get();
        }
        catch (final ExecutionException e)
        {
            throw new IllegalStateException("transactional id '" + transactionalId + "': describing the transaction of checkpoint " +
                checkpointId + " failed: " + e.getCause(), e.getCause());
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing transactional id '" + transactionalId + "'", e);
        }
        if (described.state() != TransactionState.ONGOING)
        {
            throw new IllegalStateException("transactional id '" + transactionalId + "': the transaction of checkpoint " + checkpointId +
                " is no longer open (" + described.state() + ", producer " + described.producerId() + "): it ran past its timeout of " +
                transactionTimeoutMs + " ms or another writer uses the same transactional id prefix");
        }
        return new PendingTransaction(transactionalId, described.producerId(), (short)described.producerEpoch(), checkpointId);
    }

    @Override
    public void commitTransaction(final String what)
    {
        try
        {
            sender.producer().commitTransaction();
            inTransaction = false;
        }
        catch (final KafkaException e)
        {
            throw new IllegalStateException("transactional id '" + transactionalId + "': committing the output of " + what + " failed: " + e,
                e);
        }
        sender.checkFailure();
    }

    /**
     * Aborts an open transaction (if the cluster answers; else the restarted sink's recovery
     * aborts it), then closes the producer at once: a graceful close would wait for an abort
     * of its own, and must not touch a pending transaction.
     */
    @Override
    public void close(final boolean leaveTransactionOpen)
    {
        try
        {
            if (inTransaction && !leaveTransactionOpen)
            {
                sender.producer().abortTransaction();
            }
        }
        catch (final KafkaException e)
        {
            LOG.warn("transactional id '{}': aborting the open transaction at close failed (a restarted sink aborts it): {}", transactionalId,
                e.toString());
        }
        finally
        {
            sender.producer().close(Duration.ZERO);
        }
    }
}
