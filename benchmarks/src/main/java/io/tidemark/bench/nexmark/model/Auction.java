package io.tidemark.bench.nexmark.model;

import java.util.Objects;

/** An item put up for auction, as Nexmark defines it; a plain object Flink takes as a POJO. */
public final class Auction
{
    /** The auction's id, from 1000 up. */
    public long id;
    /** The item's name. */
    public String itemName;
    /** The item's description. */
    public String description;
    /** The opening price, in cents. */
    public long initialBid;
    /** The lowest price the seller accepts, in cents. */
    public long reserve;
    /** When the auction opened, in milliseconds since the epoch: its event time. */
    public long dateTime;
    /** When it closes, in milliseconds since the epoch. */
    public long expires;
    /** The seller: a {@link Person#id}. */
    public long seller;
    /** The item's category, from 10 to 14. */
    public long category;
    /** Padding that brings the auction to its average size. */
    public String extra;

    /** An empty auction, for serializers. */
    public Auction()
    {
    }

    /**
     * @param id          the id.
     * @param itemName    the item's name.
     * @param description the item's description.
     * @param initialBid  the opening price.
     * @param reserve     the reserve price.
     * @param dateTime    the event time, in milliseconds since the epoch.
     * @param expires     the closing time.
     * @param seller      the seller.
     * @param category    the category.
     * @param extra       padding.
     */
    public Auction(final long id, final String itemName, final String description, final long initialBid, final long reserve, final long dateTime,
        final long expires, final long seller, final long category, final String extra)
    {
        this.id = id;
        this.itemName = itemName;
        this.description = description;
        this.initialBid = initialBid;
        this.reserve = reserve;
        this.dateTime = dateTime;
        this.expires = expires;
        this.seller = seller;
        this.category = category;
        this.extra = extra;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof Auction auction && id == auction.id && initialBid == auction.initialBid && reserve == auction.reserve
            && dateTime == auction.dateTime && expires == auction.expires && seller == auction.seller && category == auction.category
            && Objects.equals(itemName, auction.itemName) && Objects.equals(description, auction.description) && Objects.equals(extra, auction.extra);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(id, itemName, description, initialBid, reserve, dateTime, expires, seller, category, extra);
    }

    @Override
    public String toString()
    {
        return "Auction{id=" + id + ", itemName=" + itemName + ", description=" + description + ", initialBid=" + initialBid + ", reserve=" + reserve
            + ", dateTime=" + dateTime + ", expires=" + expires + ", seller=" + seller + ", category=" + category + ", extra=" + extra + "}";
    }
}
