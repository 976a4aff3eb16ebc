package io.tidemark.bench.nexmark;

import io.tidemark.bench.nexmark.model.ChannelBid;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.engine.api.DataStream;

/**
 * Query 21, add channel id: every bid with its channel's id, {@code 0} to {@code 3} for the
 * channels apple, google, facebook and baidu (any case), else the {@code channel_id} parameter
 * of its URL; a bid with neither is dropped ({@link ChannelBid#channelId}). Stateless: one
 * flat map, which computes the id once per bid, for the test and the result alike.
 */
public final class Q21ChannelId implements NexmarkQuery<ChannelBid>
{
    @Override
    public String name()
    {
        return "q21";
    }

    @Override
    public DataStream<ChannelBid> build(final DataStream<Event> events)
    {
        return NexmarkQuery.bids(events).<ChannelBid>flatMap((bid, out) ->
        {
            final ChannelBid withId = ChannelBid.of(bid);
            if (withId != null)
            {
                out.collect(withId);
            }
        }).name("q21");
    }
}
