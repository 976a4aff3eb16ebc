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
import org.agrona.collections.LongHashSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Query 16's accumulator alone, one thread: the bids of the standard stream's first
 * {@value #EVENTS} events counted per channel (10,004 of them) into fresh accumulators, then
 * every channel's counts read, as one day's window does. {@code table} is {@link BidStats}
 * (one table of ids with their rank bits per channel, counts made when read); {@code sets}
 * the accumulator it replaced (six primitive hash sets per channel, kept here as the
 * reference). Nanoseconds per bid.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BidStatsBenchmark
{
    private static final int EVENTS = 2_000_000;
    /** The bids of {@value #EVENTS} events. */
    private static final int BIDS = EVENTS / 50 * 46;

    /** The accumulator measured. */
    @Param({"table", "sets"})
    public String accumulator;

    private final Bid[] bids = new Bid[BIDS];
    private final int[] channels = new int[BIDS];
    private int channelCount;

    /** Generates the bids and numbers their channels, outside the measurement. */
    @Setup
    public void setUp()
    {
        final NexmarkGenerator generator = new NexmarkGenerator(NexmarkConfig.standard(EVENTS));
        final Map<String, Integer> numbers = new HashMap<>();
        int count = 0;
        for (long n = 0; n < EVENTS; n++)
        {
            final Event event = generator.event(n);
            if (event.bid != null)
            {
                bids[count] = event.bid;
                channels[count] = numbers.computeIfAbsent(event.bid.channel, c -> numbers.size());
                count++;
            }
        }
        channelCount = numbers.size();
    }

    /**
     * @param sink takes every channel's counts.
     */
    @Benchmark
    @OperationsPerInvocation(BIDS)
    public void day(final Blackhole sink)
    {
        final Counter[] stats = new Counter[channelCount];
        final boolean table = accumulator.equals("table");
        for (int i = 0; i < BIDS; i++)
        {
            final int channel = channels[i];
            Counter s = stats[channel];
            if (s == null)
            {
                s = stats[channel] = table ? new Table() : new SixSets();
            }
            s.add(bids[i]);
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
}
