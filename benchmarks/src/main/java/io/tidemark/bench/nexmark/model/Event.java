package io.tidemark.bench.nexmark.model;

import java.util.Objects;

/**
 * One event of the Nexmark stream: exactly one of a new person, a new auction or a bid, the
 * others null. One stream carries all three, as the benchmark's generator makes them; a query
 * over bids filters on {@link #bid}. A plain object, so that Flink takes it as a POJO.
 */
public final class Event
{
    /** The new person, or null. */
    public Person person;
    /** The new auction, or null. */
    public Auction auction;
    /** The bid, or null. */
    public Bid bid;

    /** An empty event, for serializers. */
    public Event()
    {
    }

    /**
     * @param person the new person.
     */
    public Event(final Person person)
    {
        this.person = person;
    }

    /**
     * @param auction the new auction.
     */
    public Event(final Auction auction)
    {
        this.auction = auction;
    }

    /**
     * @param bid the bid.
     */
    public Event(final Bid bid)
    {
        this.bid = bid;
    }

    /**
     * @return the event time of whichever of the three this event is, in milliseconds since
     * the epoch.
     */
    public long dateTime()
    {
        return bid != null ? bid.dateTime : auction != null ? auction.dateTime : person.dateTime;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof Event event && Objects.equals(person, event.person) && Objects.equals(auction, event.auction) && Objects.equals(bid, event.bid);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(person, auction, bid);
    }

    @Override
    public String toString()
    {
        return bid != null ? bid.toString() : auction != null ? auction.toString() : String.valueOf(person);
    }
}
