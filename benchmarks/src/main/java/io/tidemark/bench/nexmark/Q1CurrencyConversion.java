package io.tidemark.bench.nexmark;

import io.tidemark.bench.nexmark.model.Bid;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.engine.api.DataStream;

/** Query 1: every bid with its price converted from dollars to euros (0.908, cents rounded down). */
public final class Q1CurrencyConversion implements NexmarkQuery<Bid>
{
    /**
     * @param bid a bid priced in dollars.
     * @return the same bid priced in euros.
     */
    public static Bid inEuros(final Bid bid)
    {
        return new Bid(bid.auction, bid.bidder, bid.price * 908 / 1000, bid.channel, bid.url, bid.dateTime, bid.extra);
    }

    @Override
    public String name()
    {
        return "q1";
    }

    @Override
    public DataStream<Bid> build(final DataStream<Event> events)
    {
        return NexmarkQuery.bids(events).map(Q1CurrencyConversion::inEuros).name("q1");
    }
}
