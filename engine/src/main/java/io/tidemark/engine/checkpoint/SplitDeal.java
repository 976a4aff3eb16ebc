package io.tidemark.engine.checkpoint;

import io.tidemark.engine.source.SourceSplit;
import java.util.ArrayList;
import java.util.List;

/**
 * How a resuming source's splits are dealt to its subtasks, whether they come from a
 * checkpoint or from an at-most-once job's recorded positions: the old subtasks' splits are
 * interleaved back into the order fresh splits were dealt in (old subtask {@code k} read
 * splits {@code k, k + p', ...}), then every {@code p}-th goes to each new subtask, so that
 * resuming without rescaling gives every subtask the splits it had.
 */
public final class SplitDeal
{
    private SplitDeal()
    {
    }

    /**
     * @param perOldSubtask each old subtask's splits, in the order it read them.
     * @param subtask       a subtask of the resuming job.
     * @param parallelism   the resuming vertex's parallelism.
     * @return the splits that subtask reads.
     */
    public static List<SourceSplit> splitsFor(final List<List<SourceSplit>> perOldSubtask, final int subtask, final int parallelism)
    {
        final int total = perOldSubtask.stream().mapToInt(List::size).sum();
        final List<SourceSplit> all = new ArrayList<>(total);
        for (int round = 0; all.size() < total; round++)
        {
            for (final List<SourceSplit> splits : perOldSubtask)
            {
                if (round < splits.size())
                {
                    all.add(splits.get(round));
                }
            }
        }
        final List<SourceSplit> mine = new ArrayList<>();
        for (int i = subtask; i < all.size(); i += parallelism)
        {
            mine.add(all.get(i));
        }
        return mine;
    }
}
