package io.tidemark.bench.nexmark;

import io.tidemark.bench.nexmark.model.AuctionPrice;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.engine.api.DataStream;

/** Query 2: the auction and price of the bids on auctions whose id is a multiple of 123. */
public final class Q2Selection implements NexmarkQuery<AuctionPrice>
{
    /** The auctions selected are the multiples of this. */
    public static final long MODULUS = 123;

    @Override
    public String name()
    {
        return "q2";
    }

    @Override
    public DataStream<AuctionPrice> build(final DataStream<Event> events)
    {
        return NexmarkQuery.bids(events).filter(bid -> bid.auction % MODULUS == 0).map(bid -> new AuctionPrice(bid.auction, bid.price)).name("q2");
    }
}
