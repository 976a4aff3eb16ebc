package io.tidemark.bench.flink;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import io.tidemark.bench.nexmark.generator.NexmarkConfig;
import io.tidemark.bench.nexmark.generator.NexmarkGenerator;
import io.tidemark.bench.nexmark.model.AuctionPrice;
import io.tidemark.bench.nexmark.model.Bid;
import io.tidemark.bench.nexmark.model.BidStats;
import io.tidemark.bench.nexmark.model.BidderCount;
import io.tidemark.bench.nexmark.model.CalculatedBid;
import io.tidemark.bench.nexmark.model.ChannelBid;
import io.tidemark.bench.nexmark.model.ChannelDayStats;
import io.tidemark.bench.nexmark.model.DayStats;
import io.tidemark.bench.nexmark.model.Days;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.bench.nexmark.model.HighestBids;
import io.tidemark.bench.nexmark.model.HotItem;
import io.tidemark.bench.nexmark.model.LastBid;
import io.tidemark.bench.nexmark.model.MaxCount;
import io.tidemark.bench.nexmark.model.PriceStats;
import io.tidemark.bench.nexmark.model.RankedBid;
import io.tidemark.bench.nexmark.model.TopBids;
import io.tidemark.bench.nexmark.model.UrlDirectories;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingProcessingTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.util.Collector;

/**
 * The Nexmark queries that Tidemark runs ({@code io.tidemark.bench.nexmark} in the benchmarks
 * module) as Flink DataStream jobs with the same operators, over the same events: Tidemark's
 * own generator (compiled in from the benchmarks module) behind Flink's
 * {@code DataGeneratorSource}, whose split {@code k} of {@code p} equal ranges emits the stream
 * positions {@code k, k + p, ...}, as Tidemark's source does. Bounded out-of-orderness of 4 s,
 * Flink's defaults otherwise (no object reuse), a local MiniCluster in this JVM. A run is timed
 * from the first event generated to the end of the job, and its CPU time over the same span,
 * so the cluster's start-up counts in neither.
 *
 * <p>{@code q16sql} is query 16 as Flink users write it: Flink SQL over the same bids, a tumbling
 * window of a day ({@code TUMBLE} table function) grouped by channel, {@code COUNT(DISTINCT ...)
 * FILTER (WHERE ...)} per price rank; Flink's planner keeps the distinct ids in its own state.
 * {@code q16} runs the DataStream job with Tidemark's accumulator ({@code BidStats}), the same
 * code as Tidemark's side.
 *
 * <pre>
 * java -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp target/classes:$(cat target/classpath.txt) io.tidemark.bench.flink.NexmarkFlink [--events N] [--runs R] [--parallelism 1,2] q0,q5
 * </pre>
 *
 * It prints {@code RESULT flink QUERY p=P events=.. nanos=.. eventsPerSecond=.. cores=.. perCore=.. results=..}
 * per run measured, as Tidemark's {@code NexmarkRun} does ({@code WARMUP} for the warm-up run).
 */
public final class NexmarkFlink
{
    private static final String RESULTS = "results";
    private static final AtomicLong FIRST_NANOS = new AtomicLong();
    private static final AtomicLong FIRST_CPU_NANOS = new AtomicLong();

    private NexmarkFlink()
    {
    }

    /**
     * @param args the options and the queries.
     * @throws Exception if a job fails.
     */
    public static void main(final String[] args) throws Exception
    {
        long events = 10_000_000;
        int runs = 3;
        int[] parallelisms = {1, 2};
        String queries = null;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--events" -> events = Long.parseLong(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--parallelism" -> parallelisms = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                default -> queries = args[i];
            }
        }
        if (queries == null)
        {
            System.err.println("usage: NexmarkFlink [--events N] [--runs R] [--parallelism 1,2] q0,q5,...");
            System.exit(2);
        }
        final NexmarkConfig config = NexmarkConfig.standard(events);
        for (final String query : queries.split(","))
        {
            for (final int parallelism : parallelisms)
            {
                run(query, config, parallelism, "WARMUP");
                final double[] perCore = new double[runs];
                final double[] rates = new double[runs];
                for (int r = 0; r < runs; r++)
                {
                    final double[] figures = run(query, config, parallelism, "RESULT");
                    rates[r] = figures[0];
                    perCore[r] = figures[1];
                }
                Arrays.sort(rates);
                Arrays.sort(perCore);
                System.out.printf(Locale.ROOT, "%s p=%d median of %d runs: %,.0f events/s, %,.0f events/s per core%n", query, parallelism, runs,
                    rates[runs / 2], perCore[runs / 2]);
            }
        }
    }

    /** @return events per second and events per second per core; the line printed starts with the label. */
    private static double[] run(final String query, final NexmarkConfig config, final int parallelism, final String label) throws Exception
    {
        if (config.events() % parallelism != 0)
        {
            throw new IllegalArgumentException("the events must split evenly over the parallelism: " + config.events() + " over " + parallelism);
        }
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, new Configuration());
        final DataGeneratorSource<Event> source = new DataGeneratorSource<>(new Positions(config, parallelism), config.events(), TypeInformation.of(Event.class));
        final DataStream<Event> events = env.fromSource(source,
            WatermarkStrategy.<Event>forBoundedOutOfOrderness(Duration.ofSeconds(4)).withTimestampAssigner((event, timestamp) -> event.dateTime()), "nexmark");
        build(query, events).map(new CountResults<>()).sinkTo(new DiscardingSink<>());
        FIRST_NANOS.set(0);
        final JobExecutionResult result = env.execute("nexmark " + query);
        final long end = System.nanoTime();
        final long cpu = cpuNanos() - FIRST_CPU_NANOS.get();
        final long nanos = end - FIRST_NANOS.get();
        final Long results = result.getAccumulatorResult(RESULTS);
        final double rate = config.events() * 1e9 / nanos;
        final double cores = (double)cpu / nanos;
        System.out.printf(Locale.ROOT, "%s flink %s p=%d events=%d nanos=%d eventsPerSecond=%.0f cores=%.2f perCore=%.0f results=%d%n", label, query,
            parallelism, config.events(), nanos, rate, cores, rate / cores, results == null ? 0 : results);
        return new double[] {rate, rate / cores};
    }

    private static DataStream<?> build(final String query, final DataStream<Event> events)
    {
        final DataStream<?> join = NexmarkFlinkJoins.build(query, events);
        if (join != null)
        {
            return join;
        }
        final DataStream<Bid> bids = events.filter(event -> event.bid != null).map(event -> event.bid).returns(Bid.class);
        return switch (query)
        {
            case "q0" -> bids;
            case "q1" -> bids.map(Bid::inEuros).returns(Bid.class);
            case "q2" -> bids.filter(bid -> bid.auction % 123 == 0).map(bid -> new AuctionPrice(bid.auction, bid.price)).returns(AuctionPrice.class);
            case "q5" -> bids.keyBy(bid -> bid.auction, Types.LONG)
                .window(SlidingEventTimeWindows.of(Duration.ofSeconds(10), Duration.ofSeconds(2)))
                .aggregate(new Count<>(), new AuctionCount())
                .keyBy(HotItem::windowStart, Types.LONG)
                .window(TumblingEventTimeWindows.of(Duration.ofSeconds(2)))
                .aggregate(new MostBids(), new HotItems());
            case "q7" -> bids.keyBy(bid -> 0L, Types.LONG)
                .window(TumblingEventTimeWindows.of(Duration.ofSeconds(10)))
                .aggregate(new Highest(), new EachBid());
            case "q11" -> bids.keyBy(bid -> bid.bidder, Types.LONG)
                .window(EventTimeSessionWindows.withGap(Duration.ofSeconds(10)))
                .aggregate(new Count<>(), new BidderWindow());
            case "q12" -> bids.keyBy(bid -> bid.bidder, Types.LONG)
                .window(TumblingProcessingTimeWindows.of(Duration.ofSeconds(10)))
                .aggregate(new Count<>(), new BidderWindow());
            case "q14" -> bids.filter(CalculatedBid::kept).map(CalculatedBid::of).returns(CalculatedBid.class);
            case "q15" -> bids.keyBy(bid -> Math.floorDiv(bid.dateTime, Days.DAY), Types.LONG)
                .window(TumblingEventTimeWindows.of(Duration.ofMillis(Days.DAY)))
                .aggregate(new Counts(), new OfDay());
            case "q16" -> bids.keyBy(bid -> bid.channel, Types.STRING)
                .window(TumblingEventTimeWindows.of(Duration.ofMillis(Days.DAY)))
                .aggregate(new Counts(), new OfChannelAndDay());
            case "q16sql" -> channelStatisticsSql(bids);
            case "q17" -> bids.keyBy(bid -> bid.auction, Types.LONG)
                .window(TumblingEventTimeWindows.of(Duration.ofMillis(Days.DAY)))
                .aggregate(new Prices(), new OfAuctionAndDay());
            case "q18" -> bids.keyBy(LastBid::key, Types.LONG).process(new Latest(), TypeInformation.of(Bid.class));
            case "q19" -> bids.keyBy(bid -> bid.auction, Types.LONG).process(new TopTen(), TypeInformation.of(RankedBid.class));
            case "q21" -> bids.<ChannelBid>flatMap((bid, out) ->
            {
                final ChannelBid withId = ChannelBid.of(bid);
                if (withId != null)
                {
                    out.collect(withId);
                }
            }).returns(ChannelBid.class);
            case "q22" -> bids.map(UrlDirectories::of).returns(UrlDirectories.class);
            default -> throw new IllegalArgumentException("no Nexmark query '" + query + "' on the Flink side");
        };
    }

    /**
     * Query 16 in Flink SQL: the bids as a table whose row time and watermarks are the stream's,
     * counted per channel and day with the price ranks of {@code BidCounts}, one row per channel
     * and day when the watermark passes the day, as the DataStream job gives.
     */
    private static DataStream<?> channelStatisticsSql(final DataStream<Bid> bids)
    {
        final StreamTableEnvironment tables = StreamTableEnvironment.create(bids.getExecutionEnvironment());
        // A day window of a TIMESTAMP_LTZ row time starts at the session zone's midnight: UTC's, as Days does.
        tables.getConfig().setLocalTimeZone(ZoneOffset.UTC);
        tables.createTemporaryView("bid", bids, Schema.newBuilder()
            .columnByMetadata("rowtime", "TIMESTAMP_LTZ(3)")
            .watermark("rowtime", "SOURCE_WATERMARK()")
            .build());
        final String rank1 = "price < 10000";
        final String rank2 = "price >= 10000 AND price < 1000000";
        final String rank3 = "price >= 1000000";
        return tables.toDataStream(tables.sqlQuery("SELECT channel, window_start, MAX(`dateTime`) AS latest, COUNT(*) AS bids, "
            + "COUNT(*) FILTER (WHERE " + rank1 + ") AS rank1_bids, "
            + "COUNT(*) FILTER (WHERE " + rank2 + ") AS rank2_bids, "
            + "COUNT(*) FILTER (WHERE " + rank3 + ") AS rank3_bids, "
            + "COUNT(DISTINCT bidder) AS bidders, "
            + "COUNT(DISTINCT bidder) FILTER (WHERE " + rank1 + ") AS rank1_bidders, "
            + "COUNT(DISTINCT bidder) FILTER (WHERE " + rank2 + ") AS rank2_bidders, "
            + "COUNT(DISTINCT bidder) FILTER (WHERE " + rank3 + ") AS rank3_bidders, "
            + "COUNT(DISTINCT auction) AS auctions, "
            + "COUNT(DISTINCT auction) FILTER (WHERE " + rank1 + ") AS rank1_auctions, "
            + "COUNT(DISTINCT auction) FILTER (WHERE " + rank2 + ") AS rank2_auctions, "
            + "COUNT(DISTINCT auction) FILTER (WHERE " + rank3 + ") AS rank3_auctions "
            + "FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(rowtime), INTERVAL '1' DAY)) "
            + "GROUP BY channel, window_start, window_end"));
    }

    private static long cpuNanos()
    {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    }

    /**
     * Makes the event at each stream position: index {@code i} of split {@code k} (the range
     * {@code [k * N / p, (k + 1) * N / p)}) is position {@code (i - k * N / p) * p + k}, so
     * that every split moves through event time at the same pace, as Tidemark's source's do.
     */
    private static final class Positions implements GeneratorFunction<Long, Event>
    {
        private static final long serialVersionUID = 1L;

        private final NexmarkConfig config;
        private final long perSplit;
        private final int splits;
        private transient NexmarkGenerator generator;

        Positions(final NexmarkConfig config, final int splits)
        {
            this.config = config;
            this.splits = splits;
            this.perSplit = config.events() / splits;
        }

        @Override
        public void open(final SourceReaderContext context)
        {
            generator = new NexmarkGenerator(config);
        }

        @Override
        public Event map(final Long index)
        {
            if (FIRST_NANOS.get() == 0 && FIRST_NANOS.compareAndSet(0, System.nanoTime()))
            {
                FIRST_CPU_NANOS.set(cpuNanos());
            }
            return generator.eventAt(index % perSplit * splits + index / perSplit);
        }
    }

    /** Counts the results into an accumulator that the job's result carries back. */
    private static final class CountResults<T> extends ResultTally<T>
    {
        private static final long serialVersionUID = 1L;

        CountResults()
        {
            super(RESULTS);
        }

        @Override
        long of(final T result)
        {
            return 1;
        }
    }

    /** Counts the records of a window. */
    static final class Count<T> extends LongSum<T>
    {
        private static final long serialVersionUID = 1L;

        @Override
        long of(final T value)
        {
            return 1;
        }
    }

    /** An auction's count in a sliding window, with the window. */
    private static final class AuctionCount extends ProcessWindowFunction<Long, HotItem, Long, TimeWindow>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(final Long auction, final Context context, final Iterable<Long> counts, final Collector<HotItem> out)
        {
            out.collect(new HotItem(auction, counts.iterator().next(), context.window().getStart(), context.window().getEnd()));
        }
    }

    /** Keeps the greatest count of a window and its auctions. */
    private static final class MostBids implements AggregateFunction<HotItem, MaxCount, MaxCount>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public MaxCount createAccumulator()
        {
            return new MaxCount();
        }

        @Override
        public MaxCount add(final HotItem count, final MaxCount accumulator)
        {
            return accumulator.add(count.auction(), count.bids());
        }

        @Override
        public MaxCount getResult(final MaxCount accumulator)
        {
            return accumulator;
        }

        @Override
        public MaxCount merge(final MaxCount a, final MaxCount b)
        {
            return a.merge(b);
        }
    }

    /** One result per auction with the greatest count of a sliding window (the key). */
    private static final class HotItems extends ProcessWindowFunction<MaxCount, HotItem, Long, TimeWindow>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(final Long windowStart, final Context context, final Iterable<MaxCount> elements, final Collector<HotItem> out)
        {
            for (final MaxCount most : elements)
            {
                for (int i = 0; i < most.size(); i++)
                {
                    out.collect(new HotItem(most.auction(i), most.max(), windowStart, windowStart + 10_000));
                }
            }
        }
    }

    /** Keeps the bids at the highest price so far. */
    private static final class Highest implements AggregateFunction<Bid, HighestBids, HighestBids>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public HighestBids createAccumulator()
        {
            return new HighestBids();
        }

        @Override
        public HighestBids add(final Bid bid, final HighestBids accumulator)
        {
            return accumulator.add(bid);
        }

        @Override
        public HighestBids getResult(final HighestBids accumulator)
        {
            return accumulator;
        }

        @Override
        public HighestBids merge(final HighestBids a, final HighestBids b)
        {
            return a.merge(b);
        }
    }

    /** Emits each bid at the highest price. */
    private static final class EachBid extends ProcessWindowFunction<HighestBids, Bid, Long, TimeWindow>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(final Long key, final Context context, final Iterable<HighestBids> elements, final Collector<Bid> out)
        {
            for (final HighestBids highest : elements)
            {
                highest.bids().forEach(out::collect);
            }
        }
    }

    /** A bidder's count in a window, with the window. */
    private static final class BidderWindow extends ProcessWindowFunction<Long, BidderCount, Long, TimeWindow>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(final Long bidder, final Context context, final Iterable<Long> counts, final Collector<BidderCount> out)
        {
            out.collect(new BidderCount(bidder, counts.iterator().next(), context.window().getStart(), context.window().getEnd()));
        }
    }

    /** Counts bids, bidders and auctions per price rank. */
    private static final class Counts implements AggregateFunction<Bid, BidStats, BidStats>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public BidStats createAccumulator()
        {
            return new BidStats();
        }

        @Override
        public BidStats add(final Bid bid, final BidStats accumulator)
        {
            return accumulator.add(bid);
        }

        @Override
        public BidStats getResult(final BidStats accumulator)
        {
            return accumulator;
        }

        @Override
        public BidStats merge(final BidStats a, final BidStats b)
        {
            return a.merge(b);
        }
    }

    /** Counts bids per price rank and sums their prices. */
    private static final class Prices implements AggregateFunction<Bid, PriceStats, PriceStats>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public PriceStats createAccumulator()
        {
            return new PriceStats();
        }

        @Override
        public PriceStats add(final Bid bid, final PriceStats accumulator)
        {
            return accumulator.add(bid);
        }

        @Override
        public PriceStats getResult(final PriceStats accumulator)
        {
            return accumulator;
        }

        @Override
        public PriceStats merge(final PriceStats a, final PriceStats b)
        {
            return a.merge(b);
        }
    }

    /** Names the day. */
    private static final class OfDay extends ProcessWindowFunction<BidStats, DayStats, Long, TimeWindow>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(final Long day, final Context context, final Iterable<BidStats> elements, final Collector<DayStats> out)
        {
            for (final BidStats stats : elements)
            {
                out.collect(new DayStats(Days.day(context.window().getStart()), stats.counts()));
            }
        }
    }

    /** Names the channel, the day and the latest minute. */
    private static final class OfChannelAndDay extends ProcessWindowFunction<BidStats, ChannelDayStats, String, TimeWindow>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(final String channel, final Context context, final Iterable<BidStats> elements, final Collector<ChannelDayStats> out)
        {
            for (final BidStats stats : elements)
            {
                out.collect(new ChannelDayStats(channel, Days.day(context.window().getStart()), Days.minute(stats.latest()), stats.counts()));
            }
        }
    }

    /** Names the auction and the day. */
    private static final class OfAuctionAndDay extends ProcessWindowFunction<PriceStats, io.tidemark.bench.nexmark.model.AuctionDayStats, Long, TimeWindow>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(final Long auction, final Context context, final Iterable<PriceStats> elements,
            final Collector<io.tidemark.bench.nexmark.model.AuctionDayStats> out)
        {
            for (final PriceStats stats : elements)
            {
                out.collect(stats.result(auction, Days.day(context.window().getStart())));
            }
        }
    }

    /**
     * Query 18: keeps each (bidder, auction) pair's last bid as a row of numbers
     * ({@link LastBid#toRow}, as Tidemark keeps it) and emits a bid that replaces it.
     */
    private static final class Latest extends KeyedProcessFunction<Long, Bid, Bid>
    {
        private static final long serialVersionUID = 1L;

        private transient ValueState<long[]> last;

        @Override
        public void open(final OpenContext context)
        {
            last = getRuntimeContext().getState(new ValueStateDescriptor<>("last-bid", long[].class));
        }

        @Override
        public void processElement(final Bid bid, final Context ctx, final Collector<Bid> out) throws Exception
        {
            final long[] row = last.value();
            if (row == null)
            {
                // Changed in place after this: the heap state backend keeps the array itself.
                final long[] first = new long[LastBid.WIDTH];
                LastBid.toRow(bid, first);
                last.update(first);
                out.collect(bid);
            }
            else if (LastBid.later(bid, row))
            {
                LastBid.toRow(bid, row);
                out.collect(bid);
            }
        }
    }

    /**
     * Query 19: ranks each bid among its auction's top 10, kept as a row of numbers
     * ({@link TopBids}, as Tidemark keeps it), and emits it, with its rank, if it enters.
     */
    private static final class TopTen extends KeyedProcessFunction<Long, Bid, RankedBid>
    {
        private static final long serialVersionUID = 1L;

        private transient ValueState<long[]> state;

        @Override
        public void open(final OpenContext context)
        {
            state = getRuntimeContext().getState(new ValueStateDescriptor<>("top-bids", long[].class));
        }

        @Override
        public void processElement(final Bid bid, final Context ctx, final Collector<RankedBid> out) throws Exception
        {
            long[] top = state.value();
            if (top == null)
            {
                // Changed in place after this: the heap state backend keeps the array itself.
                top = new long[TopBids.WIDTH];
                state.update(top);
            }
            final int rank = TopBids.offer(top, bid);
            if (rank > 0)
            {
                out.collect(new RankedBid(bid, rank));
            }
        }
    }
}
