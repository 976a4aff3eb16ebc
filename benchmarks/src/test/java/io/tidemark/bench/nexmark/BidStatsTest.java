package io.tidemark.bench.nexmark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tidemark.bench.nexmark.model.Bid;
import io.tidemark.bench.nexmark.model.BidCounts;
import io.tidemark.bench.nexmark.model.BidStats;
import io.tidemark.bench.nexmark.model.RankedDistincts;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BidStatsTest
{
    @Test
    void countsAsPlainSetsDoThroughGrowthAndMerge()
    {
        final Random random = new Random(11);
        final List<Bid> all = new ArrayList<>();
        final BidStats whole = new BidStats();
        final BidStats left = new BidStats();
        final BidStats right = new BidStats();
        for (int i = 0; i < 50_000; i++)
        {
            // Few hot ids and many cold ones, ids shared by bidders and auctions, so the kind bit matters.
            final long bidder = random.nextInt(4) == 0 ? 1000 + random.nextInt(20_000) : 1000 + random.nextInt(5);
            final long auction = 1000 + random.nextInt(3_000);
            final long price = random.nextInt(3) == 0 ? 50 + random.nextInt(9_000) : random.nextInt(2) == 0 ? 20_000 : 5_000_000;
            final Bid bid = new Bid(auction, bidder, price, "channel-0", "url", i, "");
            all.add(bid);
            whole.add(bid);
            (i % 3 == 0 ? left : right).add(bid);
        }
        final BidCounts expected = NexmarkOracle.counts(all);
        assertEquals(expected, whole.counts());
        assertEquals(expected, left.merge(right).counts());
        assertEquals(all.size() - 1, whole.latest());
    }

    @Test
    void countsGroupsThatNeverLeaveTheLogAndMergesThemWithTabledOnes()
    {
        final Random random = new Random(12);
        // 100 bids log 200 entries, under the log's capacity; 1,000 bids overflow it into a table.
        for (final int[] sizes : new int[][] {{0, 0}, {1, 0}, {100, 100}, {100, 1_000}, {1_000, 100}, {128, 1}, {129, 0}})
        {
            final List<Bid> all = new ArrayList<>();
            final BidStats first = new BidStats();
            final BidStats second = new BidStats();
            final BidStats firstAlone = new BidStats();
            for (int side = 0; side < 2; side++)
            {
                for (int i = 0; i < sizes[side]; i++)
                {
                    final Bid bid = new Bid(1000 + random.nextInt(60), 1000 + random.nextInt(60), random.nextInt(3) == 0 ? 500 : 50_000 + random.nextInt(2) * 5_000_000,
                        "channel-1", "url", i, "");
                    all.add(bid);
                    (side == 0 ? first : second).add(bid);
                    if (side == 0)
                    {
                        firstAlone.add(bid);
                    }
                }
            }
            assertEquals(NexmarkOracle.counts(all.subList(0, sizes[0])), firstAlone.counts(), "first alone, sizes " + sizes[0] + ", " + sizes[1]);
            assertEquals(NexmarkOracle.counts(all), first.merge(second).counts(), "merged, sizes " + sizes[0] + ", " + sizes[1]);
            // Counting folded the log into a table: bids after it must still count, once.
            final Bid late = new Bid(2000, 1000, 500, "channel-1", "url", 0, "");
            all.add(late);
            all.add(late);
            first.add(late).add(late);
            assertEquals(NexmarkOracle.counts(all), first.counts(), "a bid after counting, sizes " + sizes[0] + ", " + sizes[1]);
        }
    }

    @Test
    void sortsIdsAcrossTheWholeRangeAndCountsBetweenBids()
    {
        final Random random = new Random(13);
        final List<Bid> all = new ArrayList<>();
        final BidStats stats = new BidStats();
        for (int i = 0; i < 20_000; i++)
        {
            // Ids from 0 to the largest packable, and a few repeated ones, so that every digit of the sort counts.
            final long wide = random.nextInt(2) == 0 ? random.nextLong(1L << 59) : (1L << 59) - 1 - random.nextInt(300);
            final long bidder = random.nextInt(3) == 0 ? wide : random.nextInt(300);
            final long auction = random.nextInt(3) == 0 ? random.nextInt(300) : wide;
            final Bid bid = new Bid(auction, bidder, random.nextInt(3) == 0 ? 500 : 50_000 + random.nextInt(2) * 5_000_000, "channel-2", "url", i, "");
            all.add(bid);
            stats.add(bid);
            if (i % 4_999 == 0)
            {
                assertEquals(NexmarkOracle.counts(all), stats.counts(), "after " + all.size() + " bids");
            }
        }
        assertEquals(NexmarkOracle.counts(all), stats.counts());
    }

    @Test
    void refusesIdsItCannotPack()
    {
        final RankedDistincts distincts = new RankedDistincts();
        assertThrows(IllegalArgumentException.class, () -> distincts.add(RankedDistincts.BIDDER, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> distincts.add(RankedDistincts.AUCTION, 1L << 59, 1));
        distincts.add(RankedDistincts.AUCTION, (1L << 59) - 1, 3);
        assertArrayEquals(new long[] {0, 0, 0, 0, 1, 0, 0, 1}, distincts.counts());
    }
}
