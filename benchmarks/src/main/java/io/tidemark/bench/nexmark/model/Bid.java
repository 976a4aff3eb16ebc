package io.tidemark.bench.nexmark.model;

import java.util.Objects;

/**
 * A bid for an item on auction, as Nexmark defines it. A plain object with public fields and a
 * no-argument constructor, so that Apache Flink treats it as a POJO on the benchmark's Flink
 * side too.
 */
public final class Bid
{
    /** The auction bid on: an {@link Auction#id}. */
    public long auction;
    /** The person bidding: a {@link Person#id}. */
    public long bidder;
    /** The price, in cents. */
    public long price;
    /** The channel the bid came through: one of four hot channels, or {@code channel-N}. */
    public String channel;
    /** The page the bid was made on. */
    public String url;
    /** When the bid was made, in milliseconds since the epoch: its event time. */
    public long dateTime;
    /** Padding that brings the bid to its average size. */
    public String extra;

    /** An empty bid, for serializers. */
    public Bid()
    {
    }

    /**
     * @param auction  the auction bid on.
     * @param bidder   the person bidding.
     * @param price    the price, in cents.
     * @param channel  the channel it came through.
     * @param url      the page it was made on.
     * @param dateTime its event time, in milliseconds since the epoch.
     * @param extra    padding.
     */
    public Bid(final long auction, final long bidder, final long price, final String channel, final String url, final long dateTime, final String extra)
    {
        this.auction = auction;
        this.bidder = bidder;
        this.price = price;
        this.channel = channel;
        this.url = url;
        this.dateTime = dateTime;
        this.extra = extra;
    }

    /**
     * @return this bid priced in euros (query 1): 0.908 per dollar, cents rounded down.
     */
    public Bid inEuros()
    {
        return new Bid(auction, bidder, price * 908 / 1000, channel, url, dateTime, extra);
    }

    /**
     * The last tie-break of the queries that rank bids (18 and 19): after the fields they rank
     * by, the channel, then the URL, then the padding, in {@link String} order, so that the
     * result does not depend on the order equal-ranked bids arrive in. Only bids that are equal
     * in every field compare as 0, and those are interchangeable.
     *
     * @param a a bid.
     * @param b another.
     * @return negative if {@code a} comes first, positive if {@code b} does, 0 if their text is the same.
     */
    public static int textOrder(final Bid a, final Bid b)
    {
        int order = a.channel.compareTo(b.channel);
        if (order == 0)
        {
            order = a.url.compareTo(b.url);
        }
        return order != 0 ? order : a.extra.compareTo(b.extra);
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof Bid bid && auction == bid.auction && bidder == bid.bidder && price == bid.price && dateTime == bid.dateTime
            && Objects.equals(channel, bid.channel) && Objects.equals(url, bid.url) && Objects.equals(extra, bid.extra);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(auction, bidder, price, channel, url, dateTime, extra);
    }

    @Override
    public String toString()
    {
        return "Bid{auction=" + auction + ", bidder=" + bidder + ", price=" + price + ", channel=" + channel + ", url=" + url + ", dateTime=" + dateTime
            + ", extra=" + extra + "}";
    }
}
