package io.tidemark.bench.nexmark;

import java.time.Duration;

import io.tidemark.bench.nexmark.model.AuctionDayStats;
import io.tidemark.bench.nexmark.model.Days;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.bench.nexmark.model.PriceStats;
import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.window.ProcessWindowFunction;
import io.tidemark.engine.window.TimeWindow;
import io.tidemark.engine.window.TumblingEventTimeWindows;

/** Query 17: per auction and day, bids per price rank and the least, greatest, mean and summed price. */
public final class Q17AuctionStatistics implements NexmarkQuery<AuctionDayStats>
{
    @Override
    public String name()
    {
        return "q17";
    }

    @Override
    public DataStream<AuctionDayStats> build(final DataStream<Event> events)
    {
        return NexmarkQuery.bids(events)
            .keyBy(bid -> bid.auction)
            .window(TumblingEventTimeWindows.of(Duration.ofMillis(Days.DAY)))
            .aggregate(new DailyAggregates.Prices(), new OfAuctionAndDay())
            .name("q17");
    }

    /** Names the auction and the day. */
    private static final class OfAuctionAndDay extends ProcessWindowFunction<PriceStats, AuctionDayStats, Long, TimeWindow>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(final Long auction, final Context<TimeWindow> context, final Iterable<PriceStats> elements,
            final Collector<AuctionDayStats> out)
        {
            for (final PriceStats stats : elements)
            {
                out.collect(stats.result(auction, Days.day(context.window().start())));
            }
        }
    }
}
