package io.tidemark.bench.nexmark;

import io.tidemark.bench.nexmark.model.Bid;
import io.tidemark.bench.nexmark.model.BidStats;
import io.tidemark.bench.nexmark.model.PriceStats;
import io.tidemark.engine.functions.AggregateFunction;

/**
 * The per-day accumulators of queries 15 to 17 as aggregate functions. The queries' SQL
 * groups by day without a window and updates its result with every bid; a tumbling event-time
 * window of a day (UTC) gives each group's final result once, when the watermark passes
 * the day.
 */
final class DailyAggregates
{
    private DailyAggregates()
    {
    }

    /** Counts bids, bidders and auctions per price rank (queries 15 and 16). */
    static final class Counts implements AggregateFunction<Bid, BidStats, BidStats>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public BidStats createAccumulator()
        {
            return new BidStats();
        }

        @Override
        public BidStats add(final Bid bid, final BidStats accumulator)
        {
            return accumulator.add(bid);
        }

        @Override
        public BidStats getResult(final BidStats accumulator)
        {
            return accumulator;
        }

        @Override
        public BidStats merge(final BidStats a, final BidStats b)
        {
            return a.merge(b);
        }
    }

    /** Counts bids per price rank and sums their prices (query 17). */
    static final class Prices implements AggregateFunction<Bid, PriceStats, PriceStats>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public PriceStats createAccumulator()
        {
            return new PriceStats();
        }

        @Override
        public PriceStats add(final Bid bid, final PriceStats accumulator)
        {
            return accumulator.add(bid);
        }

        @Override
        public PriceStats getResult(final PriceStats accumulator)
        {
            return accumulator;
        }

        @Override
        public PriceStats merge(final PriceStats a, final PriceStats b)
        {
            return a.merge(b);
        }
    }
}
