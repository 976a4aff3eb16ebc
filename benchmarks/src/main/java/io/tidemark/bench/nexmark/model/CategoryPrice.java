package io.tidemark.bench.nexmark.model;

/**
 * A result of query 4: the winning prices of a category's closed auctions so far.
 *
 * @param category   the category.
 * @param auctions   the closed auctions with a winning bid.
 * @param totalPrice the sum of their winning prices, in cents.
 */
public record CategoryPrice(long category, long auctions, long totalPrice)
{
    /**
     * @return the average winning price, in cents, rounded down as the benchmark's SQL average of integers is.
     */
    public long averagePrice()
    {
        return totalPrice / auctions;
    }

    /**
     * @param previous the category's figures so far, or null before its first auction closed.
     * @param winner   the winning price of an auction of the category that closed.
     * @return the figures with that auction.
     */
    public static CategoryPrice plus(final CategoryPrice previous, final WinningPrice winner)
    {
        return previous == null ? new CategoryPrice(winner.category(), 1, winner.price())
            : new CategoryPrice(previous.category, previous.auctions + 1, previous.totalPrice + winner.price());
    }
}
