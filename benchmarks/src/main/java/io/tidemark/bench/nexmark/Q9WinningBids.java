package io.tidemark.bench.nexmark;

import io.tidemark.bench.nexmark.model.Auction;
import io.tidemark.bench.nexmark.model.AuctionBid;
import io.tidemark.bench.nexmark.model.Bid;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.bench.nexmark.model.OpenAuction;
import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.KeyedCoProcessFunction;
import io.tidemark.engine.state.ValueState;
import io.tidemark.engine.state.ValueStateDescriptor;

/**
 * Query 9, winning bids: each auction with its winning bid, the highest of the bids made while
 * it was open (then the earliest, see {@link AuctionBid#beats(long, long, long, long, long, long)}), emitted once, when the
 * watermark passes the auction's expiry; an auction without such a bid gives nothing. Auctions
 * and bids meet keyed by auction id: the key keeps one row ({@link OpenAuction}: its auction,
 * best bid and waiting bids, so a bid costs one state look-up) until the expiry timer fires,
 * then nothing. A bid that comes before its auction waits, with an event-time timer at the
 * earliest waiting bid's time: an auction it can win opened before it, so if none has come
 * when the watermark passes the bid, none will and the bid is dropped; so are the bids that
 * come after their auction closed. When the auction comes, the waiting bids' timer is deleted
 * (unless the expiry's falls at the same time): it would only look the key up for nothing.
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

    /** Keeps each open auction's row: the auction, its best bid, and the bids that came before it. */
    private static final class HighestBid extends KeyedCoProcessFunction<Long, Auction, Bid, AuctionBid>
    {
        private static final long serialVersionUID = 1L;
        private static final ValueStateDescriptor<OpenAuction> OPEN = new ValueStateDescriptor<>("open-auction");

        @Override
        public void processElement1(final Auction auction, final Context<Long, AuctionBid> ctx, final Collector<AuctionBid> out) throws Exception
        {
            final OpenAuction open = row(ctx.getState(OPEN));
            if (open.hasWaiting() && open.earliestWaiting() != auction.expires)
            {
                // The bids that waited meet their auction now, so their timer has nothing left to
                // do: deleted, it does not take a look-up of the key when the watermark passes it
                // (most auctions have bids before them, and a run closes them all at its end).
                // One at the expiry stays: it is the expiry's own, in its place among the timers.
                ctx.timerService().deleteEventTimeTimer(open.earliestWaiting());
            }
            open.open(auction);
            ctx.timerService().registerEventTimeTimer(auction.expires);
        }

        @Override
        public void processElement2(final Bid bid, final Context<Long, AuctionBid> ctx, final Collector<AuctionBid> out) throws Exception
        {
            final OpenAuction open = row(ctx.getState(OPEN));
            if (open.auction() != null)
            {
                open.offer(bid);
            }
            else if (open.hold(bid))
            {
                ctx.timerService().registerEventTimeTimer(bid.dateTime);
            }
        }

        @Override
        public void onTimer(final long timestamp, final Context<Long, AuctionBid> ctx, final Collector<AuctionBid> out) throws Exception
        {
            final ValueState<OpenAuction> state = ctx.getState(OPEN);
            final OpenAuction open = state.value();
            if (open == null)
            {
                return;
            }
            final Auction auction = open.auction();
            if (auction == null)
            {
                if (open.dropWaitingBy(timestamp))
                {
                    ctx.timerService().registerEventTimeTimer(open.earliestWaiting());
                }
                else
                {
                    state.clear();
                }
            }
            else if (timestamp == auction.expires)
            {
                if (open.best() != null)
                {
                    out.collect(new AuctionBid(auction, open.best()));
                }
                state.clear();
            }
        }

        /**
         * @return the key's row, made on its first record. Changed in place after that, one
         * look-up per record: the heap state keeps the object itself.
         */
        private static OpenAuction row(final ValueState<OpenAuction> state) throws Exception
        {
            OpenAuction open = state.value();
            if (open == null)
            {
                open = new OpenAuction();
                state.update(open);
            }
            return open;
        }
    }
}
