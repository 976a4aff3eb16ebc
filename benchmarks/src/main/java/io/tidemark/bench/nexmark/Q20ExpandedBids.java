package io.tidemark.bench.nexmark;

import io.tidemark.bench.nexmark.model.Auction;
import io.tidemark.bench.nexmark.model.AuctionBid;
import io.tidemark.bench.nexmark.model.Bid;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.KeyedCoProcessFunction;
import io.tidemark.engine.state.ListState;
import io.tidemark.engine.state.ListStateDescriptor;
import io.tidemark.engine.state.ValueStateDescriptor;

/**
 * Query 20, expand bid with auction: every bid on an auction of category 10, with its auction.
 * A regular (unwindowed) join on auction id, as the benchmark's SQL is: a bid is emitted as
 * soon as both have arrived, and an auction of category 10 is kept for good. Every auction
 * enters the join, not only those of category 10, so that a bid that comes before its auction
 * waits only until the auction arrives: one of another category leaves a marker and drops
 * the bids, which would otherwise wait forever (most bids, on a heap).
 */
public final class Q20ExpandedBids implements NexmarkQuery<AuctionBid>
{
    /** The category whose bids are expanded. */
    public static final long CATEGORY = 10;

    @Override
    public String name()
    {
        return "q20";
    }

    @Override
    public DataStream<AuctionBid> build(final DataStream<Event> events)
    {
        final DataStream<Auction> auctions = NexmarkQuery.auctions(events);
        return auctions.connect(NexmarkQuery.bids(events)).keyByLong(auction -> auction.id, bid -> bid.auction).process(new Expand()).name("q20");
    }

    /** Keeps each key's auction of category 10 (or a marker of another), and the bids that came before it. */
    private static final class Expand extends KeyedCoProcessFunction<Long, Auction, Bid, AuctionBid>
    {
        private static final long serialVersionUID = 1L;
        /** Stands for an auction of another category: its category is not {@link #CATEGORY}. */
        private static final Auction OTHER_CATEGORY = new Auction(0, null, null, 0, 0, 0, 0, 0, -1, null);
        private static final ValueStateDescriptor<Auction> AUCTION = new ValueStateDescriptor<>("auction");
        private static final ListStateDescriptor<Bid> EARLY = new ListStateDescriptor<>("bids-before-auction");

        @Override
        public void processElement1(final Auction auction, final Context<Long, AuctionBid> ctx, final Collector<AuctionBid> out) throws Exception
        {
            final boolean kept = auction.category == CATEGORY;
            ctx.getState(AUCTION).update(kept ? auction : OTHER_CATEGORY);
            final ListState<Bid> early = ctx.getState(EARLY);
            final Iterable<Bid> bids = early.get();
            if (bids != null)
            {
                if (kept)
                {
                    for (final Bid bid : bids)
                    {
                        out.collect(new AuctionBid(auction, bid));
                    }
                }
                early.clear();
            }
        }

        @Override
        public void processElement2(final Bid bid, final Context<Long, AuctionBid> ctx, final Collector<AuctionBid> out) throws Exception
        {
            final Auction auction = ctx.getState(AUCTION).value();
            if (auction == null)
            {
                ctx.getState(EARLY).add(bid);
            }
            else if (auction.category == CATEGORY)
            {
                out.collect(new AuctionBid(auction, bid));
            }
        }
    }
}
