package io.tidemark.engine.checkpoint;

import io.tidemark.engine.source.SourceSplit;
import java.io.DataInput;
import java.util.List;
import java.util.Map;

/**
 * What one subtask of a resuming job restores.
 *
 * @param operators each operator's inherited snapshots, by node id; an operator absent or
 *                  with an empty list starts empty.
 * @param splits    for a source subtask, the splits it reads, positioned where the checkpoint
 *                  left them; {@code null} for a subtask without a source.
 */
public record TaskRestore(Map<Integer, List<DataInput>> operators, List<SourceSplit> splits)
{
}
