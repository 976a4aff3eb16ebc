package io.tidemark.engine.checkpoint;

import io.tidemark.engine.operator.AbstractOperator;
import java.util.HashMap;
import java.util.Map;

/**
 * Chained right after a source: passes every record on and counts, by key, what it passed;
 * at each barrier it tells the ledger, which so learns exactly what the source emitted
 * before that barrier.
 */
final class Tally extends AbstractOperator<Long, Long>
{
    private final Ledger ledger;
    private final int keys;
    private final Map<Long, Long> counts = new HashMap<>();

    Tally(final Ledger ledger, final int keys)
    {
        this.ledger = ledger;
        this.keys = keys;
    }

    @Override
    public void processElement(final Long value, final long timestamp)
    {
        counts.merge(KeyedCounter.keyOf(value, keys), 1L, Long::sum);
        output.collect(value, timestamp);
    }

    @Override
    public OperatorSnapshot snapshot(final long checkpointId)
    {
        ledger.upstream(checkpointId, counts);
        return OperatorSnapshot.EMPTY;
    }
}
