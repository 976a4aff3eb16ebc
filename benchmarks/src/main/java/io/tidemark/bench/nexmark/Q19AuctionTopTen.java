package io.tidemark.bench.nexmark;

import java.util.Arrays;

import io.tidemark.bench.nexmark.model.Bid;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.bench.nexmark.model.RankedBid;
import io.tidemark.bench.nexmark.model.TopBids;
import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.KeyedProcessFunction;
import io.tidemark.engine.state.LongRowState;
import io.tidemark.engine.state.LongRowStateDescriptor;

/**
 * Query 19, auction top-10 price: per auction, the 10 bids with the highest price (then the
 * earliest, the lowest bidder, {@link Bid#textDigest}: {@link TopBids#offer}). Keyed by
 * auction; the key's state is one row of the numbers that rank its top 10
 * ({@link LongRowState}). The results are <b>updates</b>: each bid that enters its auction's
 * top 10, with the rank it entered at ({@link RankedBid}). The entering bid, not the new list,
 * because it is all that changed: the bids below it move down one and the 10th leaves, which
 * the reader replays, and a result per entering bid costs one small record where a list would
 * copy up to 10 bids each time. An auction's top 10 replayed from its results is its final top
 * 10, whatever order the bids came in. The benchmark's SQL ({@code ROW_NUMBER() OVER
 * (PARTITION BY auction ORDER BY price DESC) <= 10}) emits the same entries and also retracts
 * and re-emits each bid whose rank moved.
 */
public final class Q19AuctionTopTen implements NexmarkQuery<RankedBid>
{
    @Override
    public String name()
    {
        return "q19";
    }

    @Override
    public DataStream<RankedBid> build(final DataStream<Event> events)
    {
        return NexmarkQuery.bids(events).keyByLong(bid -> bid.auction).process(new TopTen()).name("q19");
    }

    /** Ranks each bid among its auction's top 10 and emits it if it enters. */
    private static final class TopTen extends KeyedProcessFunction<Long, Bid, RankedBid>
    {
        private static final long serialVersionUID = 1L;
        private static final LongRowStateDescriptor TOP = new LongRowStateDescriptor("top-bids", TopBids.WIDTH);

        private final long[] row = new long[TopBids.WIDTH];

        @Override
        public void processElement(final Bid bid, final Context<Long, RankedBid> ctx, final Collector<RankedBid> out) throws Exception
        {
            final LongRowState top = ctx.getState(TOP);
            if (!top.get(row))
            {
                Arrays.fill(row, 0L);
            }
            final int rank = TopBids.offer(row, bid);
            if (rank > 0)
            {
                top.put(row);
                out.collect(new RankedBid(bid, rank));
            }
        }
    }
}
