package io.tidemark.bench.nexmark.model;

/**
 * One auction's state in query 19, as one row: its highest bids so far, at most
 * {@link #SIZE}, in rank order. The row keeps a copy of the lowest held price, so that a bid
 * below it, once the row is full (most bids on an auction with many), is turned away reading
 * the row alone, not the array and the bid behind it. Plain Java, shared with the Flink side;
 * not thread-safe, as keyed state is not.
 */
public final class TopBids
{
    /** How many bids an auction ranks. */
    public static final int SIZE = 10;

    private final Bid[] bids = new Bid[SIZE];
    private int size;
    private long lowestPrice;

    /**
     * The benchmark's SQL ranks an auction's bids by price, highest first, and leaves ties
     * open; here the earlier bid breaks them, then the lower bidder (as {@link AuctionBid#beats}
     * does for query 9's winner), then {@link Bid#textOrder}, so the top 10 does not depend on
     * the order the bids arrive in.
     *
     * @param bid   a bid.
     * @param other another bid on the same auction.
     * @return whether the bid ranks above the other.
     */
    public static boolean ranksAbove(final Bid bid, final Bid other)
    {
        if (bid.price != other.price || bid.dateTime != other.dateTime || bid.bidder != other.bidder)
        {
            return AuctionBid.beats(bid.price, bid.dateTime, bid.bidder, other.price, other.dateTime, other.bidder);
        }
        return Bid.textOrder(bid, other) < 0;
    }

    /**
     * Ranks a bid among those held: if it enters, the held bids it ranks above move down one,
     * and the last of a full row leaves.
     *
     * @param bid a bid on the auction.
     * @return its rank, from 1, if it entered; 0 if it ranks below all of a full row.
     */
    public int offer(final Bid bid)
    {
        int at;
        if (size == SIZE)
        {
            if (bid.price < lowestPrice || bid.price == lowestPrice && !ranksAbove(bid, bids[SIZE - 1]))
            {
                return 0;
            }
            at = SIZE - 1;
        }
        else
        {
            at = size++;
        }
        while (at > 0 && ranksAbove(bid, bids[at - 1]))
        {
            bids[at] = bids[at - 1];
            at--;
        }
        bids[at] = bid;
        if (size == SIZE)
        {
            lowestPrice = bids[SIZE - 1].price;
        }
        return at + 1;
    }

    /**
     * @return how many bids are held.
     */
    public int size()
    {
        return size;
    }

    /**
     * @param rank a rank, from 1 to {@link #size()}.
     * @return the bid held at that rank.
     */
    public Bid bid(final int rank)
    {
        return bids[rank - 1];
    }
}
