package io.tidemark.bench.nexmark;

import io.tidemark.bench.nexmark.model.Auction;
import io.tidemark.bench.nexmark.model.Bid;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.bench.nexmark.model.Person;
import io.tidemark.engine.api.DataStream;

/**
 * One Nexmark query as a Tidemark job: what it adds to the stream of all events. A query
 * over one kind of event filters it out of the stream ({@link #bids}); one that joins two
 * kinds (persons and auctions, auctions and bids) branches the same stream twice. Each query
 * is a class of its own, listed in {@link NexmarkQueries}.
 *
 * @param <R> the result type.
 */
public interface NexmarkQuery<R>
{
    /**
     * @return the query's name as the benchmark numbers it: {@code q0}, {@code q1}, ...
     */
    String name();

    /**
     * @param events the stream of all events, with timestamps and watermarks.
     * @return the query's results.
     */
    DataStream<R> build(DataStream<Event> events);

    /**
     * @param events the stream of all events.
     * @return its bids.
     */
    static DataStream<Bid> bids(final DataStream<Event> events)
    {
        return events.filter(event -> event.bid != null).map(event -> event.bid).name("bids");
    }

    /**
     * @param events the stream of all events.
     * @return its auctions.
     */
    static DataStream<Auction> auctions(final DataStream<Event> events)
    {
        return events.filter(event -> event.auction != null).map(event -> event.auction).name("auctions");
    }

    /**
     * @param events the stream of all events.
     * @return its new persons.
     */
    static DataStream<Person> persons(final DataStream<Event> events)
    {
        return events.filter(event -> event.person != null).map(event -> event.person).name("persons");
    }
}
