package io.tidemark.bench.nexmark;

import java.time.Duration;

import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.bench.nexmark.model.HotItem;
import io.tidemark.bench.nexmark.model.MaxCount;
import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.functions.AggregateFunction;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.window.ProcessWindowFunction;
import io.tidemark.engine.window.SlidingEventTimeWindows;
import io.tidemark.engine.window.TimeWindow;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.engine.window.WindowResult;

/**
 * Query 5, hot items: per sliding window of 10 s every 2 s, the auctions with the most bids.
 * Two window steps: bids counted per auction and window, then, keyed by window, the counts
 * of one window brought together. Each count carries its window's last millisecond as its
 * timestamp, so a tumbling window of the slide (2 s) holds the counts of exactly one sliding
 * window, and it fires as soon as the watermark has passed that sliding window.
 */
public final class Q5HotItems implements NexmarkQuery<HotItem>
{
    /** The sliding window's size. */
    public static final Duration SIZE = Duration.ofSeconds(10);
    /** How far it slides. */
    public static final Duration SLIDE = Duration.ofSeconds(2);

    @Override
    public String name()
    {
        return "q5";
    }

    @Override
    public DataStream<HotItem> build(final DataStream<Event> events)
    {
        return NexmarkQuery.bids(events)
            .keyBy(bid -> bid.auction)
            .window(SlidingEventTimeWindows.of(SIZE, SLIDE))
            .aggregate(AggregateFunctions.count())
            .name("q5 counts")
            .keyBy(WindowResult::windowStart)
            .window(TumblingEventTimeWindows.of(SLIDE))
            .aggregate(new MostBids(), new HotItems())
            .name("q5");
    }

    /** Keeps the greatest count of a window and its auctions. */
    private static final class MostBids implements AggregateFunction<WindowResult<Long, Long>, MaxCount, MaxCount>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public MaxCount createAccumulator()
        {
            return new MaxCount();
        }

        @Override
        public MaxCount add(final WindowResult<Long, Long> count, final MaxCount accumulator)
        {
            return accumulator.add(count.key(), count.value());
        }

        @Override
        public MaxCount getResult(final MaxCount accumulator)
        {
            return accumulator;
        }

        @Override
        public MaxCount merge(final MaxCount a, final MaxCount b)
        {
            return a.merge(b);
        }
    }

    /** Emits one result per auction with the greatest count, dated by the sliding window (the key). */
    private static final class HotItems extends ProcessWindowFunction<MaxCount, HotItem, Long, TimeWindow>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(final Long windowStart, final Context<TimeWindow> context, final Iterable<MaxCount> elements, final Collector<HotItem> out)
        {
            final long windowEnd = windowStart + SIZE.toMillis();
            for (final MaxCount most : elements)
            {
                for (int i = 0; i < most.size(); i++)
                {
                    out.collect(new HotItem(most.auction(i), most.max(), windowStart, windowEnd));
                }
            }
        }
    }
}
