package io.tidemark.connector.log;

import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.tidemark.engine.sink.SinkWriter;
import io.tidemark.log.errors.LogException;
import io.tidemark.log.producer.Callback;
import io.tidemark.log.producer.Producer;
import io.tidemark.log.producer.ProducerConfig;
import io.tidemark.log.producer.ProducerRecord;
import io.tidemark.log.record.Header;
import io.tidemark.log.topic.LogManager;
import io.tidemark.log.txn.TransactionCoordinator;
import io.tidemark.log.txn.TransactionDescription;
import io.tidemark.log.txn.TransactionState;

/**
 * One subtask of the exactly-once log sink: each checkpoint's output in one transaction. The
 * records go into the open transaction; at a barrier it is flushed and set aside as pending
 * for that checkpoint, and the next transaction opens under another id of the subtask's pool
 * ({@code <prefix>-<subtask>-<k>}, the lowest free {@code k}, a new one when none is free).
 * When a checkpoint completes, every pending transaction of it or an earlier one commits. A
 * committed id is reused only once a later checkpoint completed, whose snapshot no longer
 * names it: a restart from a checkpoint that names it then commits that transaction, never a
 * newer one under the same producer epoch. The pool so holds about three ids. For the same
 * reason a restored writer leaves the ids its checkpoint named as pending alone until a
 * checkpoint of its own completes: restored once more from the same checkpoint, the sink finds
 * them as committed, not taken over.
 *
 * @param <T> the record type.
 */
final class TransactionalLogWriter<T> implements SinkWriter<T>
{
    private final LogManager logs;
    private final TransactionCoordinator transactions;
    private final ProducerConfig producerConfig;
    private final int transactionTimeoutMs;
    private final SinkTransactionRecovery ids;
    private final int subtask;
    private final int parallelism;
    private final String topic;
    private final LogSerializer<T> serializer;
    private final Header[] headers;
    private final List<SinkTransaction> pool = new ArrayList<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Callback onSent = (metadata, exception) ->
    {
        if (exception != null)
        {
            failure.compareAndSet(null, exception);
        }
    };
    private SinkTransaction open;
    private long lastSnapshot = -1;

    /**
     * Opens the first transaction.
     *
     * @param sink        the sink's settings.
     * @param ids         names the subtask's transactional ids.
     * @param subtask     the subtask.
     * @param parallelism the sink's parallelism.
     * @param serializer  this subtask's copy of the serializer.
     * @param restored    the states the writer was restored from, empty for none.
     */
    TransactionalLogWriter(final LogSink<T> sink, final SinkTransactionRecovery ids, final int subtask, final int parallelism,
        final LogSerializer<T> serializer, final List<LogSinkState> restored)
    {
        this.logs = sink.logs();
        this.transactions = sink.transactions();
        this.producerConfig = sink.producerConfig();
        this.transactionTimeoutMs = sink.transactionTimeoutMs();
        this.ids = ids;
        this.subtask = subtask;
        this.parallelism = parallelism;
        this.topic = sink.topic();
        this.headers = sink.headers();
        this.serializer = serializer;
        for (final LogSinkState state : restored)
        {
            if (state.subtask() == subtask)
            {
                reserve(state);
            }
        }
        this.open = take();
    }

    /** Makes the slots of the ids the state had, those it names as pending taken until a later checkpoint completes. */
    private void reserve(final LogSinkState state)
    {
        while (pool.size() < state.idsCreated())
        {
            pool.add(new SinkTransaction(ids.transactionalId(subtask, pool.size())));
        }
        for (final PendingTransaction pending : state.pending())
        {
            for (final SinkTransaction transaction : pool)
            {
                if (transaction.transactionalId().equals(pending.transactionalId()))
                {
                    transaction.committed(state.checkpointId());
                }
            }
        }
    }

    @Override
    public void write(final T value, final long timestamp)
    {
        checkFailure();
        open.producer().send(new ProducerRecord(topic, null, serializer.timestamp(value, timestamp), serializer.key(value),
            serializer.value(value), headers), onSent);
        open.recordSent();
    }

    /**
     * Flushes the open transaction and sets it aside for {@code checkpointId}; a transaction
     * that got no record stays open for the next checkpoint.
     *
     * @param checkpointId the checkpoint.
     * @throws IllegalStateException if a record could not be written or the transaction is no
     *         longer open (timed out, or fenced by another writer with the same prefix): the
     *         checkpoint is declined.
     */
    @Override
    public void preCommit(final long checkpointId)
    {
        if (open.records() == 0)
        {
            checkFailure();
            return;
        }
        open.producer().flush();
        checkFailure();
        final TransactionDescription described = transactions.describe(open.transactionalId());
        if (described.state() != TransactionState.ONGOING || described.producerId() != open.producer().producerId())
        {
            throw new IllegalStateException("transactional id '" + open.transactionalId() + "': the transaction of checkpoint " +
                checkpointId + " is no longer open (" + described.state().kafkaName() + ", producer " + described.producerId() +
                "): it ran past its timeout of " + transactionTimeoutMs + " ms or another writer uses the same transactional id prefix");
        }
        open.pending(new PendingTransaction(open.transactionalId(), described.producerId(), described.producerEpoch(), checkpointId));
        open = take();
    }

    @Override
    public void snapshotState(final long checkpointId, final DataOutput out) throws IOException
    {
        lastSnapshot = checkpointId;
        new LogSinkState(checkpointId, subtask, parallelism, pool.size(), pending(Long.MAX_VALUE)).write(out);
    }

    /**
     * Commits every transaction pending for {@code checkpointId} or an earlier checkpoint
     * (those of aborted checkpoints commit with the next that completes).
     *
     * @param checkpointId a completed checkpoint.
     */
    @Override
    public void commit(final long checkpointId)
    {
        commitPending(checkpointId);
        for (final SinkTransaction transaction : pool)
        {
            transaction.releaseIfUnnamed(checkpointId);
        }
    }

    /**
     * The end of the input: no checkpoint follows, so everything written commits now, pending
     * transactions and the open one.
     */
    @Override
    public void flush()
    {
        if (open.records() > 0)
        {
            open.producer().flush();
            checkFailure();
        }
        commitPending(Long.MAX_VALUE);
        if (open.records() > 0)
        {
            commitOrFail(open, "the end of the input");
            open.open();
        }
    }

    /**
     * Stops the producers: the open transaction is aborted (its records belong to no completed
     * checkpoint), pending ones stay open for a restarted sink to commit.
     */
    @Override
    public void close()
    {
        RuntimeException first = null;
        for (final SinkTransaction transaction : pool)
        {
            try
            {
                transaction.close();
            }
            catch (final RuntimeException e)
            {
                if (first == null)
                {
                    first = e;
                }
                else
                {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null)
        {
            throw first;
        }
    }

    private List<PendingTransaction> pending(final long upToCheckpoint)
    {
        final List<PendingTransaction> pending = new ArrayList<>();
        for (final SinkTransaction transaction : pool)
        {
            if (transaction.phase() == SinkTransaction.Phase.PENDING && transaction.pendingTransaction().checkpointId() <= upToCheckpoint)
            {
                pending.add(transaction.pendingTransaction());
            }
        }
        pending.sort(Comparator.comparingLong(PendingTransaction::checkpointId));
        return pending;
    }

    private void commitPending(final long upToCheckpoint)
    {
        for (final PendingTransaction pending : pending(upToCheckpoint))
        {
            final SinkTransaction transaction = pool.stream().filter(t -> t.transactionalId().equals(pending.transactionalId())).findFirst()
                .orElseThrow();
            commitOrFail(transaction, "checkpoint " + pending.checkpointId());
            transaction.committed(lastSnapshot);
        }
    }

    private void commitOrFail(final SinkTransaction transaction, final String what)
    {
        try
        {
            transaction.producer().commitTransaction();
        }
        catch (final LogException e)
        {
            throw new IllegalStateException("transactional id '" + transaction.transactionalId() + "': committing the output of " + what +
                " failed: " + e.getMessage(), e);
        }
    }

    /** The lowest free id of the pool, or a new one; its transaction begun. */
    private SinkTransaction take()
    {
        SinkTransaction taken = null;
        for (final SinkTransaction transaction : pool)
        {
            if (transaction.phase() == SinkTransaction.Phase.FREE)
            {
                taken = transaction;
                break;
            }
        }
        if (taken == null)
        {
            taken = new SinkTransaction(ids.transactionalId(subtask, pool.size()));
            pool.add(taken);
        }
        if (taken.producer() == null)
        {
            final Producer producer = new Producer(logs, transactions, null, producerConfig.withTransactionalId(taken.transactionalId(),
                transactionTimeoutMs));
            try
            {
                producer.initTransactions();
            }
            catch (final RuntimeException e)
            {
                producer.close();
                throw e;
            }
            taken.start(producer);
        }
        taken.open();
        return taken;
    }

    private void checkFailure()
    {
        final Exception exception = failure.get();
        if (exception != null)
        {
            throw new IllegalStateException("writing to topic '" + topic + "' failed: " + exception, exception);
        }
    }
}
