package io.tidemark.bench.nexmark.model;

/**
 * A result of query 21: a bid with its channel's id.
 *
 * @param auction   the auction.
 * @param bidder    the bidder.
 * @param price     the price, in cents.
 * @param channel   the channel.
 * @param channelId the channel's id: {@code 0} to {@code 3} for the four named channels, else
 *                  the URL's {@code channel_id} parameter.
 */
public record ChannelBid(long auction, long bidder, long price, String channel, String channelId)
{
    /** The channels with an id of their own, lower case; the id is the index. */
    private static final String[] NAMED = {"apple", "google", "facebook", "baidu"};
    private static final String[] NAMED_IDS = {"0", "1", "2", "3"};
    private static final String PARAMETER = "channel_id=";
    /** The Kelvin sign, the one character outside ASCII that lower-cases to a letter of ASCII (k). */
    private static final char KELVIN = '\u212A';

    /**
     * @param bid a bid.
     * @return the bid with its channel's id, or null if it has none (the query drops it).
     */
    public static ChannelBid of(final Bid bid)
    {
        final String id = channelId(bid.channel, bid.url);
        return id == null ? null : new ChannelBid(bid.auction, bid.bidder, bid.price, bid.channel, id);
    }

    /**
     * The benchmark's SQL: {@code CASE WHEN lower(channel) = 'apple' THEN '0'} ... ({@code
     * google} 1, {@code facebook} 2, {@code baidu} 3) {@code ELSE REGEXP_EXTRACT(url,
     * '(&|^)channel_id=([^&]*)', 2)}, a row kept if that is not null. Computed without a
     * regular expression or a lower-cased copy per bid: the channel is compared a character at
     * a time, lower-cased as {@code String.toLowerCase(Locale.ROOT)} would, and the URL scanned
     * for the first {@code channel_id=} at its start or after a '&amp;', which is where the
     * expression's first match starts; the value runs to the next '&amp;' or the end, and may be
     * empty, as the expression's group may.
     *
     * @param channel a bid's channel.
     * @param url     its URL.
     * @return the channel's id, or null if it has none.
     */
    public static String channelId(final String channel, final String url)
    {
        for (int i = 0; i < NAMED.length; i++)
        {
            if (lowerCaseIs(channel, NAMED[i]))
            {
                return NAMED_IDS[i];
            }
        }
        int from = 0;
        while (true)
        {
            final int at = url.indexOf(PARAMETER, from);
            if (at < 0)
            {
                return null;
            }
            if (at == 0 || url.charAt(at - 1) == '&')
            {
                final int start = at + PARAMETER.length();
                final int end = url.indexOf('&', start);
                return url.substring(start, end < 0 ? url.length() : end);
            }
            from = at + 1;
        }
    }

    /**
     * @param text  a text.
     * @param lower a word of ASCII lower-case letters.
     * @return whether the text lower-cased ({@code Locale.ROOT}) is the word. A character that
     * lower-cases to a letter of ASCII is that letter's capital or the Kelvin sign ({@code
     * toLowerCase} of 'İ' is two characters, 'i' and a dot), so the lengths must be equal.
     */
    private static boolean lowerCaseIs(final String text, final String lower)
    {
        final int length = lower.length();
        if (text.length() != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            final char expected = lower.charAt(i);
            if (c != expected && c != expected - ('a' - 'A') && !(c == KELVIN && expected == 'k'))
            {
                return false;
            }
        }
        return true;
    }
}
