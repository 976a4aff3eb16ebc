package io.tidemark.bench.flink;

import java.time.Duration;

import io.tidemark.bench.nexmark.model.Auction;
import io.tidemark.bench.nexmark.model.AuctionBid;
import io.tidemark.bench.nexmark.model.AuctionRow;
import io.tidemark.bench.nexmark.model.Bid;
import io.tidemark.bench.nexmark.model.CategoryPrice;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.bench.nexmark.model.NewUser;
import io.tidemark.bench.nexmark.model.OpenAuction;
import io.tidemark.bench.nexmark.model.OpenAuctionPrice;
import io.tidemark.bench.nexmark.model.Person;
import io.tidemark.bench.nexmark.model.Registrations;
import io.tidemark.bench.nexmark.model.SellerItem;
import io.tidemark.bench.nexmark.model.SellerPrice;
import io.tidemark.bench.nexmark.model.SellerPrices;
import io.tidemark.bench.nexmark.model.WinningPrice;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableSupplier;

/**
 * The Nexmark queries that join, as Flink DataStream jobs with the same operators as
 * Tidemark's ({@code Q3LocalItemSuggestion}, ... in the benchmarks module): keyed
 * co-processing with the same state and timers, and for query 8 one window aggregate over
 * persons and auctions ({@code Registrations}), as Tidemark runs it. The rules
 * that decide a result (who is local, when a bid can win, which bid wins) are the model's, shared
 * with Tidemark.
 */
final class NexmarkFlinkJoins
{
    private NexmarkFlinkJoins()
    {
    }

    /**
     * @param query  a query's name.
     * @param events the stream of all events.
     * @return the query's job, or null if the query does not join.
     */
    static DataStream<?> build(final String query, final DataStream<Event> events)
    {
        return switch (query)
        {
            case "q3" -> persons(events).filter(SellerItem::local)
                .connect(auctions(events).filter(auction -> auction.category == SellerItem.CATEGORY))
                .keyBy(person -> person.id, auction -> auction.seller, Types.LONG)
                .process(new SellerJoin(), TypeInformation.of(SellerItem.class));
            case "q4" -> winningPrices(events).keyBy(WinningPrice::category, Types.LONG)
                .process(new Average(), TypeInformation.of(CategoryPrice.class));
            case "q6" -> winningPrices(events).keyBy(WinningPrice::seller, Types.LONG)
                .process(new LastTen(), TypeInformation.of(SellerPrice.class));
            case "q8" -> events.filter(event -> event.person != null || event.auction != null)
                .keyBy(event -> event.person != null ? event.person.id : event.auction.seller, Types.LONG)
                .window(TumblingEventTimeWindows.of(Duration.ofMillis(NewUser.WINDOW)))
                .aggregate(new Register(), new NewUsersOfTheWindow());
            case "q9" -> winningBids(events);
            case "q20" -> auctions(events).connect(bids(events))
                .keyBy(auction -> auction.id, bid -> bid.auction, Types.LONG)
                .process(new Expand(), TypeInformation.of(AuctionBid.class));
            default -> null;
        };
    }

    private static DataStream<Person> persons(final DataStream<Event> events)
    {
        return events.filter(event -> event.person != null).map(event -> event.person).returns(Person.class);
    }

    private static DataStream<Auction> auctions(final DataStream<Event> events)
    {
        return events.filter(event -> event.auction != null).map(event -> event.auction).returns(Auction.class);
    }

    private static DataStream<Bid> bids(final DataStream<Event> events)
    {
        return events.filter(event -> event.bid != null).map(event -> event.bid).returns(Bid.class);
    }

    private static DataStream<AuctionBid> winningBids(final DataStream<Event> events)
    {
        return auctions(events).connect(bids(events))
            .keyBy(auction -> auction.id, bid -> bid.auction, Types.LONG)
            .process(new HighestBid<>("open-auction", OpenAuction.class, OpenAuction::new), TypeInformation.of(AuctionBid.class));
    }

    private static DataStream<WinningPrice> winningPrices(final DataStream<Event> events)
    {
        return auctions(events).connect(bids(events))
            .keyBy(auction -> auction.id, bid -> bid.auction, Types.LONG)
            .process(new HighestBid<>("open-auction-price", OpenAuctionPrice.class, OpenAuctionPrice::new), TypeInformation.of(WinningPrice.class));
    }

    /** Query 3: keeps each key's person, and the ids of the auctions that came before it. */
    private static final class SellerJoin extends KeyedCoProcessFunction<Long, Person, Auction, SellerItem>
    {
        private static final long serialVersionUID = 1L;

        private transient ValueState<Person> seller;
        private transient ListState<Long> waiting;

        @Override
        public void open(final OpenContext context)
        {
            seller = getRuntimeContext().getState(new ValueStateDescriptor<>("seller", Person.class));
            waiting = getRuntimeContext().getListState(new ListStateDescriptor<>("auctions-before-seller", Long.class));
        }

        @Override
        public void processElement1(final Person person, final Context ctx, final Collector<SellerItem> out) throws Exception
        {
            seller.update(person);
            final Iterable<Long> auctions = waiting.get();
            if (auctions != null)
            {
                for (final Long auction : auctions)
                {
                    out.collect(SellerItem.of(person, auction));
                }
                waiting.clear();
            }
        }

        @Override
        public void processElement2(final Auction auction, final Context ctx, final Collector<SellerItem> out) throws Exception
        {
            final Person person = seller.value();
            if (person == null)
            {
                waiting.add(auction.id);
            }
            else
            {
                out.collect(SellerItem.of(person, auction.id));
            }
        }
    }

    /**
     * Queries 9, 4 and 6: keeps each open auction's row ({@code OpenAuction} for query 9's
     * whole auctions and bids, {@code OpenAuctionPrice} for the numbers queries 4 and 6 read),
     * with the same timers as on Tidemark.
     */
    private static final class HighestBid<W, R extends AuctionRow<W>> extends KeyedCoProcessFunction<Long, Auction, Bid, W>
    {
        private static final long serialVersionUID = 1L;

        private final String name;
        private final Class<R> rowClass;
        private final SerializableSupplier<R> newRow;
        private transient ValueState<R> state;

        HighestBid(final String name, final Class<R> rowClass, final SerializableSupplier<R> newRow)
        {
            this.name = name;
            this.rowClass = rowClass;
            this.newRow = newRow;
        }

        @Override
        public void open(final OpenContext context)
        {
            state = getRuntimeContext().getState(new ValueStateDescriptor<>(name, rowClass));
        }

        @Override
        public void processElement1(final Auction opened, final Context ctx, final Collector<W> out) throws Exception
        {
            final R open = row();
            // As on Tidemark: the waiting bids' timer goes, unless it is the expiry's.
            if (open.hasWaiting() && open.earliestWaiting() != opened.expires)
            {
                ctx.timerService().deleteEventTimeTimer(open.earliestWaiting());
            }
            open.open(opened);
            ctx.timerService().registerEventTimeTimer(opened.expires);
        }

        @Override
        public void processElement2(final Bid bid, final Context ctx, final Collector<W> out) throws Exception
        {
            final R open = row();
            if (open.isOpen())
            {
                open.offer(bid);
            }
            else if (open.hold(bid))
            {
                ctx.timerService().registerEventTimeTimer(bid.dateTime);
            }
        }

        @Override
        public void onTimer(final long timestamp, final OnTimerContext ctx, final Collector<W> out) throws Exception
        {
            final R open = state.value();
            if (open == null)
            {
                return;
            }
            if (!open.isOpen())
            {
                if (open.dropWaitingBy(timestamp))
                {
                    ctx.timerService().registerEventTimeTimer(open.earliestWaiting());
                }
                else
                {
                    state.clear();
                }
            }
            else if (timestamp == open.expires())
            {
                final W winner = open.winner();
                if (winner != null)
                {
                    out.collect(winner);
                }
                state.clear();
            }
        }

        /** The key's row, made on its first record; changed in place after that, as on Tidemark: the heap state backend keeps the object itself. */
        private R row() throws Exception
        {
            R open = state.value();
            if (open == null)
            {
                open = newRow.get();
                state.update(open);
            }
            return open;
        }
    }

    /** Query 4: adds each winning price to its category's figures and emits them. */
    private static final class Average extends KeyedProcessFunction<Long, WinningPrice, CategoryPrice>
    {
        private static final long serialVersionUID = 1L;

        private transient ValueState<CategoryPrice> prices;

        @Override
        public void open(final OpenContext context)
        {
            prices = getRuntimeContext().getState(new ValueStateDescriptor<>("category-prices", CategoryPrice.class));
        }

        @Override
        public void processElement(final WinningPrice winner, final Context ctx, final Collector<CategoryPrice> out) throws Exception
        {
            final CategoryPrice updated = CategoryPrice.plus(prices.value(), winner);
            prices.update(updated);
            out.collect(updated);
        }
    }

    /** Query 6: holds each winning price until its auction's expiry, then averages it in with the seller's last ones. */
    private static final class LastTen extends KeyedProcessFunction<Long, WinningPrice, SellerPrice>
    {
        private static final long serialVersionUID = 1L;

        private transient ValueState<SellerPrices> prices;

        @Override
        public void open(final OpenContext context)
        {
            prices = getRuntimeContext().getState(new ValueStateDescriptor<>("seller-prices", SellerPrices.class));
        }

        @Override
        public void processElement(final WinningPrice winner, final Context ctx, final Collector<SellerPrice> out) throws Exception
        {
            SellerPrices seller = prices.value();
            if (seller == null)
            {
                seller = new SellerPrices();
                prices.update(seller);
            }
            // Changed in place, as on Tidemark: the heap state backend keeps the object itself.
            seller.hold(winner);
            ctx.timerService().registerEventTimeTimer(winner.expires());
        }

        @Override
        public void onTimer(final long timestamp, final OnTimerContext ctx, final Collector<SellerPrice> out) throws Exception
        {
            final SellerPrices seller = prices.value();
            while (seller.closesBy(timestamp))
            {
                out.collect(seller.closeNext());
            }
        }
    }

    /** Query 8: gathers a person id's window, its persons' names and whether the person opened an auction. */
    private static final class Register implements AggregateFunction<Event, Registrations, Registrations>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public Registrations createAccumulator()
        {
            return new Registrations();
        }

        @Override
        public Registrations add(final Event event, final Registrations accumulator)
        {
            return accumulator.add(event);
        }

        @Override
        public Registrations getResult(final Registrations accumulator)
        {
            return accumulator;
        }

        @Override
        public Registrations merge(final Registrations a, final Registrations b)
        {
            return a.merge(b);
        }
    }

    /** Query 8: names the window's persons if they opened an auction in it. */
    private static final class NewUsersOfTheWindow extends ProcessWindowFunction<Registrations, NewUser, Long, TimeWindow>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(final Long id, final Context context, final Iterable<Registrations> elements, final Collector<NewUser> out)
        {
            for (final Registrations registrations : elements)
            {
                for (int i = 0; i < registrations.newUsers(); i++)
                {
                    out.collect(new NewUser(id, registrations.name(i), context.window().getStart()));
                }
            }
        }
    }

    /** Query 20: keeps each key's auction of category 10 (or a marker of another), and the bids that came before it. */
    private static final class Expand extends KeyedCoProcessFunction<Long, Auction, Bid, AuctionBid>
    {
        private static final long serialVersionUID = 1L;
        private static final long CATEGORY = 10;
        private static final Auction OTHER_CATEGORY = new Auction(0, null, null, 0, 0, 0, 0, 0, -1, null);

        private transient ValueState<Auction> auction;
        private transient ListState<Bid> early;

        @Override
        public void open(final OpenContext context)
        {
            auction = getRuntimeContext().getState(new ValueStateDescriptor<>("auction", Auction.class));
            early = getRuntimeContext().getListState(new ListStateDescriptor<>("bids-before-auction", Bid.class));
        }

        @Override
        public void processElement1(final Auction opened, final Context ctx, final Collector<AuctionBid> out) throws Exception
        {
            final boolean kept = opened.category == CATEGORY;
            auction.update(kept ? opened : OTHER_CATEGORY);
            final Iterable<Bid> bids = early.get();
            if (bids != null)
            {
                if (kept)
                {
                    for (final Bid bid : bids)
                    {
                        out.collect(new AuctionBid(opened, bid));
                    }
                }
                early.clear();
            }
        }

        @Override
        public void processElement2(final Bid bid, final Context ctx, final Collector<AuctionBid> out) throws Exception
        {
            final Auction known = auction.value();
            if (known == null)
            {
                early.add(bid);
            }
            else if (known.category == CATEGORY)
            {
                out.collect(new AuctionBid(known, bid));
            }
        }
    }
}
