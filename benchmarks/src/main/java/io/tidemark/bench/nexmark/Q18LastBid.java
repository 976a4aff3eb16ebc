package io.tidemark.bench.nexmark;

import io.tidemark.bench.nexmark.model.Bid;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.bench.nexmark.model.LastBid;
import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.KeyedProcessFunction;
import io.tidemark.engine.state.LongRowState;
import io.tidemark.engine.state.LongRowStateDescriptor;

/**
 * Query 18, find last bid: per (bidder, auction), the bid with the latest time (then the
 * highest price, then {@link Bid#textDigest}: {@link LastBid#later}). Keyed by the pair as one
 * {@code long} ({@link LastBid#key}); the key's state is a row of the numbers that rank its
 * last bid ({@link LongRowState}), and a bid that is later replaces it and is emitted. So the
 * results are <b>updates</b>, one per bid that became its pair's last, and a pair's last
 * result is its last bid, whatever order the bids came in. The benchmark's SQL
 * ({@code ROW_NUMBER() OVER (PARTITION BY bidder, auction ORDER BY dateTime DESC) <= 1})
 * updates its row with each later bid too, retracting the one before.
 */
public final class Q18LastBid implements NexmarkQuery<Bid>
{
    @Override
    public String name()
    {
        return "q18";
    }

    @Override
    public DataStream<Bid> build(final DataStream<Event> events)
    {
        return NexmarkQuery.bids(events).keyByLong(LastBid::key).process(new Latest()).name("q18");
    }

    /** Keeps each pair's last bid as a row and emits a bid that replaces it. */
    private static final class Latest extends KeyedProcessFunction<Long, Bid, Bid>
    {
        private static final long serialVersionUID = 1L;
        private static final LongRowStateDescriptor LAST = new LongRowStateDescriptor("last-bid", LastBid.WIDTH);

        private final long[] row = new long[LastBid.WIDTH];

        @Override
        public void processElement(final Bid bid, final Context<Long, Bid> ctx, final Collector<Bid> out) throws Exception
        {
            final LongRowState last = ctx.getState(LAST);
            if (!last.get(row) || LastBid.later(bid, row))
            {
                LastBid.toRow(bid, row);
                last.put(row);
                out.collect(bid);
            }
        }
    }
}
