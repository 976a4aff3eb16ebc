package io.tidemark.engine.source;

import io.tidemark.engine.state.Serializers;
import io.tidemark.engine.state.TypeSerializer;

import java.util.List;

/**
 * Where a job's records come from. At job start the source is cut into splits, split
 * {@code i} goes to subtask {@code i % parallelism}, and each subtask reads its splits with
 * one {@link SplitReader} each. A subtask with no split is idle from the start.
 *
 * @param <T> the record type.
 * @param <S> the split type.
 */
public interface Source<T, S extends SourceSplit>
{
    /**
     * @param parallelism the source's parallelism, a hint for how finely to cut.
     * @return the splits.
     */
    List<S> createSplits(int parallelism);

    /**
     * @param split a split of this source.
     * @return a reader positioned at its start.
     * @throws Exception if the split cannot be opened.
     */
    SplitReader<T> createReader(S split) throws Exception;

    /**
     * @return how checkpoints store this source's splits; by default
     * {@link io.tidemark.engine.state.Serializers#any()}, which handles records of common
     * types and {@link java.io.Serializable} splits.
     */
    default TypeSerializer<S> splitSerializer()
    {
        return Serializers.any();
    }

    /**
     * @return whether every split ends; an unbounded job runs until cancelled.
     */
    boolean isBounded();
}
