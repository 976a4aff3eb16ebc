package io.tidemark.bench.nexmark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Nexmark queries implemented, by name. A query is one class; adding one is that class
 * and its line here.
 */
public final class NexmarkQueries
{
    private static final Map<String, NexmarkQuery<?>> QUERIES = new LinkedHashMap<>();

    static
    {
        for (final NexmarkQuery<?> query : List.of(new Q0PassThrough(), new Q1CurrencyConversion(), new Q2Selection(), new Q3LocalItemSuggestion(),
            new Q4AveragePriceForCategory(), new Q5HotItems(), new Q6AverageSellingPriceBySeller(), new Q7HighestBid(), new Q8MonitorNewUsers(), new Q9WinningBids(), new Q11UserSessions(),
            new Q12ProcessingTimeWindows(), new Q14Calculation(), new Q15BiddingStatistics(), new Q16ChannelStatistics(), new Q17AuctionStatistics(),
            new Q18LastBid(), new Q19AuctionTopTen(), new Q20ExpandedBids(), new Q21ChannelId(), new Q22UrlDirectories()))
        {
            QUERIES.put(query.name(), query);
        }
    }

    private NexmarkQueries()
    {
    }

    /**
     * @return every query, in the benchmark's order.
     */
    public static List<NexmarkQuery<?>> all()
    {
        return List.copyOf(QUERIES.values());
    }

    /**
     * @param name a query's name, {@code q0} ... {@code q22}.
     * @return the query.
     * @throws IllegalArgumentException naming the queries there are, if there is none by that name.
     */
    public static NexmarkQuery<?> named(final String name)
    {
        final NexmarkQuery<?> query = QUERIES.get(name);
        if (query == null)
        {
            throw new IllegalArgumentException("no Nexmark query '" + name + "'; there are " + QUERIES.keySet());
        }
        return query;
    }
}
