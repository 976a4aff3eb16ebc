package io.tidemark.bench.nexmark.model;

/**
 * A result of query 6: a seller's average selling price over their last auctions closed, as
 * it stands once one more of them closed.
 *
 * @param seller  the seller: a {@link Person#id}.
 * @param auction the auction whose closing this is: an {@link Auction#id}.
 * @param price   the average winning price, in cents, of the seller's last {@link SellerPrices#LAST}
 *                auctions closed with a winning bid, this one included (of all of them while
 *                fewer closed), rounded down as the benchmark's SQL average of integers is.
 */
public record SellerPrice(long seller, long auction, long price)
{
}
