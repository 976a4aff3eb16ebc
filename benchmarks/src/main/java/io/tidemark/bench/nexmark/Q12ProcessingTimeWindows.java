package io.tidemark.bench.nexmark;

import java.time.Duration;

import io.tidemark.bench.nexmark.model.BidderCount;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.window.TumblingProcessingTimeWindows;

/**
 * Query 12: the bids of each bidder per tumbling window of 10 s of processing time, read from
 * the job's clock ({@code StreamExecutionEnvironment.setClock}). As with every
 * processing-time window, those still open when a bounded input ends are not emitted.
 */
public final class Q12ProcessingTimeWindows implements NexmarkQuery<BidderCount>
{
    /** The window's size. */
    public static final Duration SIZE = Duration.ofSeconds(10);

    @Override
    public String name()
    {
        return "q12";
    }

    @Override
    public DataStream<BidderCount> build(final DataStream<Event> events)
    {
        return NexmarkQuery.bids(events)
            .keyByLong(bid -> bid.bidder)
            .window(TumblingProcessingTimeWindows.of(SIZE))
            .aggregate(AggregateFunctions.count())
            .name("q12")
            .map(window -> new BidderCount(window.key(), window.value(), window.windowStart(), window.windowEnd()));
    }
}
