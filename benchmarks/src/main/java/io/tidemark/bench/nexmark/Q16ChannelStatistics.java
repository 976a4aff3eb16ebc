package io.tidemark.bench.nexmark;

import java.time.Duration;

import io.tidemark.bench.nexmark.model.BidStats;
import io.tidemark.bench.nexmark.model.ChannelDayStats;
import io.tidemark.bench.nexmark.model.Days;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.window.ProcessWindowFunction;
import io.tidemark.engine.window.TimeWindow;
import io.tidemark.engine.window.TumblingEventTimeWindows;

/**
 * Query 16: per channel and day, bids, distinct bidders and distinct auctions, in all and per
 * price rank, and the day's latest minute with a bid.
 */
public final class Q16ChannelStatistics implements NexmarkQuery<ChannelDayStats>
{
    @Override
    public String name()
    {
        return "q16";
    }

    @Override
    public DataStream<ChannelDayStats> build(final DataStream<Event> events)
    {
        return NexmarkQuery.bids(events)
            .keyBy(bid -> bid.channel)
            .window(TumblingEventTimeWindows.of(Duration.ofMillis(Days.DAY)))
            .aggregate(new DailyAggregates.Counts(), new OfChannelAndDay())
            .name("q16");
    }

    /** Names the channel, the day and the latest minute. */
    private static final class OfChannelAndDay extends ProcessWindowFunction<BidStats, ChannelDayStats, String, TimeWindow>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(final String channel, final Context<TimeWindow> context, final Iterable<BidStats> elements,
            final Collector<ChannelDayStats> out)
        {
            for (final BidStats stats : elements)
            {
                out.collect(new ChannelDayStats(channel, Days.day(context.window().start()), Days.minute(stats.latest()), stats.counts()));
            }
        }
    }
}
