package io.tidemark.bench.nexmark;

import java.time.Duration;

import io.tidemark.bench.nexmark.model.BidderCount;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.window.EventTimeSessionWindows;

/** Query 11, user sessions: the bids of each bidder's sessions, a session ending after 10 s without a bid. */
public final class Q11UserSessions implements NexmarkQuery<BidderCount>
{
    /** The gap that ends a session. */
    public static final Duration GAP = Duration.ofSeconds(10);

    @Override
    public String name()
    {
        return "q11";
    }

    @Override
    public DataStream<BidderCount> build(final DataStream<Event> events)
    {
        return NexmarkQuery.bids(events)
            .keyByLong(bid -> bid.bidder)
            .window(EventTimeSessionWindows.withGap(GAP))
            .aggregate(AggregateFunctions.count())
            .name("q11")
            .map(session -> new BidderCount(session.key(), session.value(), session.windowStart(), session.windowEnd()));
    }
}
