package io.tidemark.bench.nexmark;

import io.tidemark.bench.nexmark.model.Bid;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.engine.api.DataStream;

/** Query 1: every bid with its price converted from dollars to euros (0.908, cents rounded down). */
public final class Q1CurrencyConversion implements NexmarkQuery<Bid>
{
    @Override
    public String name()
    {
        return "q1";
    }

    @Override
    public DataStream<Bid> build(final DataStream<Event> events)
    {
        return NexmarkQuery.bids(events).map(Bid::inEuros).name("q1");
    }
}
