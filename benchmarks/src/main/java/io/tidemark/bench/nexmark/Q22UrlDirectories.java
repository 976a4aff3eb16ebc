package io.tidemark.bench.nexmark;

import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.bench.nexmark.model.UrlDirectories;
import io.tidemark.engine.api.DataStream;

/** Query 22: every bid with the first three directories of its URL (the string split). */
public final class Q22UrlDirectories implements NexmarkQuery<UrlDirectories>
{
    @Override
    public String name()
    {
        return "q22";
    }

    @Override
    public DataStream<UrlDirectories> build(final DataStream<Event> events)
    {
        return NexmarkQuery.bids(events).map(UrlDirectories::of).name("q22");
    }
}
