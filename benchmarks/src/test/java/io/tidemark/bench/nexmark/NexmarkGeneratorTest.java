package io.tidemark.bench.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tidemark.bench.nexmark.generator.NexmarkConfig;
import io.tidemark.bench.nexmark.generator.NexmarkGenerator;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.engine.source.ReadStatus;
import io.tidemark.engine.source.SourceOutput;
import io.tidemark.engine.source.SplitReader;
import org.junit.jupiter.api.Test;

class NexmarkGeneratorTest
{
    /** 50 s of event time at 1,000 events a second, each group of 500 events (0.5 s) shuffled. */
    private static final NexmarkConfig CONFIG = new NexmarkConfig(50_000, 7, 1000, NexmarkConfig.STANDARD_BASE_TIME, 500);

    @Test
    void personsAuctionsAndBidsComeInTheProportionOneThreeFortySix()
    {
        final List<Event> events = generate(CONFIG);
        final long persons = events.stream().filter(event -> event.person != null).count();
        final long auctions = events.stream().filter(event -> event.auction != null).count();
        final long bids = events.stream().filter(event -> event.bid != null).count();
        assertEquals(List.of(1_000L, 3_000L, 46_000L), List.of(persons, auctions, bids));
        final Set<Long> personIds = new HashSet<>();
        final Set<Long> auctionIds = new HashSet<>();
        events.stream().filter(event -> event.person != null).forEach(event -> personIds.add(event.person.id));
        events.stream().filter(event -> event.auction != null).forEach(event -> auctionIds.add(event.auction.id));
        assertEquals(1_000, personIds.size(), "every person has an id of its own");
        assertEquals(1_000L + 999, personIds.stream().mapToLong(Long::longValue).max().orElseThrow(), "persons are numbered from 1000");
        assertEquals(3_000, auctionIds.size(), "every auction has an id of its own");
        assertEquals(1_000L + 2_999, auctionIds.stream().mapToLong(Long::longValue).max().orElseThrow(), "auctions are numbered from 1000");
    }

    @Test
    void bidsAreForAuctionsAndByPersonsAlreadyMadeMostlyHotOnes()
    {
        long maxPerson = -1;
        long maxAuction = -1;
        long hotAuction = 0;
        long hotBidder = 0;
        long bids = 0;
        final NexmarkGenerator generator = new NexmarkGenerator(CONFIG.withOutOfOrderGroupSize(1));
        for (long n = 0; n < CONFIG.events(); n++)
        {
            final Event event = generator.event(n);
            if (event.person != null)
            {
                maxPerson = event.person.id;
            }
            else if (event.auction != null)
            {
                maxAuction = event.auction.id;
                assertTrue(event.auction.seller >= 1000 && event.auction.seller <= maxPerson + 10, "seller " + event.auction.seller);
                assertTrue(event.auction.expires > event.auction.dateTime);
            }
            else
            {
                bids++;
                final long auction = event.bid.auction;
                final long bidder = event.bid.bidder;
                assertTrue(auction >= 1000 && auction <= maxAuction + 10, "auction " + auction + " of " + maxAuction);
                assertTrue(bidder >= 1000 && bidder <= maxPerson + 10, "bidder " + bidder + " of " + maxPerson);
                hotAuction += (auction - 1000) % 100 == 0 ? 1 : 0;
                hotBidder += (bidder - 1000) % 100 == 1 ? 1 : 0;
                assertTrue(event.bid.price >= 100 && event.bid.price <= 100_000_000, "price " + event.bid.price);
            }
        }
        // Hot: one bid in two goes to a hot auction, three in four are by a hot bidder (plus the few random picks that are hot).
        final double auctionShare = (double)hotAuction / bids;
        final double bidderShare = (double)hotBidder / bids;
        assertTrue(auctionShare > 0.49 && auctionShare < 0.52, "hot auctions " + auctionShare);
        assertTrue(bidderShare > 0.74 && bidderShare < 0.77, "hot bidders " + bidderShare);
    }

    @Test
    void aSeedMakesTheSameEventsEveryTimeAndAnotherSeedOthers()
    {
        assertEquals(generate(CONFIG), generate(CONFIG));
        final List<Event> other = generate(CONFIG.withSeed(8));
        assertNotEquals(generate(CONFIG), other);
        assertEquals(46_000, other.stream().filter(event -> event.bid != null).count(), "the kind of each event is the same for every seed");
    }

    @Test
    void splitsTogetherEmitExactlyTheEventsOfOneSplit() throws Exception
    {
        final Map<Event, Long> one = multiset(read(CONFIG, 1));
        assertEquals(multiset(generate(CONFIG)), one);
        assertEquals(one, multiset(read(CONFIG, 3)));
        assertEquals(one, multiset(read(CONFIG.withOutOfOrderGroupSize(1), 2)), "the shuffle only changes the order");
    }

    @Test
    void eventTimeRunsOutOfOrderWithinOneGroupAndWellWithinTheWatermarkBound() throws Exception
    {
        assertEquals(500, CONFIG.maxDisorderMillis());
        assertTrue(CONFIG.maxDisorderMillis() < NexmarkSource.OUT_OF_ORDERNESS.toMillis());
        final Set<Long> numbers = new HashSet<>();
        for (long position = 0; position < CONFIG.events(); position++)
        {
            numbers.add(NexmarkGenerator.eventNumberAt(CONFIG, position));
        }
        assertEquals(CONFIG.events(), numbers.size(), "every event number is emitted once");
        assertEquals(0, numbers.stream().mapToLong(Long::longValue).min().orElseThrow());
        assertEquals(CONFIG.events() - 1, numbers.stream().mapToLong(Long::longValue).max().orElseThrow());
        for (final int splits : new int[] {1, 2})
        {
            final List<List<Event>> perSplit = readSplits(CONFIG, splits);
            long largestLateness = 0;
            for (final List<Event> split : perSplit)
            {
                long latest = split.get(0).dateTime();
                for (final Event event : split)
                {
                    largestLateness = Math.max(largestLateness, latest - event.dateTime());
                    latest = Math.max(latest, event.dateTime());
                }
            }
            assertTrue(largestLateness > 0, "events do come out of order");
            assertTrue(largestLateness <= CONFIG.maxDisorderMillis(), "lateness " + largestLateness);
        }
    }

    @Test
    void aConfigurationOutOfRangeIsRefusedSayingWhy()
    {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
            () -> new NexmarkConfig(10, 0, 1000, 0, 953 * 2));
        assertTrue(error.getMessage().contains("outOfOrderGroupSize=1906"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NexmarkConfig.standard(0));
        assertThrows(IllegalArgumentException.class, () -> new NexmarkConfig(10, 0, 0, 0, 1));
    }

    /** @return the events at positions 0 to N - 1. */
    static List<Event> generate(final NexmarkConfig config)
    {
        final NexmarkGenerator generator = new NexmarkGenerator(config);
        final List<Event> events = new ArrayList<>();
        for (long position = 0; position < config.events(); position++)
        {
            events.add(generator.eventAt(position));
        }
        return events;
    }

    static <T> Map<T, Long> multiset(final List<T> values)
    {
        final Map<T, Long> counts = new HashMap<>();
        for (final T value : values)
        {
            counts.merge(value, 1L, Long::sum);
        }
        return counts;
    }

    private static List<Event> read(final NexmarkConfig config, final int splits) throws Exception
    {
        final List<Event> all = new ArrayList<>();
        readSplits(config, splits).forEach(all::addAll);
        return all;
    }

    /** @return each split's events in the order its reader emits them. */
    private static List<List<Event>> readSplits(final NexmarkConfig config, final int splits) throws Exception
    {
        final NexmarkSource source = new NexmarkSource(config);
        final List<List<Event>> result = new ArrayList<>();
        for (final NexmarkSource.Split split : source.createSplits(splits))
        {
            final List<Event> events = new ArrayList<>();
            final SplitReader<Event> reader = source.createReader(split);
            final SourceOutput<Event> output = new SourceOutput<>()
            {
                @Override
                public void collect(final Event value)
                {
                    events.add(value);
                }

                @Override
                public void collect(final Event value, final long timestamp)
                {
                    assertEquals(value.dateTime(), timestamp);
                    events.add(value);
                }
            };
            while (reader.read(output) != ReadStatus.END_OF_SPLIT)
            {
                assertTrue(events.size() <= config.events());
            }
            result.add(events);
        }
        return result;
    }
}
