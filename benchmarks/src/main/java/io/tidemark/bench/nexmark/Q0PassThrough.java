package io.tidemark.bench.nexmark;

import io.tidemark.bench.nexmark.model.Bid;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.engine.api.DataStream;

/** Query 0: every bid, unchanged; what reading and handing over the stream costs. */
public final class Q0PassThrough implements NexmarkQuery<Bid>
{
    @Override
    public String name()
    {
        return "q0";
    }

    @Override
    public DataStream<Bid> build(final DataStream<Event> events)
    {
        return NexmarkQuery.bids(events);
    }
}
