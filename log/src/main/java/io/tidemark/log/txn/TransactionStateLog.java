package io.tidemark.log.txn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.tidemark.log.PartitionLog;
import io.tidemark.log.record.Record;
import io.tidemark.log.topic.LogManager;
import io.tidemark.log.topic.StateTopic;
import org.agrona.concurrent.EpochClock;

/**
 * The topic {@value TransactionCoordinator#TOPIC}: one record per change of a transactional
 * id (format in {@link TransactionMetadata}), in the partition of the id's hash. It keeps the
 * latest record of every id, as written, to rewrite them when it compacts a partition; a
 * write and the compaction of its partition hold the partition as their lock, so a rewrite
 * never puts back a value older than one written meanwhile.
 */
final class TransactionStateLog
{
    private static final int MIN_RECORDS_BEFORE_COMPACTION = 10_000;

    private final EpochClock clock;
    private final StateTopic topic;
    private final Map<String, StateTopic.Entry> latest = new ConcurrentHashMap<>();

    /**
     * Opens the topic if it exists; the first write creates it if not (as Kafka creates it at
     * the first transactional request), so that a server that never runs a transaction does not
     * make its partitions.
     *
     * @param logs the log manager that holds the topic.
     * @param partitionCount the partitions to create it with at its first write.
     * @param clock the wall clock, for the records' timestamps.
     */
    TransactionStateLog(final LogManager logs, final int partitionCount, final EpochClock clock)
    {
        this(logs, partitionCount, clock, MIN_RECORDS_BEFORE_COMPACTION);
    }

    /**
     * @param logs the log manager that holds the topic.
     * @param partitionCount the partitions to create it with at its first write.
     * @param clock the wall clock, for the records' timestamps.
     * @param minRecordsBeforeCompaction how many records a partition holds before it is
     *        compacted: small in tests of the compaction.
     */
    TransactionStateLog(final LogManager logs, final int partitionCount, final EpochClock clock, final long minRecordsBeforeCompaction)
    {
        this.clock = clock;
        this.topic = new StateTopic(logs, TransactionCoordinator.TOPIC, partitionCount, minRecordsBeforeCompaction, true);
    }

    /**
     * Replays the topic.
     *
     * @return the latest state of every id it holds.
     */
    Map<String, TransactionMetadata> load()
    {
        final Map<String, TransactionMetadata> loaded = new HashMap<>();
        for (final PartitionLog log : topic.partitions())
        {
            StateTopic.replay(log, batch ->
            {
                final Record record = batch.records();
                while (record.next())
                {
                    final byte[] key = record.key();
                    final String id = TransactionMetadata.transactionalId(key);
                    if (id == null)
                    {
                        continue; // a record kind this version does not know
                    }
                    final byte[] value = record.value();
                    if (value == null)
                    {
                        loaded.remove(id);
                        latest.remove(id);
                    }
                    else
                    {
                        loaded.put(id, TransactionMetadata.read(id, value));
                        latest.put(id, new StateTopic.Entry(key, value));
                    }
                }
            });
        }
        return loaded;
    }

    /**
     * Writes a state of an id, durable per the topic's flush policy when this returns.
     *
     * @param metadata the state.
     */
    void write(final TransactionMetadata metadata)
    {
        write(metadata.transactionalId(), new StateTopic.Entry(metadata.key(), metadata.value()));
    }

    /**
     * Forgets an id: writes its tombstone.
     *
     * @param transactionalId the id.
     */
    void forget(final String transactionalId)
    {
        write(transactionalId, new StateTopic.Entry(TransactionMetadata.key(transactionalId), null));
    }

    private void write(final String transactionalId, final StateTopic.Entry entry)
    {
        final PartitionLog log = topic.partitionFor(transactionalId);
        synchronized (log)
        {
            StateTopic.append(log, clock.time(), List.of(entry));
            if (entry.value() == null)
            {
                latest.remove(transactionalId);
            }
            else
            {
                latest.put(transactionalId, entry);
            }
            topic.compactIfDue(log, clock.time(), () ->
            {
                final List<StateTopic.Entry> live = new ArrayList<>();
                latest.forEach((id, kept) ->
                {
                    if (topic.partitionFor(id) == log)
                    {
                        live.add(kept);
                    }
                });
                return live;
            });
        }
    }
}
