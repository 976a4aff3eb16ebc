package io.tidemark.engine.operator;

import io.tidemark.engine.state.KeyGroupRange;
import io.tidemark.engine.state.KeyGroups;
import io.tidemark.engine.state.KeyedStateBackend;
import io.tidemark.engine.state.Serializers;
import io.tidemark.engine.time.Clock;

/**
 * What an operator subtask knows about where it runs: its name, index and parallelism, the
 * key groups it owns, processing time, and its metrics; and the factory for its keyed state.
 */
public final class OperatorContext
{
    private final String operatorName;
    private final int subtaskIndex;
    private final int parallelism;
    private final int maxParallelism;
    private final Clock clock;
    private final OperatorMetrics metrics;

    /**
     * @param operatorName   the operator's name.
     * @param subtaskIndex   this subtask's index.
     * @param parallelism    the operator's parallelism.
     * @param maxParallelism the number of key groups.
     * @param clock          processing time.
     * @param metrics        where the subtask reports.
     */
    public OperatorContext(final String operatorName, final int subtaskIndex, final int parallelism, final int maxParallelism, final Clock clock,
        final OperatorMetrics metrics)
    {
        this.operatorName = operatorName;
        this.subtaskIndex = subtaskIndex;
        this.parallelism = parallelism;
        this.maxParallelism = maxParallelism;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * @return the operator's name.
     */
    public String operatorName()
    {
        return operatorName;
    }

    /**
     * @return this subtask's index, from 0.
     */
    public int subtaskIndex()
    {
        return subtaskIndex;
    }

    /**
     * @return the operator's parallelism.
     */
    public int parallelism()
    {
        return parallelism;
    }

    /**
     * @return the number of key groups.
     */
    public int maxParallelism()
    {
        return maxParallelism;
    }

    /**
     * @return processing time.
     */
    public Clock clock()
    {
        return clock;
    }

    /**
     * @return this subtask's metrics.
     */
    public OperatorMetrics metrics()
    {
        return metrics;
    }

    /**
     * @return the key groups this subtask owns.
     */
    public KeyGroupRange keyGroupRange()
    {
        return KeyGroups.rangeFor(maxParallelism, parallelism, subtaskIndex);
    }

    /**
     * @return a new, empty keyed state backend for this subtask's key groups, whose keys are
     * snapshotted with {@link Serializers#any()}.
     */
    public KeyedStateBackend createKeyedStateBackend()
    {
        return new KeyedStateBackend(maxParallelism, keyGroupRange(), Serializers.any());
    }
}
