package io.tidemark.bench.nexmark.model;

import java.util.Arrays;

/**
 * One seller's state in query 6: the winning prices of their last {@value #LAST} auctions
 * closed, and the winning prices that arrived but are not yet applied. "Last" needs an order of
 * closing that does not depend on how the winning prices reach the seller's key (at parallelism
 * 2 they come from two subtasks in any interleaving): auctions close in the order of their
 * expiry, then of their id. A winning price is therefore {@link #hold held} until the watermark
 * passes its auction's expiry, when every winning price that closes at or before it has arrived,
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
    private WinningPrice[] held = new WinningPrice[4];
    private int heldCount;

    /**
     * Keeps a winning price until its auction's turn to close, in the order of closing.
     *
     * @param winner the winning price of an auction of this seller, emitted as it closed.
     */
    public void hold(final WinningPrice winner)
    {
        if (heldCount == held.length)
        {
            held = Arrays.copyOf(held, heldCount * 2);
        }
        // Winning prices arrive nearly in order of closing: the insertion point is at or near the end.
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
     * @param watermark the event time every winning price closing at or before has arrived by.
     * @return whether a held winning price closes at or before it.
     */
    public boolean closesBy(final long watermark)
    {
        return heldCount > 0 && held[0].expires() <= watermark;
    }

    /**
     * Closes the first held auction: its winning price joins the last ones, the oldest of
     * them leaving.
     *
     * @return the seller's average over their last auctions closed, this one included.
     */
    public SellerPrice closeNext()
    {
        final WinningPrice winner = held[0];
        System.arraycopy(held, 1, held, 0, heldCount - 1);
        held[--heldCount] = null;
        final int slot = (int)(closed % LAST);
        sum += winner.price() - prices[slot];
        prices[slot] = winner.price();
        closed++;
        return new SellerPrice(winner.seller(), winner.auction(), sum / Math.min(closed, LAST));
    }

    private static boolean closesBefore(final WinningPrice winner, final WinningPrice other)
    {
        final long expires = winner.expires();
        final long otherExpires = other.expires();
        return expires != otherExpires ? expires < otherExpires : winner.auction() < other.auction();
    }
}
