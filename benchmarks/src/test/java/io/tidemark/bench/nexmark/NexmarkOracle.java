package io.tidemark.bench.nexmark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tidemark.bench.nexmark.model.Auction;
import io.tidemark.bench.nexmark.model.AuctionBid;
import io.tidemark.bench.nexmark.model.AuctionDayStats;
import io.tidemark.bench.nexmark.model.AuctionPrice;
import io.tidemark.bench.nexmark.model.Bid;
import io.tidemark.bench.nexmark.model.BidCounts;
import io.tidemark.bench.nexmark.model.BidderCount;
import io.tidemark.bench.nexmark.model.CalculatedBid;
import io.tidemark.bench.nexmark.model.CategoryPrice;
import io.tidemark.bench.nexmark.model.ChannelBid;
import io.tidemark.bench.nexmark.model.ChannelDayStats;
import io.tidemark.bench.nexmark.model.DayStats;
import io.tidemark.bench.nexmark.model.Days;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.bench.nexmark.model.HotItem;
import io.tidemark.bench.nexmark.model.NewUser;
import io.tidemark.bench.nexmark.model.Person;
import io.tidemark.bench.nexmark.model.SellerItem;
import io.tidemark.bench.nexmark.model.SellerPrice;
import io.tidemark.bench.nexmark.model.UrlDirectories;

/**
 * The queries computed the plain way over the whole list of events, as a batch: loops, maps
 * and sets, none of the shared accumulators the jobs use. What the jobs must match.
 */
final class NexmarkOracle
{
    /** Query 21's expression, as the benchmark's SQL writes it. */
    private static final Pattern CHANNEL_ID = Pattern.compile("(&|^)channel_id=([^&]*)");
    /** Queries 18 and 19's last tie-break: the lower digest of the text. */
    private static final Comparator<Bid> TEXT = Comparator.comparingLong(Bid::textDigest);
    /** Query 18's order: the latest first, then the highest price, then the text. */
    static final Comparator<Bid> LAST_FIRST = Comparator.<Bid>comparingLong(bid -> -bid.dateTime).thenComparingLong(bid -> -bid.price).thenComparing(TEXT);
    /** Query 19's order: the highest price first, then the earliest, the lowest bidder, the text. */
    static final Comparator<Bid> TOP_FIRST = Comparator.<Bid>comparingLong(bid -> -bid.price).thenComparingLong(bid -> bid.dateTime)
        .thenComparingLong(bid -> bid.bidder).thenComparing(TEXT);

    private final List<Person> persons = new ArrayList<>();
    private final List<Auction> auctions = new ArrayList<>();
    private final List<Bid> bids = new ArrayList<>();

    /**
     * @param events every event of the stream.
     */
    NexmarkOracle(final List<Event> events)
    {
        for (final Event event : events)
        {
            if (event.person != null)
            {
                persons.add(event.person);
            }
            if (event.auction != null)
            {
                auctions.add(event.auction);
            }
            if (event.bid != null)
            {
                bids.add(event.bid);
            }
        }
    }

    List<Bid> q0()
    {
        return bids;
    }

    List<Bid> q1()
    {
        final List<Bid> result = new ArrayList<>();
        for (final Bid bid : bids)
        {
            result.add(new Bid(bid.auction, bid.bidder, bid.price * 908 / 1000, bid.channel, bid.url, bid.dateTime, bid.extra));
        }
        return result;
    }

    List<AuctionPrice> q2()
    {
        final List<AuctionPrice> result = new ArrayList<>();
        for (final Bid bid : bids)
        {
            if (bid.auction % 123 == 0)
            {
                result.add(new AuctionPrice(bid.auction, bid.price));
            }
        }
        return result;
    }

    List<SellerItem> q3()
    {
        final Map<Long, Person> local = new HashMap<>();
        for (final Person person : persons)
        {
            if (person.state.equals("OR") || person.state.equals("ID") || person.state.equals("CA"))
            {
                local.put(person.id, person);
            }
        }
        final List<SellerItem> result = new ArrayList<>();
        for (final Auction auction : auctions)
        {
            final Person seller = local.get(auction.seller);
            if (auction.category == 10 && seller != null)
            {
                result.add(new SellerItem(seller.name, seller.city, seller.state, auction.id));
            }
        }
        return result;
    }

    /** @return each category's final figures: its auctions with a winning bid and the sum of their winning prices. */
    List<CategoryPrice> q4()
    {
        final Map<Long, long[]> perCategory = new TreeMap<>();
        for (final AuctionBid winner : q9())
        {
            final long[] figures = perCategory.computeIfAbsent(winner.auction().category, category -> new long[2]);
            figures[0]++;
            figures[1] += winner.bid().price;
        }
        final List<CategoryPrice> result = new ArrayList<>();
        perCategory.forEach((category, figures) -> result.add(new CategoryPrice(category, figures[0], figures[1])));
        return result;
    }

    /**
     * @return per auction closed with a winning bid, its seller's average winning price over
     * their last 10 auctions closed (by expiry, then id) up to it.
     */
    List<SellerPrice> q6()
    {
        final List<AuctionBid> closing = new ArrayList<>(q9());
        closing.sort(Comparator.<AuctionBid>comparingLong(winner -> winner.auction().expires).thenComparingLong(winner -> winner.auction().id));
        final Map<Long, List<Long>> pricesPerSeller = new HashMap<>();
        final List<SellerPrice> result = new ArrayList<>();
        for (final AuctionBid winner : closing)
        {
            final List<Long> prices = pricesPerSeller.computeIfAbsent(winner.auction().seller, seller -> new ArrayList<>());
            prices.add(winner.bid().price);
            final List<Long> last = prices.subList(Math.max(0, prices.size() - 10), prices.size());
            final long sum = last.stream().mapToLong(Long::longValue).sum();
            result.add(new SellerPrice(winner.auction().seller, winner.auction().id, sum / last.size()));
        }
        return result;
    }

    List<NewUser> q8()
    {
        final Set<List<Long>> sellerWindows = new HashSet<>();
        for (final Auction auction : auctions)
        {
            sellerWindows.add(List.of(auction.seller, Math.floorDiv(auction.dateTime, 10_000)));
        }
        final List<NewUser> result = new ArrayList<>();
        for (final Person person : persons)
        {
            final long window = Math.floorDiv(person.dateTime, 10_000);
            if (sellerWindows.contains(List.of(person.id, window)))
            {
                result.add(new NewUser(person.id, person.name, window * 10_000));
            }
        }
        return result;
    }

    List<AuctionBid> q9()
    {
        final Map<Long, List<Bid>> perAuction = new HashMap<>();
        for (final Bid bid : bids)
        {
            perAuction.computeIfAbsent(bid.auction, auction -> new ArrayList<>()).add(bid);
        }
        final Comparator<Bid> best = Comparator.<Bid>comparingLong(bid -> -bid.price).thenComparingLong(bid -> bid.dateTime).thenComparingLong(bid -> bid.bidder);
        final List<AuctionBid> result = new ArrayList<>();
        for (final Auction auction : auctions)
        {
            perAuction.getOrDefault(auction.id, List.of()).stream()
                .filter(bid -> auction.dateTime <= bid.dateTime && bid.dateTime <= auction.expires)
                .min(best)
                .ifPresent(winner -> result.add(new AuctionBid(auction, winner)));
        }
        return result;
    }

    List<AuctionBid> q20()
    {
        final Map<Long, Auction> ofCategory = new HashMap<>();
        for (final Auction auction : auctions)
        {
            if (auction.category == 10)
            {
                ofCategory.put(auction.id, auction);
            }
        }
        final List<AuctionBid> result = new ArrayList<>();
        for (final Bid bid : bids)
        {
            final Auction auction = ofCategory.get(bid.auction);
            if (auction != null)
            {
                result.add(new AuctionBid(auction, bid));
            }
        }
        return result;
    }

    List<HotItem> q5()
    {
        // window start -> auction -> bids
        final Map<Long, Map<Long, Long>> counts = new TreeMap<>();
        for (final Bid bid : bids)
        {
            for (long start = Math.floorDiv(bid.dateTime, 2000) * 2000; start > bid.dateTime - 10_000; start -= 2000)
            {
                counts.computeIfAbsent(start, s -> new HashMap<>()).merge(bid.auction, 1L, Long::sum);
            }
        }
        final List<HotItem> result = new ArrayList<>();
        counts.forEach((start, perAuction) ->
        {
            final long max = perAuction.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            perAuction.forEach((auction, count) ->
            {
                if (count == max)
                {
                    result.add(new HotItem(auction, count, start, start + 10_000));
                }
            });
        });
        return result;
    }

    List<Bid> q7()
    {
        final Map<Long, List<Bid>> windows = new TreeMap<>();
        for (final Bid bid : bids)
        {
            windows.computeIfAbsent(Math.floorDiv(bid.dateTime, 10_000), w -> new ArrayList<>()).add(bid);
        }
        final List<Bid> result = new ArrayList<>();
        for (final List<Bid> window : windows.values())
        {
            final long max = window.stream().mapToLong(bid -> bid.price).max().orElseThrow();
            window.stream().filter(bid -> bid.price == max).forEach(result::add);
        }
        return result;
    }

    List<BidderCount> q11()
    {
        final Map<Long, List<Long>> times = new HashMap<>();
        for (final Bid bid : bids)
        {
            times.computeIfAbsent(bid.bidder, b -> new ArrayList<>()).add(bid.dateTime);
        }
        final List<BidderCount> result = new ArrayList<>();
        times.forEach((bidder, list) ->
        {
            list.sort(null);
            long start = list.get(0);
            long last = start;
            long count = 0;
            for (final long time : list)
            {
                // A bid at or before the session's end (last + gap) joins it: windows that touch merge.
                if (time > last + 10_000)
                {
                    result.add(new BidderCount(bidder, count, start, last + 10_000));
                    start = time;
                    count = 0;
                }
                last = time;
                count++;
            }
            result.add(new BidderCount(bidder, count, start, last + 10_000));
        });
        return result;
    }

    Map<Long, Long> bidsPerBidder()
    {
        final Map<Long, Long> result = new HashMap<>();
        for (final Bid bid : bids)
        {
            result.merge(bid.bidder, 1L, Long::sum);
        }
        return result;
    }

    List<CalculatedBid> q14()
    {
        final List<CalculatedBid> result = new ArrayList<>();
        for (final Bid bid : bids)
        {
            final double euros = 0.908 * bid.price;
            if (euros > 1_000_000 && euros < 50_000_000)
            {
                final int hour = (int)(bid.dateTime / 3_600_000 % 24);
                final String type = hour >= 8 && hour <= 18 ? "dayTime" : hour <= 6 || hour >= 20 ? "nightTime" : "otherTime";
                result.add(new CalculatedBid(bid.auction, bid.bidder, Math.round(euros * 1000), type, bid.dateTime, bid.extra,
                    bid.extra.chars().filter(c -> c == 'c').count()));
            }
        }
        return result;
    }

    List<DayStats> q15()
    {
        final Map<String, List<Bid>> days = new TreeMap<>();
        for (final Bid bid : bids)
        {
            days.computeIfAbsent(Days.day(bid.dateTime), d -> new ArrayList<>()).add(bid);
        }
        final List<DayStats> result = new ArrayList<>();
        days.forEach((day, group) -> result.add(new DayStats(day, counts(group))));
        return result;
    }

    List<ChannelDayStats> q16()
    {
        final Map<List<String>, List<Bid>> groups = new HashMap<>();
        for (final Bid bid : bids)
        {
            groups.computeIfAbsent(List.of(bid.channel, Days.day(bid.dateTime)), d -> new ArrayList<>()).add(bid);
        }
        final List<ChannelDayStats> result = new ArrayList<>();
        groups.forEach((key, group) ->
        {
            final String minute = group.stream().map(bid -> Days.minute(bid.dateTime)).max(String::compareTo).orElseThrow();
            result.add(new ChannelDayStats(key.get(0), key.get(1), minute, counts(group)));
        });
        return result;
    }

    List<AuctionDayStats> q17()
    {
        final Map<List<Object>, List<Bid>> groups = new HashMap<>();
        for (final Bid bid : bids)
        {
            groups.computeIfAbsent(List.of(bid.auction, Days.day(bid.dateTime)), d -> new ArrayList<>()).add(bid);
        }
        final List<AuctionDayStats> result = new ArrayList<>();
        groups.forEach((key, group) ->
        {
            final long[] ranks = new long[4];
            long sum = 0;
            for (final Bid bid : group)
            {
                ranks[bid.price < 10_000 ? 1 : bid.price < 1_000_000 ? 2 : 3]++;
                sum += bid.price;
            }
            final long min = group.stream().mapToLong(bid -> bid.price).min().orElseThrow();
            final long max = group.stream().mapToLong(bid -> bid.price).max().orElseThrow();
            result.add(new AuctionDayStats((Long)key.get(0), (String)key.get(1), group.size(), ranks[1], ranks[2], ranks[3], min, max, sum / group.size(), sum));
        });
        return result;
    }

    /** @return per (bidder, auction), its last bid. */
    Map<List<Long>, Bid> q18()
    {
        final Map<List<Long>, Bid> result = new HashMap<>();
        for (final Bid bid : bids)
        {
            result.merge(List.of(bid.bidder, bid.auction), bid, (a, b) -> LAST_FIRST.compare(a, b) <= 0 ? a : b);
        }
        return result;
    }

    /** @return per auction, its 10 highest bids in rank order (all of them if fewer). */
    Map<Long, List<Bid>> q19()
    {
        final Map<Long, List<Bid>> perAuction = new HashMap<>();
        for (final Bid bid : bids)
        {
            perAuction.computeIfAbsent(bid.auction, auction -> new ArrayList<>()).add(bid);
        }
        final Map<Long, List<Bid>> result = new HashMap<>();
        perAuction.forEach((auction, list) -> result.put(auction, list.stream().sorted(TOP_FIRST).limit(10).toList()));
        return result;
    }

    List<ChannelBid> q21()
    {
        final List<ChannelBid> result = new ArrayList<>();
        for (final Bid bid : bids)
        {
            final String id = channelId(bid.channel, bid.url);
            if (id != null)
            {
                result.add(new ChannelBid(bid.auction, bid.bidder, bid.price, bid.channel, id));
            }
        }
        return result;
    }

    /**
     * @return query 21's channel id as the SQL computes it: the lower-cased channel's number if
     * it is one of the four, else the expression's second group, or null.
     */
    static String channelId(final String channel, final String url)
    {
        return switch (channel.toLowerCase(Locale.ROOT))
        {
            case "apple" -> "0";
            case "google" -> "1";
            case "facebook" -> "2";
            case "baidu" -> "3";
            default ->
            {
                final Matcher matcher = CHANNEL_ID.matcher(url);
                yield matcher.find() ? matcher.group(2) : null;
            }
        };
    }

    List<UrlDirectories> q22()
    {
        final List<UrlDirectories> result = new ArrayList<>();
        for (final Bid bid : bids)
        {
            final String[] parts = bid.url.split("/", -1);
            result.add(new UrlDirectories(bid.auction, bid.bidder, bid.price, bid.channel, parts.length > 3 ? parts[3] : null,
                parts.length > 4 ? parts[4] : null, parts.length > 5 ? parts[5] : null));
        }
        return result;
    }

    /**
     * @param group bids.
     * @return their counts, from plain sets.
     */
    static BidCounts counts(final List<Bid> group)
    {
        final long[] count = new long[4];
        final List<Set<Long>> bidders = List.of(new HashSet<>(), new HashSet<>(), new HashSet<>(), new HashSet<>());
        final List<Set<Long>> auctions = List.of(new HashSet<>(), new HashSet<>(), new HashSet<>(), new HashSet<>());
        for (final Bid bid : group)
        {
            final int rank = bid.price < 10_000 ? 1 : bid.price < 1_000_000 ? 2 : 3;
            for (final int i : new int[] {0, rank})
            {
                count[i]++;
                bidders.get(i).add(bid.bidder);
                auctions.get(i).add(bid.auction);
            }
        }
        return new BidCounts(count[0], count[1], count[2], count[3], bidders.get(0).size(), bidders.get(1).size(), bidders.get(2).size(),
            bidders.get(3).size(), auctions.get(0).size(), auctions.get(1).size(), auctions.get(2).size(), auctions.get(3).size());
    }
}
