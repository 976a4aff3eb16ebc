package io.tidemark.engine.checkpoint;

import java.io.DataOutput;
import java.io.IOException;

/**
 * An operator's state as it stood at a barrier, captured on the task's thread and written
 * later on the checkpoint writer's thread, while the task goes on processing. The capture
 * must therefore not share anything the operator goes on changing: either the serialized
 * bytes, or a copy-on-write handover of the operator's structures.
 */
@FunctionalInterface
public interface OperatorSnapshot
{
    /** The snapshot of an operator without state. */
    OperatorSnapshot EMPTY = out -> { };

    /**
     * Writes the state in the operator's own format, the one its
     * {@link io.tidemark.engine.operator.OneInputOperator#restoreState} reads.
     *
     * @param out where to write.
     * @throws IOException if writing fails.
     */
    void writeTo(DataOutput out) throws IOException;
}
