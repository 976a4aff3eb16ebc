package io.tidemark.bench.nexmark;

import io.tidemark.bench.nexmark.model.Auction;
import io.tidemark.bench.nexmark.model.AuctionBid;
import io.tidemark.bench.nexmark.model.Bid;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.KeyedCoProcessFunction;
import io.tidemark.engine.state.ListStateDescriptor;
import io.tidemark.engine.state.ValueState;
import io.tidemark.engine.state.ValueStateDescriptor;

/**
 * Query 9, winning bids: each auction with its winning bid, the highest of the bids made while
 * it was open (then the earliest, see {@link AuctionBid#beats}), emitted once, when the
 * watermark passes the auction's expiry; an auction without such a bid gives nothing. Auctions
 * and bids meet keyed by auction id: the key keeps its auction and best bid until the expiry
 * timer fires, then nothing. A bid that comes before its auction waits with an event-time timer
 * at its own time: an auction it can win opened before it, so if none has come when the
 * watermark passes the bid, none will and the bid is dropped; so are the bids that come after
 * their auction closed.
 */
public final class Q9WinningBids implements NexmarkQuery<AuctionBid>
{
    @Override
    public String name()
    {
        return "q9";
    }

    @Override
    public DataStream<AuctionBid> build(final DataStream<Event> events)
    {
        return winningBids(events).name("q9");
    }

    /**
     * @param events the stream of all events.
     * @return each auction with its winning bid, once it closed (queries 9, 4 and 6).
     */
    static DataStream<AuctionBid> winningBids(final DataStream<Event> events)
    {
        final DataStream<Auction> auctions = NexmarkQuery.auctions(events);
        return auctions.connect(NexmarkQuery.bids(events)).keyByLong(auction -> auction.id, bid -> bid.auction).process(new HighestBid());
    }

    /** Keeps each open auction's best bid, and the bids that came before their auction. */
    private static final class HighestBid extends KeyedCoProcessFunction<Long, Auction, Bid, AuctionBid>
    {
        private static final long serialVersionUID = 1L;
        private static final ValueStateDescriptor<Auction> AUCTION = new ValueStateDescriptor<>("auction");
        private static final ValueStateDescriptor<Bid> BEST = new ValueStateDescriptor<>("best-bid");
        private static final ListStateDescriptor<Bid> EARLY = new ListStateDescriptor<>("bids-before-auction");

        @Override
        public void processElement1(final Auction auction, final Context<Long, AuctionBid> ctx, final Collector<AuctionBid> out) throws Exception
        {
            ctx.getState(AUCTION).update(auction);
            ctx.timerService().registerEventTimeTimer(auction.expires);
            final Iterable<Bid> early = ctx.getState(EARLY).get();
            if (early != null)
            {
                for (final Bid bid : early)
                {
                    offer(auction, bid, ctx);
                }
                ctx.getState(EARLY).clear();
            }
        }

        @Override
        public void processElement2(final Bid bid, final Context<Long, AuctionBid> ctx, final Collector<AuctionBid> out) throws Exception
        {
            final Auction auction = ctx.getState(AUCTION).value();
            if (auction == null)
            {
                ctx.getState(EARLY).add(bid);
                ctx.timerService().registerEventTimeTimer(bid.dateTime);
            }
            else
            {
                offer(auction, bid, ctx);
            }
        }

        @Override
        public void onTimer(final long timestamp, final Context<Long, AuctionBid> ctx, final Collector<AuctionBid> out) throws Exception
        {
            final ValueState<Auction> state = ctx.getState(AUCTION);
            final Auction auction = state.value();
            if (auction == null)
            {
                ctx.getState(EARLY).clear();
            }
            else if (timestamp == auction.expires)
            {
                final ValueState<Bid> best = ctx.getState(BEST);
                if (best.value() != null)
                {
                    out.collect(new AuctionBid(auction, best.value()));
                }
                state.clear();
                best.clear();
            }
        }

        private static void offer(final Auction auction, final Bid bid, final Context<Long, AuctionBid> ctx) throws Exception
        {
            final ValueState<Bid> best = ctx.getState(BEST);
            if (AuctionBid.inTime(auction, bid) && AuctionBid.beats(bid, best.value()))
            {
                best.update(bid);
            }
        }
    }
}
