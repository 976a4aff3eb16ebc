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
     * @return its directories.
     */
    public static UrlDirectories of(final Bid bid)
    {
        return new UrlDirectories(bid.auction, bid.bidder, bid.price, bid.channel, part(bid.url, 3), part(bid.url, 4), part(bid.url, 5));
    }

    /**
     * @param text  a text.
     * @param index a part's index, from 0.
     * @return the part of the text between the {@code index}-th '/' and the next one (or the
     * end), as SQL's {@code SPLIT_INDEX(text, '/', index)}; null past the last part.
     */
    public static String part(final String text, final int index)
    {
        int start = 0;
        for (int i = 0; i < index; i++)
        {
            final int slash = text.indexOf('/', start);
            if (slash < 0)
            {
                return null;
            }
            start = slash + 1;
        }
        final int end = text.indexOf('/', start);
        return text.substring(start, end < 0 ? text.length() : end);
    }
}
