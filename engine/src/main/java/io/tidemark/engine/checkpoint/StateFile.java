package io.tidemark.engine.checkpoint;

import io.tidemark.engine.state.KeyGroupRange;
import java.util.Map;

/**
 * One subtask's state file, read back and checked.
 *
 * @param checkpointId the checkpoint it belongs to.
 * @param vertexId     the vertex.
 * @param subtask      the subtask.
 * @param parallelism  the vertex's parallelism then.
 * @param keyGroups    the key groups the subtask owned.
 * @param operators    each operator's snapshot bytes, by node id.
 * @param splits       the serialized source splits, or {@code null} for a subtask without a source.
 */
record StateFile(long checkpointId, int vertexId, int subtask, int parallelism, KeyGroupRange keyGroups, Map<Integer, byte[]> operators, byte[] splits)
{
}
