package io.tidemark.bench.nexmark;

import io.tidemark.bench.nexmark.model.Bid;
import io.tidemark.bench.nexmark.model.CalculatedBid;
import io.tidemark.bench.nexmark.model.Days;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.engine.api.DataStream;

/**
 * Query 14: the bids priced between 1 and 50 million euro cents (0.908 per dollar cent),
 * with the time of day classified and a user-defined function (how many 'c' the padding
 * holds) computed. Prices are exact: thousandths of a cent, as the query's decimal.
 */
public final class Q14Calculation implements NexmarkQuery<CalculatedBid>
{
    /** Euro prices above this, in thousandths of a cent, are kept. */
    public static final long ABOVE = 1_000_000L * 1000;
    /** Euro prices below this, in thousandths of a cent, are kept. */
    public static final long BELOW = 50_000_000L * 1000;

    /**
     * @param bid a bid.
     * @return whether its euro price is in the range kept.
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
    public static CalculatedBid calculate(final Bid bid)
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

    @Override
    public String name()
    {
        return "q14";
    }

    @Override
    public DataStream<CalculatedBid> build(final DataStream<Event> events)
    {
        return NexmarkQuery.bids(events).filter(Q14Calculation::kept).map(Q14Calculation::calculate).name("q14");
    }
}
