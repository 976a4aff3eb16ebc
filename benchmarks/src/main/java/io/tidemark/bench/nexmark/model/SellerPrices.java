package io.tidemark.bench.nexmark.model;

import java.util.Arrays;

/**
 * One seller's state in query 6: the winning prices of their last {@value #LAST} auctions
 * closed, and the winning bids that arrived but are not yet applied. "Last" needs an order of
 * closing that does not depend on how the winning bids reach the seller's key (at parallelism
 * 2 they come from two subtasks in any interleaving): auctions close in the order of their
 * expiry, then of their id. A winning bid is therefore {@link #hold held} until the watermark
 * passes its auction's expiry, when every winning bid that closes at or before it has arrived,
 * and the held ones are then {@link #closeNext closed} in that order. Plain Java, shared with
 * the Flink side; not thread-safe, as keyed state is not.
 */
public final class SellerPrices
{
    /** How many of a seller's last closed auctions the average takes. */
    public static final int LAST = 10;

    private final long[] prices = new long[LAST];
    private long closed;
    private long sum;
    private AuctionBid[] held = new AuctionBid[4];
    private int heldCount;

    /**
     * Keeps a winning bid until its auction's turn to close, in the order of closing.
     *
     * @param winner the winning bid of an auction of this seller, emitted as it closed.
     */
    public void hold(final AuctionBid winner)
    {
        if (heldCount == held.length)
        {
            held = Arrays.copyOf(held, heldCount * 2);
        }
        // Winning bids arrive nearly in order of closing: the insertion point is at or near the end.
        int at = heldCount;
        while (at > 0 && closesBefore(winner, held[at - 1]))
        {
            held[at] = held[at - 1];
            at--;
        }
        held[at] = winner;
        heldCount++;
    }

    /**
     * @param watermark the event time every winning bid closing at or before has arrived by.
     * @return whether a held winning bid closes at or before it.
     */
    public boolean closesBy(final long watermark)
    {
        return heldCount > 0 && held[0].auction().expires <= watermark;
    }

    /**
     * Closes the first held auction: its winning price joins the last ones, the oldest of
     * them leaving.
     *
     * @return the seller's average over their last auctions closed, this one included.
     */
    public SellerPrice closeNext()
    {
        final AuctionBid winner = held[0];
        System.arraycopy(held, 1, held, 0, heldCount - 1);
        held[--heldCount] = null;
        final int slot = (int)(closed % LAST);
        sum += winner.bid().price - prices[slot];
        prices[slot] = winner.bid().price;
        closed++;
        return new SellerPrice(winner.auction().seller, winner.auction().id, sum / Math.min(closed, LAST));
    }

    private static boolean closesBefore(final AuctionBid winner, final AuctionBid other)
    {
        final long expires = winner.auction().expires;
        final long otherExpires = other.auction().expires;
        return expires != otherExpires ? expires < otherExpires : winner.auction().id < other.auction().id;
    }
}
