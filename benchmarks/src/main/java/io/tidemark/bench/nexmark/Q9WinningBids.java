package io.tidemark.bench.nexmark;

import java.io.Serializable;
import java.util.function.Supplier;

import io.tidemark.bench.nexmark.model.Auction;
import io.tidemark.bench.nexmark.model.AuctionBid;
import io.tidemark.bench.nexmark.model.AuctionRow;
import io.tidemark.bench.nexmark.model.Bid;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.bench.nexmark.model.OpenAuction;
import io.tidemark.bench.nexmark.model.OpenAuctionPrice;
import io.tidemark.bench.nexmark.model.WinningPrice;
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
     * @return each auction with its winning bid, once it closed.
     */
    static DataStream<AuctionBid> winningBids(final DataStream<Event> events)
    {
        return closedAuctions(events, new HighestBid<>("open-auction", OpenAuction::new));
    }

    /**
     * The same join keeping only the numbers queries 4 and 6 read of each auction
     * ({@link OpenAuctionPrice}), as the benchmark's SQL projects them.
     *
     * @param events the stream of all events.
     * @return each auction with its winning price, once it closed (queries 4 and 6).
     */
    static DataStream<WinningPrice> winningPrices(final DataStream<Event> events)
    {
        return closedAuctions(events, new HighestBid<>("open-auction-price", OpenAuctionPrice::new)).name("winning prices");
    }

    private static <W> DataStream<W> closedAuctions(final DataStream<Event> events, final HighestBid<W> highestBid)
    {
        final DataStream<Auction> auctions = NexmarkQuery.auctions(events);
        return auctions.connect(NexmarkQuery.bids(events)).keyByLong(auction -> auction.id, bid -> bid.auction).process(highestBid);
    }

    /** Makes a key's row, in the subtask's copy of the function. */
    private interface RowFactory<W> extends Supplier<AuctionRow<W>>, Serializable
    {
    }

    /** Keeps each open auction's row: the auction, its best bid, and the bids that came before it. */
    private static final class HighestBid<W> extends KeyedCoProcessFunction<Long, Auction, Bid, W>
    {
        private static final long serialVersionUID = 1L;
        private final String name;
        private final RowFactory<W> newRow;
        private transient ValueStateDescriptor<AuctionRow<W>> rows;

        HighestBid(final String name, final RowFactory<W> newRow)
        {
            this.name = name;
            this.newRow = newRow;
        }

        @Override
        public void processElement1(final Auction auction, final Context<Long, W> ctx, final Collector<W> out) throws Exception
        {
            final AuctionRow<W> open = row(rows(ctx));
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
        public void processElement2(final Bid bid, final Context<Long, W> ctx, final Collector<W> out) throws Exception
        {
            final AuctionRow<W> open = row(rows(ctx));
            if (open.isOpen())
            {
                open.offer(bid);
            }
            else if (open.hold(bid))
            {
                ctx.timerService().registerEventTimeTimer(bid.dateTime);
            }
        }

        @Override
        public void onTimer(final long timestamp, final Context<Long, W> ctx, final Collector<W> out) throws Exception
        {
            final ValueState<AuctionRow<W>> state = rows(ctx);
            final AuctionRow<W> open = state.value();
            if (open == null)
            {
                return;
            }
            if (!open.isOpen())
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
            else if (timestamp == open.expires())
            {
                final W winner = open.winner();
                if (winner != null)
                {
                    out.collect(winner);
                }
                state.clear();
            }
        }

        /** The state of the rows, its descriptor made in the subtask's copy of the function (a descriptor is not serializable). */
        private ValueState<AuctionRow<W>> rows(final Context<Long, W> ctx)
        {
            if (rows == null)
            {
                rows = new ValueStateDescriptor<>(name);
            }
            return ctx.getState(rows);
        }

        /**
         * @return the key's row, made on its first record. Changed in place after that, one
         * look-up per record: the heap state keeps the object itself.
         */
        private AuctionRow<W> row(final ValueState<AuctionRow<W>> state) throws Exception
        {
            AuctionRow<W> open = state.value();
            if (open == null)
            {
                open = newRow.get();
                state.update(open);
            }
            return open;
        }
    }
}
