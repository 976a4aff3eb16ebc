package io.tidemark.bench.nexmark;

import java.time.Duration;

import io.tidemark.bench.nexmark.model.Bid;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.bench.nexmark.model.HighestBids;
import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.functions.AggregateFunction;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.window.ProcessWindowFunction;
import io.tidemark.engine.window.TimeWindow;
import io.tidemark.engine.window.TumblingEventTimeWindows;

/**
 * Query 7, highest bid: per tumbling window of 10 s, the bids at the window's highest price.
 * The benchmark's SQL joins the bids with each window's maximum; one window over all bids (one
 * key) that keeps the bids at the running maximum gives the same result without the join.
 * The window is pre-aggregated in the source's task (as Flink SQL's planner splits a window
 * aggregate into a local and a global half): each source subtask keeps the bids at its own
 * maximum per slice, and only those cross to the window, not every bid.
 */
public final class Q7HighestBid implements NexmarkQuery<Bid>
{
    /** The window's size. */
    public static final Duration SIZE = Duration.ofSeconds(10);

    @Override
    public String name()
    {
        return "q7";
    }

    @Override
    public DataStream<Bid> build(final DataStream<Event> events)
    {
        return NexmarkQuery.bids(events)
            .keyByLong(bid -> 0L)
            .window(TumblingEventTimeWindows.of(SIZE))
            .preAggregation(true)
            .aggregate(new Highest(), new EachBid())
            .name("q7");
    }

    /** Keeps the bids at the highest price so far. */
    private static final class Highest implements AggregateFunction<Bid, HighestBids, HighestBids>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public HighestBids createAccumulator()
        {
            return new HighestBids();
        }

        @Override
        public HighestBids add(final Bid bid, final HighestBids accumulator)
        {
            return accumulator.add(bid);
        }

        @Override
        public HighestBids getResult(final HighestBids accumulator)
        {
            return accumulator;
        }

        @Override
        public HighestBids merge(final HighestBids a, final HighestBids b)
        {
            return a.merge(b);
        }
    }

    /** Emits each bid at the highest price. */
    private static final class EachBid extends ProcessWindowFunction<HighestBids, Bid, Long, TimeWindow>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(final Long key, final Context<TimeWindow> context, final Iterable<HighestBids> elements, final Collector<Bid> out)
        {
            for (final HighestBids highest : elements)
            {
                for (final Bid bid : highest.bids())
                {
                    out.collect(bid);
                }
            }
        }
    }
}
