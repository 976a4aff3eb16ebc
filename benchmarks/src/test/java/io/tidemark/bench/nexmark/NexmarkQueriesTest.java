package io.tidemark.bench.nexmark;

import static io.tidemark.bench.nexmark.NexmarkGeneratorTest.multiset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.tidemark.bench.nexmark.generator.NexmarkConfig;
import io.tidemark.bench.nexmark.model.Bid;
import io.tidemark.bench.nexmark.model.BidderCount;
import io.tidemark.bench.nexmark.model.CategoryPrice;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.bench.nexmark.model.RankedBid;
import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.sink.CollectSink;
import io.tidemark.engine.source.ReadStatus;
import io.tidemark.engine.source.Source;
import io.tidemark.engine.source.SourceOutput;
import io.tidemark.engine.source.SplitReader;
import io.tidemark.engine.task.JobHandle;
import io.tidemark.engine.testing.Poll;
import io.tidemark.engine.time.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each query's job against the same query computed as a batch over the whole event list
 * ({@link NexmarkOracle}): equal as multisets. The generator's disorder (1 s) is within the
 * watermark's bound (4 s), so no record is late and the event-time windows are exact.
 */
class NexmarkQueriesTest
{
    /**
     * 40 s of event time at 500 events a second across midnight (two days for queries 15 to
     * 17), groups of 500 events (1 s) shuffled.
     */
    private static final NexmarkConfig CONFIG = new NexmarkConfig(20_000, 11, 500, NexmarkConfig.STANDARD_BASE_TIME - 20_000, 500);
    private static final NexmarkOracle ORACLE = new NexmarkOracle(NexmarkGeneratorTest.generate(CONFIG));
    /**
     * 2 ms of event time at the standard stream's 10 million events a second, groups of 500
     * shuffled: bids of a pair at the same millisecond, for queries 18 and 19's ties.
     */
    private static final NexmarkConfig DENSE = new NexmarkConfig(20_000, 11, 10_000_000, NexmarkConfig.STANDARD_BASE_TIME, 500);
    private static final NexmarkOracle DENSE_ORACLE = new NexmarkOracle(NexmarkGeneratorTest.generate(DENSE));

    @ParameterizedTest(name = "{0} at parallelism {1}")
    @CsvSource({"q0, 2", "q1, 2", "q2, 2", "q3, 2", "q5, 1", "q5, 2", "q6, 1", "q6, 2", "q7, 2", "q8, 2", "q9, 1", "q9, 2", "q11, 2", "q14, 2", "q15, 2", "q16, 2", "q17, 2",
        "q20, 2", "q21, 2", "q22, 2"})
    void theJobGivesWhatTheBatchComputationGives(final String name, final int parallelism)
    {
        final Map<String, Function<NexmarkOracle, List<?>>> oracles = Map.ofEntries(
            Map.entry("q0", NexmarkOracle::q0), Map.entry("q1", NexmarkOracle::q1), Map.entry("q2", NexmarkOracle::q2), Map.entry("q3", NexmarkOracle::q3),
            Map.entry("q5", NexmarkOracle::q5), Map.entry("q6", NexmarkOracle::q6), Map.entry("q7", NexmarkOracle::q7), Map.entry("q8", NexmarkOracle::q8), Map.entry("q9", NexmarkOracle::q9),
            Map.entry("q11", NexmarkOracle::q11), Map.entry("q20", NexmarkOracle::q20),
            Map.entry("q14", NexmarkOracle::q14), Map.entry("q15", NexmarkOracle::q15), Map.entry("q16", NexmarkOracle::q16),
            Map.entry("q17", NexmarkOracle::q17), Map.entry("q21", NexmarkOracle::q21), Map.entry("q22", NexmarkOracle::q22));
        final List<?> expected = oracles.get(name).apply(ORACLE);
        assertTrue(!expected.isEmpty(), "the query has results to compare");
        assertEquals(multiset(expected), multiset(run(NexmarkQueries.named(name), parallelism)));
    }

    @Test
    void query4sLastUpdatePerCategoryIsItsFinalAverage()
    {
        final Map<Long, CategoryPrice> last = new HashMap<>();
        final List<Object> updates = run(NexmarkQueries.named("q4"), 2);
        for (final Object update : updates)
        {
            final CategoryPrice prices = (CategoryPrice)update;
            last.merge(prices.category(), prices, (a, b) -> a.auctions() > b.auctions() ? a : b);
        }
        final long closed = ORACLE.q9().size();
        assertEquals(closed, updates.size(), "one update per closed auction with a winning bid");
        assertEquals(multiset(ORACLE.q4()), multiset(new ArrayList<>(last.values())));
    }

    @ParameterizedTest(name = "at parallelism {0}, dense {1}")
    @CsvSource({"1, false", "2, false", "1, true", "2, true"})
    void query18sUpdatesPerPairGetLaterAndTheLastIsThePairsLastBid(final int parallelism, final boolean dense)
    {
        final Map<List<Long>, Bid> last = new HashMap<>();
        final List<Object> updates = run(NexmarkQueries.named("q18"), parallelism, dense ? DENSE : CONFIG);
        for (final Object update : updates)
        {
            final Bid bid = (Bid)update;
            // A pair's updates come from one subtask, in the order it emitted them.
            final Bid before = last.put(List.of(bid.bidder, bid.auction), bid);
            assertTrue(before == null || NexmarkOracle.LAST_FIRST.compare(bid, before) < 0, () -> bid + " is no later than " + before);
        }
        final NexmarkOracle oracle = dense ? DENSE_ORACLE : ORACLE;
        final Map<List<Long>, Bid> expected = oracle.q18();
        assertTrue(expected.size() < oracle.q0().size() && updates.size() > expected.size(), "q18: some pairs have several bids, some updated");
        assertTrue(!dense || oracle.q0().stream().map(bid -> List.of(bid.bidder, bid.auction, bid.dateTime)).distinct().count() < oracle.q0().size() * 9 / 10,
            "q18: many bids share their pair's millisecond");
        assertEquals(expected, last);
    }

    @ParameterizedTest(name = "at parallelism {0}, dense {1}")
    @CsvSource({"1, false", "2, false", "1, true", "2, true"})
    void query19sEntriesReplayedGiveEachAuctionsTopTen(final int parallelism, final boolean dense)
    {
        final Map<Long, List<Bid>> top = new HashMap<>();
        for (final Object update : run(NexmarkQueries.named("q19"), parallelism, dense ? DENSE : CONFIG))
        {
            final RankedBid entry = (RankedBid)update;
            // An auction's entries come from one subtask, in the order it emitted them.
            final List<Bid> ranked = top.computeIfAbsent(entry.bid().auction, auction -> new ArrayList<>());
            assertTrue(entry.rank() >= 1 && entry.rank() <= ranked.size() + 1 && entry.rank() <= 10, () -> entry + " after " + ranked.size());
            ranked.add(entry.rank() - 1, entry.bid());
            if (ranked.size() > 10)
            {
                ranked.remove(10);
            }
        }
        final NexmarkOracle oracle = dense ? DENSE_ORACLE : ORACLE;
        final Map<Long, List<Bid>> expected = oracle.q19();
        assertTrue(expected.values().stream().filter(list -> list.size() == 10).count() >= 10, "q19: many auctions with a full top 10");
        assertTrue(oracle.q0().size() > expected.values().stream().mapToInt(List::size).sum() * 2, "q19: most bids are cut");
        assertEquals(expected, top);
    }

    @Test
    void theWindowQueriesHaveResultsWorthComparing()
    {
        assertTrue(ORACLE.q5().stream().map(item -> item.windowStart()).distinct().count() >= 10, "q5: many sliding windows");
        assertTrue(ORACLE.q7().stream().map(bid -> bid.dateTime / 10_000).distinct().count() >= 2, "q7: a highest bid per window");
        assertTrue(ORACLE.q11().stream().map(BidderCount::bidder).distinct().count() < ORACLE.q11().size(), "q11: some bidders have several sessions");
        assertEquals(2, ORACLE.q15().size(), "q15: the stream spans two days");
        assertTrue(ORACLE.q3().size() >= 10, "q3: local sellers of category 10");
        assertTrue(ORACLE.q4().size() == 5, "q4: every category has closed auctions");
        assertTrue(ORACLE.q6().stream().filter(price -> price.seller() == ORACLE.q6().get(0).seller()).count() > 20,
            "q6: a seller closes more than twice the 10 auctions averaged");
        assertTrue(ORACLE.q8().size() >= 10, "q8: new users who sold at once");
        assertTrue(ORACLE.q9().size() >= 100, "q9: many auctions won");
        assertTrue(ORACLE.q20().size() >= 100, "q20: many bids of category 10");
        assertTrue(ORACLE.q21().size() < ORACLE.q0().size() && ORACLE.q21().stream().filter(bid -> bid.channelId().length() > 1).count() > 100,
            "q21: some bids dropped, many ids from URLs");
    }

    @Test
    void processingTimeWindowsCountWhatArrivedBeforeTheClockPassedTheirEnd()
    {
        final ManualClock clock = new ManualClock(1_234_567);
        final AtomicBoolean released = new AtomicBoolean();
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2).setClock(clock);
        final CollectSink<Object> sink = new CollectSink<>();
        build(env, new HeldOpenSource(new NexmarkSource(CONFIG), released), new Q12ProcessingTimeWindows()).sinkTo(sink);
        final JobHandle job = env.executeAsync("q12");
        final long bids = ORACLE.q0().size();
        // Every bid reaches the window while the clock stands in [1 230 000, 1 240 000): none fires yet.
        Poll.until("every bid is in a window", () -> job.metrics("q12", 0).recordsIn() + job.metrics("q12", 1).recordsIn() == bids);
        assertEquals(0, sink.size());
        clock.advance(10_000);
        final Map<Long, Long> perBidder = ORACLE.bidsPerBidder();
        Poll.until("the window fires once the clock passes its end", () -> sink.size() == perBidder.size());
        released.set(true);
        job.awaitTermination();
        final List<BidderCount> expected = new ArrayList<>();
        perBidder.forEach((bidder, count) -> expected.add(new BidderCount(bidder, count, 1_230_000, 1_240_000)));
        assertEquals(multiset(expected), multiset(sink.results()));
    }

    @Test
    void anUnknownQueryIsRefusedNamingTheQueriesThereAre()
    {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> NexmarkQueries.named("q13"));
        assertTrue(error.getMessage().contains("[q0, q1, q2, q3, q4, q5, q6, q7, q8, q9, q11, q12, q14, q15, q16, q17, q18, q19, q20, q21, q22]"), error.getMessage());
    }

    private static List<Object> run(final NexmarkQuery<?> query, final int parallelism)
    {
        return run(query, parallelism, CONFIG);
    }

    private static List<Object> run(final NexmarkQuery<?> query, final int parallelism, final NexmarkConfig config)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(parallelism);
        final CollectSink<Object> sink = new CollectSink<>();
        build(env, new NexmarkSource(config), query).sinkTo(sink);
        env.execute(query.name());
        return sink.results();
    }

    @SuppressWarnings("unchecked")
    private static DataStream<Object> build(final StreamExecutionEnvironment env, final Source<Event, ?> source, final NexmarkQuery<?> query)
    {
        return (DataStream<Object>)query.build(env.fromSource(source, NexmarkSource.watermarks(), "nexmark"));
    }

    /** The Nexmark source, its splits kept open after their last event until released, so processing-time windows can still fire. */
    private record HeldOpenSource(NexmarkSource source, AtomicBoolean released) implements Source<Event, NexmarkSource.Split>
    {
        @Override
        public List<NexmarkSource.Split> createSplits(final int parallelism)
        {
            return source.createSplits(parallelism);
        }

        @Override
        public SplitReader<Event> createReader(final NexmarkSource.Split split)
        {
            final SplitReader<Event> reader = source.createReader(split);
            return new SplitReader<>()
            {
                private boolean ended;

                @Override
                public ReadStatus read(final SourceOutput<Event> output) throws Exception
                {
                    if (!ended)
                    {
                        ended = reader.read(output) == ReadStatus.END_OF_SPLIT;
                        return ReadStatus.MORE_AVAILABLE;
                    }
                    return released.get() ? ReadStatus.END_OF_SPLIT : ReadStatus.NOTHING_AVAILABLE;
                }
            };
        }

        @Override
        public boolean isBounded()
        {
            return true;
        }
    }
}
