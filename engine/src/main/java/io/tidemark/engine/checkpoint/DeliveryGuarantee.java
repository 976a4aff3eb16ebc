package io.tidemark.engine.checkpoint;

/**
 * What a job promises about each input record's effect on its output after a failure, chosen
 * per job in its {@link CheckpointConfig}.
 */
public enum DeliveryGuarantee
{
    /**
     * Nothing is replayed: each source subtask records how far it has read before it hands
     * the records on, and a restarted job starts there with empty state. Records in flight
     * at a crash are lost; none is counted twice.
     */
    AT_MOST_ONCE,
    /**
     * Barriers without alignment: a task snapshots when the last of its inputs delivers the
     * barrier, having processed records of the inputs that delivered it earlier. Recovery
     * replays from the checkpoint's positions, so an output may be written twice; nothing is
     * lost.
     */
    AT_LEAST_ONCE,
    /**
     * Aligned barriers: an input that delivered barrier N is held until every input has, so
     * each snapshot holds exactly the effect of the records before the barrier. With a
     * transactional sink, each checkpoint's output is committed when the checkpoint
     * completes and never otherwise.
     */
    EXACTLY_ONCE
}
