package io.tidemark.engine.source;

/**
 * Reads one split, a batch at a time, on the source task's thread. Must not block for long:
 * the task interleaves reads of all its splits with watermark generation, timers and
 * flushing.
 *
 * @param <T> the record type.
 */
public interface SplitReader<T>
{
    /**
     * Emits the records available now, up to a batch.
     *
     * @param output where to emit.
     * @return whether more may follow at once, nothing is available, or the split ended.
     * @throws Exception to fail the job.
     */
    ReadStatus read(SourceOutput<T> output) throws Exception;

    /**
     * @return the split as it stands now: a reader created for it reads on from the first
     * record this reader has not emitted. What a checkpoint stores per split at the barrier.
     * @throws UnsupportedOperationException if the reader cannot say, which makes a
     *         checkpointed job fail at its first checkpoint.
     */
    default SourceSplit currentSplit()
    {
        throw new UnsupportedOperationException(getClass().getName() + " cannot say where it stands, so it cannot be checkpointed");
    }

    /**
     * A checkpoint that stored this reader's split completed: the place to tell an outside
     * system how far the job has read for good (a Kafka source commits the offsets to its
     * group). Called on the task's thread between two reads, for a reader still open; a reader
     * that misses a notification (an aborted checkpoint, a failover) gets a later one.
     *
     * @param checkpointId the completed checkpoint.
     * @param split        the split as that checkpoint stored it.
     * @throws Exception to fail the job.
     */
    default void notifyCheckpointComplete(final long checkpointId, final SourceSplit split) throws Exception
    {
    }

    /**
     * Releases the reader's resources, once its split has ended or the job stops.
     *
     * @throws Exception if releasing fails.
     */
    default void close() throws Exception
    {
    }
}
