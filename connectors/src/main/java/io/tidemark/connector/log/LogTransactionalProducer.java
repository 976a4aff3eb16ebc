package io.tidemark.connector.log;

import java.util.concurrent.atomic.AtomicReference;

import io.tidemark.connector.txn.PendingTransaction;
import io.tidemark.connector.txn.TransactionalProducer;
import io.tidemark.log.errors.LogException;
import io.tidemark.log.producer.Callback;
import io.tidemark.log.producer.Producer;
import io.tidemark.log.producer.ProducerRecord;
import io.tidemark.log.txn.TransactionDescription;
import io.tidemark.log.txn.TransactionState;

/**
 * The embedded transactional producer of one transactional id of the exactly-once log sink.
 *
 * @param <T> the record type.
 */
final class LogTransactionalProducer<T> implements TransactionalProducer<T>
{
    private final LogSink<T> sink;
    private final LogSerializer<T> serializer;
    private final String transactionalId;
    private final Producer producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Callback onSent = (metadata, exception) ->
    {
        if (exception != null)
        {
            failure.compareAndSet(null, exception);
        }
    };

    /**
     * Makes the producer and initializes its transactions (fencing earlier instances of the id).
     *
     * @param sink            the sink's settings.
     * @param serializer      the subtask's copy of the serializer.
     * @param transactionalId the id.
     */
    LogTransactionalProducer(final LogSink<T> sink, final LogSerializer<T> serializer, final String transactionalId)
    {
        this.sink = sink;
        this.serializer = serializer;
        this.transactionalId = transactionalId;
        final Producer made = new Producer(sink.logs(), sink.transactions(), null, sink.producerConfig().withTransactionalId(transactionalId,
            sink.transactionTimeoutMs()));
        try
        {
            made.initTransactions();
        }
        catch (final RuntimeException e)
        {
            made.close();
            throw e;
        }
        this.producer = made;
    }

    @Override
    public void beginTransaction()
    {
        producer.beginTransaction();
    }

    @Override
    public void send(final T value, final long timestamp)
    {
        checkFailure();
        producer.send(new ProducerRecord(sink.topic(), null, serializer.timestamp(value, timestamp), serializer.key(value),
            serializer.value(value), sink.headers()), onSent);
    }

    @Override
    public void flush()
    {
        producer.flush();
        checkFailure();
    }

    @Override
    public PendingTransaction pending(final long checkpointId)
    {
        final TransactionDescription described = sink.transactions().describe(transactionalId);
        if (described.state() != TransactionState.ONGOING || described.producerId() != producer.producerId())
        {
            throw new IllegalStateException("transactional id '" + transactionalId + "': the transaction of checkpoint " +
                checkpointId + " is no longer open (" + described.state().kafkaName() + ", producer " + described.producerId() +
                "): it ran past its timeout of " + sink.transactionTimeoutMs() + " ms or another writer uses the same transactional id prefix");
        }
        return new PendingTransaction(transactionalId, described.producerId(), described.producerEpoch(), checkpointId);
    }

    @Override
    public void commitTransaction(final String what)
    {
        try
        {
            producer.commitTransaction();
        }
        catch (final LogException e)
        {
            throw new IllegalStateException("transactional id '" + transactionalId + "': committing the output of " + what +
                " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close(final boolean leaveTransactionOpen)
    {
        if (leaveTransactionOpen)
        {
            producer.closeLeavingTransactionOpen();
        }
        else
        {
            producer.close();
        }
    }

    private void checkFailure()
    {
        final Exception exception = failure.get();
        if (exception != null)
        {
            throw new IllegalStateException("writing to topic '" + sink.topic() + "' failed: " + exception, exception);
        }
    }
}
