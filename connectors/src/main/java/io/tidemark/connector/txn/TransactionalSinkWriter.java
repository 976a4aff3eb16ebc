package io.tidemark.connector.txn;

import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

import io.tidemark.engine.sink.SinkWriter;

/**
 * One subtask of an exactly-once sink: each checkpoint's output in one transaction. The
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
public final class TransactionalSinkWriter<T> implements SinkWriter<T>
{
    private final Function<String, TransactionalProducer<T>> producers;
    private final SinkTransactionRecovery ids;
    private final TransactionalSinkState.Kind kind;
    private final int subtask;
    private final int parallelism;
    private final AutoCloseable shared;
    private final List<SinkTransaction<T>> pool = new ArrayList<>();
    private SinkTransaction<T> open;
    private long lastSnapshot = -1;

    /**
     * Opens the first transaction; call after {@link SinkTransactionRecovery#recover}.
     *
     * @param producers   makes the producer of a transactional id, its transactions initialized.
     * @param ids         names the subtask's transactional ids.
     * @param kind        the sink's kind, for its snapshots.
     * @param subtask     the subtask.
     * @param parallelism the sink's parallelism.
     * @param restored    the states the writer was restored from, empty for none.
     * @param shared      what the producers share (such as an admin client), closed after them.
     */
    public TransactionalSinkWriter(final Function<String, TransactionalProducer<T>> producers, final SinkTransactionRecovery ids,
        final TransactionalSinkState.Kind kind, final int subtask, final int parallelism, final List<TransactionalSinkState> restored,
        final AutoCloseable shared)
    {
        this.producers = producers;
        this.ids = ids;
        this.kind = kind;
        this.subtask = subtask;
        this.parallelism = parallelism;
        this.shared = shared;
        for (final TransactionalSinkState state : restored)
        {
            if (state.subtask() == subtask)
            {
                reserve(state);
            }
        }
        this.open = take();
    }

    /** Makes the slots of the ids the state had, those it names as pending taken until a later checkpoint completes. */
    private void reserve(final TransactionalSinkState state)
    {
        while (pool.size() < state.idsCreated())
        {
            pool.add(new SinkTransaction<>(ids.transactionalId(subtask, pool.size())));
        }
        for (final PendingTransaction pending : state.pending())
        {
            for (final SinkTransaction<T> transaction : pool)
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
        open.producer().send(value, timestamp);
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
            return;
        }
        open.producer().flush();
        open.pending(open.producer().pending(checkpointId));
        open = take();
    }

    @Override
    public void snapshotState(final long checkpointId, final DataOutput out) throws IOException
    {
        lastSnapshot = checkpointId;
        new TransactionalSinkState(checkpointId, subtask, parallelism, pool.size(), pending(Long.MAX_VALUE)).write(out, kind);
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
        for (final SinkTransaction<T> transaction : pool)
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
        }
        commitPending(Long.MAX_VALUE);
        if (open.records() > 0)
        {
            open.producer().commitTransaction("the end of the input");
            open.open();
        }
    }

    /**
     * Stops the producers: the open transaction is aborted (its records belong to no completed
     * checkpoint), pending ones stay open for a restarted sink to commit.
     *
     * @throws Exception if a producer or what they share cannot be closed.
     */
    @Override
    public void close() throws Exception
    {
        RuntimeException first = null;
        for (final SinkTransaction<T> transaction : pool)
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
        try
        {
            shared.close();
        }
        catch (final Exception e)
        {
            if (first == null)
            {
                throw e;
            }
            first.addSuppressed(e);
        }
        if (first != null)
        {
            throw first;
        }
    }

    private List<PendingTransaction> pending(final long upToCheckpoint)
    {
        final List<PendingTransaction> pending = new ArrayList<>();
        for (final SinkTransaction<T> transaction : pool)
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
            final SinkTransaction<T> transaction = pool.stream().filter(t -> t.transactionalId().equals(pending.transactionalId()))
                .findFirst().orElseThrow();
            transaction.producer().commitTransaction("checkpoint " + pending.checkpointId());
            transaction.committed(lastSnapshot);
        }
    }

    /** The lowest free id of the pool, or a new one; its transaction begun. */
    private SinkTransaction<T> take()
    {
        SinkTransaction<T> taken = null;
        for (final SinkTransaction<T> transaction : pool)
        {
            if (transaction.phase() == SinkTransaction.Phase.FREE)
            {
                taken = transaction;
                break;
            }
        }
        if (taken == null)
        {
            taken = new SinkTransaction<>(ids.transactionalId(subtask, pool.size()));
            pool.add(taken);
        }
        if (taken.producer() == null)
        {
            taken.start(producers.apply(taken.transactionalId()));
        }
        taken.open();
        return taken;
    }
}
