package io.tidemark.log.producer;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.tidemark.log.TopicPartition;
import io.tidemark.log.TransactionResult;
import io.tidemark.log.consumer.ConsumerGroupMetadata;
import io.tidemark.log.errors.ConcurrentTransactionsException;
import io.tidemark.log.errors.LogException;
import io.tidemark.log.errors.ProducerFencedException;
import io.tidemark.log.errors.TransactionAbortedException;
import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.group.OffsetAndMetadata;
import io.tidemark.log.txn.ProducerIdAndEpoch;
import io.tidemark.log.txn.TransactionCoordinator;

/**
 * A transactional producer's side of its transactions, Kafka's client state machine: which
 * calls are allowed when, the producer id and epoch from the coordinator, and the partitions
 * and groups the open transaction has told the coordinator of. An error in a transaction makes
 * it abortable; being fenced by a newer instance is final.
 */
final class TransactionManager
{
    /** Kafka's names of the client's transaction states. */
    enum State
    {
        UNINITIALIZED, READY, IN_TRANSACTION, COMMITTING_TRANSACTION, ABORTING_TRANSACTION, ABORTABLE_ERROR, FATAL_ERROR
    }

    private static final long RETRY_BACKOFF_MS = 10;

    private final String transactionalId;
    private final int timeoutMs;
    private final long maxBlockMs;
    private final TransactionCoordinator coordinator;
    private final GroupCoordinator groups;
    private volatile State state = State.UNINITIALIZED;
    private volatile ProducerIdAndEpoch producer;
    /** Why the transaction became abortable or the producer unusable; null while neither. */
    private volatile RuntimeException error;
    /** Partitions the coordinator has in the open transaction: read without a lock on every send. */
    private final Set<TopicPartition> added = ConcurrentHashMap.newKeySet();
    /** Partitions sent to but not yet added: the next addition takes them all in one durable write. Guarded by this. */
    private final Set<TopicPartition> pending = new LinkedHashSet<>();
    /** Groups whose offsets the open transaction commits. Guarded by this. */
    private final Set<String> groupsAdded = new HashSet<>();

    TransactionManager(final ProducerConfig config, final TransactionCoordinator coordinator, final GroupCoordinator groups)
    {
        this.transactionalId = config.transactionalId();
        this.timeoutMs = config.transactionTimeoutMs();
        this.maxBlockMs = config.maxBlockMs();
        this.coordinator = coordinator;
        this.groups = groups;
    }

    /**
     * @return the producer id and epoch batches carry; null before {@link #initialize}.
     */
    ProducerIdAndEpoch producer()
    {
        return producer;
    }

    synchronized void initialize()
    {
        requireState("initTransactions", State.UNINITIALIZED);
        producer = call(() -> coordinator.initProducerId(transactionalId, timeoutMs, null));
        state = State.READY;
    }

    synchronized void begin()
    {
        transition("beginTransaction", State.IN_TRANSACTION, State.READY);
        added.clear();
        pending.clear();
        groupsAdded.clear();
    }

    /**
     * Checks that a record may be sent now and notes its partition for the coordinator.
     * Called on every send, so the common case (the partition is in the transaction already)
     * takes no lock.
     */
    void recordSent(final TopicPartition partition)
    {
        if (state != State.IN_TRANSACTION)
        {
            failIfError();
            throw new IllegalStateException("transactional id '" + transactionalId + "': cannot send in state " + state +
                (state == State.UNINITIALIZED ? "; call initTransactions first" : "; call beginTransaction first"));
        }
        if (!added.contains(partition))
        {
            synchronized (this)
            {
                if (!added.contains(partition))
                {
                    pending.add(partition);
                }
            }
        }
    }

    /**
     * Makes sure the coordinator has a batch's partition in the transaction before the batch
     * is written: Kafka's AddPartitionsToTxn, for every partition sent to so far at once.
     *
     * @throws LogException why the batch must not be written.
     */
    void beforeWrite(final TopicPartition partition)
    {
        final State current = state;
        if (current != State.IN_TRANSACTION && current != State.COMMITTING_TRANSACTION)
        {
            failIfError();
            throw new TransactionAbortedException("transactional id '" + transactionalId + "': the batch for " + partition +
                " was not written because the transaction is being aborted");
        }
        if (added.contains(partition))
        {
            return;
        }
        synchronized (this)
        {
            if (!added.contains(partition))
            {
                pending.add(partition);
                final List<TopicPartition> partitions = List.copyOf(pending);
                call(() ->
                {
                    coordinator.addPartitions(transactionalId, producer, partitions);
                    return null;
                });
                added.addAll(partitions);
                pending.clear();
            }
        }
    }

    /**
     * Records that a batch of the transaction failed: the transaction can only be aborted now.
     */
    void batchFailed(final RuntimeException exception)
    {
        if (exception instanceof ProducerFencedException fenced)
        {
            fail(fenced);
        }
        else if (!(exception instanceof TransactionAbortedException))
        {
            abortable(exception);
        }
    }

    synchronized void sendOffsets(final Map<TopicPartition, OffsetAndMetadata> offsets, final ConsumerGroupMetadata group)
    {
        requireState("sendOffsetsToTransaction", State.IN_TRANSACTION);
        if (groups == null)
        {
            throw new IllegalStateException("transactional id '" + transactionalId + "': sendOffsetsToTransaction needs the group coordinator");
        }
        call(() ->
        {
            if (!groupsAdded.contains(group.groupId()))
            {
                coordinator.addOffsets(transactionalId, producer, group.groupId());
                groupsAdded.add(group.groupId());
            }
            groups.commitTransactionalOffsets(group.groupId(), producer.producerId(), producer.epoch(), group.generationId(),
                group.memberId(), offsets);
            return null;
        });
    }

    synchronized void beginCommit()
    {
        transition("commitTransaction", State.COMMITTING_TRANSACTION, State.IN_TRANSACTION);
    }

    synchronized void beginAbort()
    {
        if (state == State.FATAL_ERROR)
        {
            failIfError();
        }
        transition("abortTransaction", State.ABORTING_TRANSACTION, State.IN_TRANSACTION, State.ABORTABLE_ERROR);
        error = null;
    }

    /**
     * Ends the transaction at the coordinator, if it began there: a transaction that wrote
     * nothing and committed no offsets has nothing to end. The producer's sequence numbers go
     * on across transactions of one epoch, as Kafka's do: a marker does not reset them.
     */
    synchronized void end(final TransactionResult result)
    {
        if (result == TransactionResult.COMMIT)
        {
            failIfError(); // a batch of the transaction failed while it was being flushed
        }
        final boolean began = !added.isEmpty() || !groupsAdded.isEmpty();
        if (began)
        {
            call(() ->
            {
                coordinator.endTransaction(transactionalId, producer, result);
                return null;
            });
        }
        added.clear();
        pending.clear();
        groupsAdded.clear();
        state = State.READY;
    }

    /**
     * @return whether a transaction is open, so closing the producer should abort it.
     */
    boolean inTransaction()
    {
        final State current = state;
        return current == State.IN_TRANSACTION || current == State.ABORTABLE_ERROR;
    }

    /**
     * Calls the coordinator, retrying while a previous end is still being completed, and turns
     * its errors into the producer's state: fenced is final, anything else abortable.
     */
    private <T> T call(final Supplier<T> request)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxBlockMs);
        while (true)
        {
            try
            {
                return request.get();
            }
            catch (final ConcurrentTransactionsException e)
            {
                if (System.nanoTime() - deadline >= 0)
                {
                    throw abortable(e);
                }
                pause();
            }
            catch (final ProducerFencedException e)
            {
                throw fail(e);
            }
            catch (final LogException e)
            {
                throw abortable(e);
            }
        }
    }

    private static void pause()
    {
        try
        {
            Thread.sleep(RETRY_BACKOFF_MS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new LogException("interrupted while the transaction coordinator was busy");
        }
    }

    private LogException fail(final ProducerFencedException e)
    {
        error = e;
        state = State.FATAL_ERROR;
        return e;
    }

    private synchronized RuntimeException abortable(final RuntimeException e)
    {
        final State current = state;
        if (current == State.IN_TRANSACTION || current == State.COMMITTING_TRANSACTION || current == State.ABORTING_TRANSACTION)
        {
            error = e;
            state = State.ABORTABLE_ERROR;
        }
        return e;
    }

    private void requireState(final String call, final State required)
    {
        if (state != required)
        {
            failIfError();
            throw new IllegalStateException("transactional id '" + transactionalId + "': cannot call " + call + " in state " + state);
        }
    }

    private void transition(final String call, final State target, final State... from)
    {
        for (final State source : from)
        {
            if (state == source)
            {
                state = target;
                return;
            }
        }
        failIfError();
        throw new IllegalStateException("transactional id '" + transactionalId + "': cannot call " + call + " in state " + state);
    }

    /** Kafka's maybeFailWithError: a call after an error reports the error, not the state. */
    private void failIfError()
    {
        final RuntimeException cause = error;
        if (cause == null)
        {
            return;
        }
        if (state == State.FATAL_ERROR)
        {
            throw new ProducerFencedException("transactional id '" + transactionalId + "' with " + producer +
                " has been fenced by a newer instance with the same transactional id: close this producer (" + cause.getMessage() + ")");
        }
        if (state == State.ABORTABLE_ERROR)
        {
            throw new LogException("transactional id '" + transactionalId + "': the transaction failed and can only be aborted: " +
                cause.getMessage(), cause);
        }
    }
}
