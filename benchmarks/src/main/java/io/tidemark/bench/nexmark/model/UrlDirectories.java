package io.tidemark.bench.nexmark.model;

/**
 * A result of query 22: a bid with the first three directories of its URL.
 *
 * @param auction the auction.
 * @param bidder  the bidder.
 * @param price   the price, in cents.
 * @param channel the channel.
 * @param dir1    the URL's part after its fourth '/' (parts counted from 0 at the scheme), or
 *                null.
 * @param dir2    the part after that, or null.
 * @param dir3    the part after that, or null.
 */
public record UrlDirectories(long auction, long bidder, long price, String channel, String dir1, String dir2, String dir3)
{
    /**
     * @param bid a bid.
     * @return its directories: the parts of its URL after the third, fourth and fifth '/' (parts
     *         counted from 0 at the scheme), each up to the next '/' or the end, as SQL's
     *         {@code SPLIT_INDEX(url, '/', 3)} to {@code SPLIT_INDEX(url, '/', 5)}; null past the
     *         last part.
     */
    public static UrlDirectories of(final Bid bid)
    {
        // One scan for the three parts, each search going on where the one before stopped: this
        // split is most of the query's own work, and searching from the start for each part
        // read the URL's head three times.
        final String url = bid.url;
        final int start1 = afterThirdSlash(url);
        final int end1 = start1 < 0 ? -1 : url.indexOf('/', start1);
        final int end2 = end1 < 0 ? -1 : url.indexOf('/', end1 + 1);
        final int end3 = end2 < 0 ? -1 : url.indexOf('/', end2 + 1);
        return new UrlDirectories(bid.auction, bid.bidder, bid.price, bid.channel, start1 < 0 ? null : slice(url, start1, end1),
            end1 < 0 ? null : slice(url, end1 + 1, end2), end2 < 0 ? null : slice(url, end2 + 1, end3));
    }

    private static int afterThirdSlash(final String url)
    {
        final int first = url.indexOf('/');
        final int second = first < 0 ? -1 : url.indexOf('/', first + 1);
        final int third = second < 0 ? -1 : url.indexOf('/', second + 1);
        return third < 0 ? -1 : third + 1;
    }

    /** @return the text from {@code start} to {@code end}, or to its end where {@code end} is negative. */
    private static String slice(final String text, final int start, final int end)
    {
        return text.substring(start, end < 0 ? text.length() : end);
    }
}
