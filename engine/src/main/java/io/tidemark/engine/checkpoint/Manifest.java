package io.tidemark.engine.checkpoint;

import io.tidemark.engine.state.KeyGroupRange;
import java.util.List;

/**
 * What a checkpoint's manifest records: the checkpoint, the graph it was taken of, and every
 * state file it consists of, with the length and checksum each file must have.
 *
 * @param checkpointId   the checkpoint.
 * @param timestamp      when it was triggered, epoch milliseconds.
 * @param maxParallelism the job's number of key groups.
 * @param vertices       the job's vertices.
 * @param files          one entry per subtask that wrote state; a subtask that had finished
 *                       before the barrier has none.
 */
record Manifest(long checkpointId, long timestamp, int maxParallelism, List<VertexEntry> vertices, List<FileEntry> files)
{
    /**
     * @param id          the vertex id.
     * @param parallelism its parallelism when the checkpoint was taken.
     * @param nodes       its chained nodes, head first.
     */
    record VertexEntry(int id, int parallelism, List<NodeEntry> nodes)
    {
    }

    /**
     * @param id   the stream node's id.
     * @param name its name.
     */
    record NodeEntry(int id, String name)
    {
    }

    /**
     * @param name        the file's name in the checkpoint directory.
     * @param vertexId    the vertex whose subtask wrote it.
     * @param subtask     the subtask.
     * @param parallelism the vertex's parallelism then.
     * @param keyGroups   the key groups the subtask owned.
     * @param length      the file's length in bytes.
     * @param crc         the CRC32C the file ends with.
     */
    record FileEntry(String name, int vertexId, int subtask, int parallelism, KeyGroupRange keyGroups, long length, int crc)
    {
    }

    /**
     * @return the bytes of state the checkpoint holds.
     */
    long stateBytes()
    {
        return files.stream().mapToLong(FileEntry::length).sum();
    }
}
