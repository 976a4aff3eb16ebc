package io.tidemark.bench.nexmark;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.tidemark.bench.nexmark.generator.NexmarkConfig;
import io.tidemark.bench.nexmark.generator.NexmarkGenerator;
import io.tidemark.bench.nexmark.model.Bid;
import io.tidemark.bench.nexmark.model.BidCounts;
import io.tidemark.bench.nexmark.model.BidStats;
import io.tidemark.bench.nexmark.model.Event;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Query 16's accumulator alone, one thread: the bids of the standard stream's first
 * 2 M or 10 M events counted per channel (10,004 of them) into fresh accumulators, then
 * every channel's counts read, as one day's window does. {@code table} is {@link BidStats}
 * (per channel a log of ids with their rank bits, sorted and merged into a run of the
 * distinct ones when it fills, counts made when read); {@code map} the same ids and rank bits in agrona's
 * {@code Long2LongHashMap}; {@code sets} the accumulator the table replaced (six primitive
 * hash sets per channel, kept here as the reference). Milliseconds per day (divide by the
 * bids, 46 of every 50 events, for a bid's share).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BidStatsBenchmark
{
    /** The events whose bids are counted: 2 M (about 90 bids per cold channel) or 10 M (about 460). */
    @Param({"2000000", "10000000"})
    public int events;

    /** The accumulator measured. */
    @Param({"table", "map", "sets"})
    public String accumulator;

    // The fields the accumulators read, by bid; the bids themselves (with their padding) would not fit the heap at 10 M events.
    private long[] auctions;
    private long[] bidders;
    private long[] prices;
    private long[] times;
    private int[] channels;
    private int bidCount;
    private int channelCount;
    private final Bid bid = new Bid();

    /** Generates the bids and numbers their channels, outside the measurement. */
    @Setup
    public void setUp()
    {
        final NexmarkGenerator generator = new NexmarkGenerator(NexmarkConfig.standard(events));
        final Map<String, Integer> numbers = new HashMap<>();
        auctions = new long[events];
        bidders = new long[events];
        prices = new long[events];
        times = new long[events];
        channels = new int[events];
        int count = 0;
        for (long n = 0; n < events; n++)
        {
            final Event event = generator.event(n);
            if (event.bid != null)
            {
                auctions[count] = event.bid.auction;
                bidders[count] = event.bid.bidder;
                prices[count] = event.bid.price;
                times[count] = event.bid.dateTime;
                channels[count] = numbers.computeIfAbsent(event.bid.channel, c -> numbers.size());
                count++;
            }
        }
        bidCount = count;
        channelCount = numbers.size();
    }

    /**
     * @param sink takes every channel's counts.
     */
    @Benchmark
    public void day(final Blackhole sink)
    {
        final Counter[] stats = new Counter[channelCount];
        final String kind = accumulator;
        final Bid b = bid;
        for (int i = 0; i < bidCount; i++)
        {
            final int channel = channels[i];
            Counter s = stats[channel];
            if (s == null)
            {
                s = stats[channel] = switch (kind)
                {
                    case "table" -> new Table();
                    case "map" -> new RankMap();
                    default -> new SixSets();
                };
            }
            b.auction = auctions[i];
            b.bidder = bidders[i];
            b.price = prices[i];
            b.dateTime = times[i];
            s.add(b);
        }
        for (final Counter s : stats)
        {
            sink.consume(s.counts());
        }
    }

    /** A channel's accumulator; one implementation per fork, so the calls stay monomorphic. */
    private interface Counter
    {
        void add(Bid bid);

        BidCounts counts();
    }

    /** {@link BidStats}, the accumulator both sides run. */
    private static final class Table implements Counter
    {
        private final BidStats stats = new BidStats();

        @Override
        public void add(final Bid bid)
        {
            stats.add(bid);
        }

        @Override
        public BidCounts counts()
        {
            return stats.counts();
        }
    }

    /** The reference: a primitive set of bidders and one of auctions in all and per rank. */
    private static final class SixSets implements Counter
    {
        private final long[] bids = new long[4];
        private final LongHashSet[] bidders = {new LongHashSet(), new LongHashSet(), new LongHashSet(), new LongHashSet()};
        private final LongHashSet[] auctions = {new LongHashSet(), new LongHashSet(), new LongHashSet(), new LongHashSet()};

        @Override
        public void add(final Bid bid)
        {
            final int rank = BidCounts.rank(bid.price);
            bids[0]++;
            bids[rank]++;
            bidders[0].add(bid.bidder);
            bidders[rank].add(bid.bidder);
            auctions[0].add(bid.auction);
            auctions[rank].add(bid.auction);
        }

        @Override
        public BidCounts counts()
        {
            return new BidCounts(bids[0], bids[1], bids[2], bids[3], bidders[0].size(), bidders[1].size(), bidders[2].size(), bidders[3].size(),
                auctions[0].size(), auctions[1].size(), auctions[2].size(), auctions[3].size());
        }
    }

    /** Agrona's map from an id and its kind to the ranks it was seen with. */
    private static final class RankMap implements Counter
    {
        private final long[] bids = new long[4];
        private final Long2LongHashMap ranks = new Long2LongHashMap(0);

        @Override
        public void add(final Bid bid)
        {
            final int rank = BidCounts.rank(bid.price);
            bids[0]++;
            bids[rank]++;
            see(bid.bidder << 1, rank);
            see(bid.auction << 1 | 1, rank);
        }

        private void see(final long key, final int rank)
        {
            final long seen = ranks.get(key);
            final long now = seen | 1L << rank;
            if (now != seen)
            {
                ranks.put(key, now);
            }
        }

        @Override
        public BidCounts counts()
        {
            final long[] d = new long[8];
            ranks.forEachLong((key, seen) ->
            {
                final int base = (int)(key & 1) << 2;
                d[base]++;
                d[base + 1] += seen >>> 1 & 1;
                d[base + 2] += seen >>> 2 & 1;
                d[base + 3] += seen >>> 3 & 1;
            });
            return new BidCounts(bids[0], bids[1], bids[2], bids[3], d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]);
        }
    }
}
