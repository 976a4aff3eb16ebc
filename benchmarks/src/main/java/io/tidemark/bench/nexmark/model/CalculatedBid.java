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
}
