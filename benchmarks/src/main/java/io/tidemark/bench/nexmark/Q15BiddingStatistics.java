package io.tidemark.bench.nexmark;

import java.time.Duration;

import io.tidemark.bench.nexmark.model.BidStats;
import io.tidemark.bench.nexmark.model.DayStats;
import io.tidemark.bench.nexmark.model.Days;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.window.ProcessWindowFunction;
import io.tidemark.engine.window.TimeWindow;
import io.tidemark.engine.window.TumblingEventTimeWindows;

/** Query 15: per day, bids, distinct bidders and distinct auctions, in all and per price rank. */
public final class Q15BiddingStatistics implements NexmarkQuery<DayStats>
{
    @Override
    public String name()
    {
        return "q15";
    }

    @Override
    public DataStream<DayStats> build(final DataStream<Event> events)
    {
        return NexmarkQuery.bids(events)
            .keyBy(bid -> Math.floorDiv(bid.dateTime, Days.DAY))
            .window(TumblingEventTimeWindows.of(Duration.ofMillis(Days.DAY)))
            .aggregate(new DailyAggregates.Counts(), new OfDay())
            .name("q15");
    }

    /** Names the day. */
    private static final class OfDay extends ProcessWindowFunction<BidStats, DayStats, Long, TimeWindow>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(final Long day, final Context<TimeWindow> context, final Iterable<BidStats> elements, final Collector<DayStats> out)
        {
            for (final BidStats stats : elements)
            {
                out.collect(new DayStats(Days.day(context.window().start()), stats.counts()));
            }
        }
    }
}
