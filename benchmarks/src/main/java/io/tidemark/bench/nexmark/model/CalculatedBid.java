package io.tidemark.bench.nexmark.model;

/**
 * A result of query 14: a bid priced in euros, its time of day classified, and the letters
 * 'c' of its padding counted.
 *
 * @param auction         the auction.
 * @param bidder          the bidder.
 * @param euroMilliCents  the price in euros, in thousandths of a cent ({@code 0.908 * price}
 *                        exactly, as the query's decimal of scale 3).
 * @param bidTimeType     {@code dayTime} (8:00 to 18:59 UTC), {@code nightTime} (20:00 to
 *                        6:59) or {@code otherTime}.
 * @param dateTime        the bid's event time.
 * @param extra           the bid's padding.
 * @param cCount          how many 'c' the padding holds.
 */
public record CalculatedBid(long auction, long bidder, long euroMilliCents, String bidTimeType, long dateTime, String extra, long cCount)
{
    /** Euro prices above this, in thousandths of a cent, are kept. */
    public static final long ABOVE = 1_000_000L * 1000;
    /** Euro prices below this, in thousandths of a cent, are kept. */
    public static final long BELOW = 50_000_000L * 1000;

    /**
     * @param bid a bid.
     * @return whether its euro price is in the range query 14 keeps.
     */
    public static boolean kept(final Bid bid)
    {
        final long euros = bid.price * 908;
        return euros > ABOVE && euros < BELOW;
    }

    /**
     * @param bid a bid kept.
     * @return its result.
     */
    public static CalculatedBid of(final Bid bid)
    {
        final int hour = Days.hour(bid.dateTime);
        final String type = hour >= 8 && hour <= 18 ? "dayTime" : hour <= 6 || hour >= 20 ? "nightTime" : "otherTime";
        return new CalculatedBid(bid.auction, bid.bidder, bid.price * 908, type, bid.dateTime, bid.extra, countChar(bid.extra, 'c'));
    }

    /**
     * The query's user-defined function.
     *
     * @param text a text.
     * @param c    a character.
     * @return how often it occurs in the text.
     */
    public static long countChar(final String text, final char c)
    {
        long count = 0;
        for (int i = 0; i < text.length(); i++)
        {
            if (text.charAt(i) == c)
            {
                count++;
            }
        }
        return count;
    }
}
