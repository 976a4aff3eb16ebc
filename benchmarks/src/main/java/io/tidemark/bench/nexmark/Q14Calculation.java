package io.tidemark.bench.nexmark;

import io.tidemark.bench.nexmark.model.CalculatedBid;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.engine.api.DataStream;

/**
 * Query 14: the bids priced between 1 and 50 million euro cents (0.908 per dollar cent),
 * with the time of day classified and a user-defined function (how many 'c' the padding
 * holds) computed ({@link CalculatedBid#of}). Prices are exact: thousandths of a cent, as the
 * query's decimal.
 */
public final class Q14Calculation implements NexmarkQuery<CalculatedBid>
{
    @Override
    public String name()
    {
        return "q14";
    }

    @Override
    public DataStream<CalculatedBid> build(final DataStream<Event> events)
    {
        return NexmarkQuery.bids(events).filter(CalculatedBid::kept).map(CalculatedBid::of).name("q14");
    }
}
