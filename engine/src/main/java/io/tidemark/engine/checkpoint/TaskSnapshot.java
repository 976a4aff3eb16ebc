package io.tidemark.engine.checkpoint;

import io.tidemark.engine.state.KeyGroupRange;
import java.util.Map;

/**
 * What one subtask captured at a barrier, handed from the task's thread to the checkpoint
 * writer: each operator's snapshot by node id, and, for a subtask headed by a source, its
 * splits as they stood at the barrier (serialized with the source's split serializer: a
 * count, then each split).
 *
 * @param vertexId     the job vertex.
 * @param subtask      the subtask index.
 * @param parallelism  the vertex's parallelism when the snapshot was taken.
 * @param keyGroups    the key groups the subtask owned.
 * @param operators    each operator's snapshot, by {@link io.tidemark.engine.graph.StreamNode#id()}.
 * @param splits       the source splits, or {@code null} for a subtask without a source.
 * @param syncMillis   how long the task stopped processing to capture this.
 * @param alignmentMillis how long the task held inputs back for this barrier.
 */
public record TaskSnapshot(int vertexId, int subtask, int parallelism, KeyGroupRange keyGroups, Map<Integer, OperatorSnapshot> operators, byte[] splits,
                           long syncMillis, long alignmentMillis)
{
}
