package io.tidemark.engine.checkpoint;

import io.tidemark.engine.graph.JobGraph;
import io.tidemark.engine.graph.JobVertex;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint (or savepoint) whose manifest is written: every subtask's state is durable.
 * Restoring deals its state to the subtasks of a job of the same graph, possibly with other
 * parallelism.
 */
public final class CompletedCheckpoint
{
    /** Where a checkpoint's state files are read from: a directory, or memory. */
    @FunctionalInterface
    interface StateFiles
    {
        /**
         * @param entry the manifest's entry for a file.
         * @return the file's bytes, checked against the entry.
         * @throws IOException naming the file if it is missing, damaged or unreadable.
         */
        StateFile read(Manifest.FileEntry entry) throws IOException;
    }

    private final Manifest manifest;
    private final Path directory;
    private final StateFiles files;

    CompletedCheckpoint(final Manifest manifest, final Path directory, final StateFiles files)
    {
        this.manifest = manifest;
        this.directory = directory;
        this.files = files;
    }

    /**
     * @return the checkpoint id.
     */
    public long id()
    {
        return manifest.checkpointId();
    }

    /**
     * @return when it was triggered, epoch milliseconds.
     */
    public long timestamp()
    {
        return manifest.timestamp();
    }

    /**
     * @return its directory, or {@code null} for a checkpoint kept in memory.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * @return the bytes of state it holds.
     */
    public long sizeBytes()
    {
        return manifest.stateBytes();
    }

    /**
     * @return the job's number of key groups when the checkpoint was taken; a resuming job
     * must have the same.
     */
    public int maxParallelism()
    {
        return manifest.maxParallelism();
    }

    /**
     * Deals the state to one subtask of a job about to resume: for each operator of the
     * vertex, the snapshots it inherits (by key group for keyed operators, {@code j % p} for
     * the others), and for a source, its splits (all splits of the checkpointed job, dealt by
     * the order of their ids as fresh splits are).
     *
     * @param graph          the resuming job's graph; its node ids and names must match.
     * @param vertex         the vertex.
     * @param subtask        the subtask index in the resuming job.
     * @param maxParallelism the resuming job's number of key groups; must be the checkpoint's.
     * @return what that subtask restores.
     * @throws IOException if state cannot be read, or the graph does not match the checkpoint.
     */
    public TaskRestore restoreFor(final JobGraph graph, final JobVertex vertex, final int subtask, final int maxParallelism) throws IOException
    {
        return new StateAssignment(manifest, files, describe()).restoreFor(graph, vertex, subtask, maxParallelism);
    }

    /**
     * Reads every state file, so that a damaged one is found before a job resumes from it.
     *
     * @throws IOException naming the first file that is missing or damaged.
     */
    void verify() throws IOException
    {
        for (final Manifest.FileEntry entry : manifest.files())
        {
            files.read(entry);
        }
    }

    private String describe()
    {
        return "checkpoint " + id() + (directory == null ? "" : " (" + directory + ")");
    }

    @Override
    public String toString()
    {
        return describe();
    }
}
