package io.tidemark.engine.checkpoint;

import io.tidemark.engine.graph.JobGraph;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where checkpoints live on disk (or in memory when a job has no directory): one directory per
 * checkpoint, one state file per subtask, and a manifest written last, so that a checkpoint
 * without a manifest never counts as complete. Keeps the last N completed checkpoints.
 * The format is documented in the project's architecture notes.
 */
public final class CheckpointStorage
{
    /**
     * @param directory where checkpoints go, or {@code null} to keep them in memory.
     * @param retained  how many completed checkpoints to keep.
     * @return the storage.
     * @throws IOException if the directory cannot be created or read.
     */
    public static CheckpointStorage open(final Path directory, final int retained) throws IOException
    {
        throw new UnsupportedOperationException("BASE SKELETON");
    }

    /**
     * Writes one subtask's snapshot of a checkpoint in progress. Called on the writer's
     * thread, never on a task's.
     *
     * @param checkpointId the checkpoint.
     * @param snapshot     the subtask's snapshot.
     * @return the bytes written.
     * @throws IOException if writing fails; the checkpoint is then aborted.
     */
    public long write(final long checkpointId, final TaskSnapshot snapshot) throws IOException
    {
        throw new UnsupportedOperationException("BASE SKELETON");
    }

    /**
     * Completes a checkpoint whose every subtask was written: writes its manifest (last, and
     * durably), then deletes completed checkpoints beyond the retained count (never a
     * savepoint stored elsewhere).
     *
     * @param checkpointId the checkpoint.
     * @param timestamp    when it was triggered.
     * @param graph        the job's graph, whose vertices and parallelism the manifest records.
     * @param maxParallelism the job's number of key groups.
     * @return the completed checkpoint.
     * @throws IOException if the manifest cannot be written; the checkpoint is then aborted.
     */
    public CompletedCheckpoint complete(final long checkpointId, final long timestamp, final JobGraph graph, final int maxParallelism)
        throws IOException
    {
        throw new UnsupportedOperationException("BASE SKELETON");
    }

    /**
     * Drops what was written of an aborted checkpoint.
     *
     * @param checkpointId the checkpoint.
     */
    public void discard(final long checkpointId)
    {
        throw new UnsupportedOperationException("BASE SKELETON");
    }

    /**
     * @return the latest completed checkpoint, if any; a checkpoint whose manifest is missing
     * or damaged is skipped (and said so in the log) for the one before it.
     * @throws IOException if the directory cannot be read.
     */
    public Optional<CompletedCheckpoint> latest() throws IOException
    {
        throw new UnsupportedOperationException("BASE SKELETON");
    }

    /**
     * @param checkpointDirectory the directory of one completed checkpoint or savepoint.
     * @return it.
     * @throws IOException if it has no readable manifest.
     */
    public static CompletedCheckpoint load(final Path checkpointDirectory) throws IOException
    {
        throw new UnsupportedOperationException("BASE SKELETON");
    }
}
