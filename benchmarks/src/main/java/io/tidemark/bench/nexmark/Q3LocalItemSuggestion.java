package io.tidemark.bench.nexmark;

import io.tidemark.bench.nexmark.model.Auction;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.bench.nexmark.model.Person;
import io.tidemark.bench.nexmark.model.SellerItem;
import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.KeyedCoProcessFunction;
import io.tidemark.engine.state.ListState;
import io.tidemark.engine.state.ListStateDescriptor;
import io.tidemark.engine.state.ValueStateDescriptor;

/**
 * Query 3, local item suggestion: the sellers in Oregon, Idaho or California with their
 * auctions in category 10. A regular (unwindowed) join on seller and person id, as the
 * benchmark's SQL is: each result is emitted as soon as both sides have arrived, whichever
 * first, and the state is kept for good (a person's id is unique, so the key's person is kept
 * and the auctions that came before it wait for it).
 */
public final class Q3LocalItemSuggestion implements NexmarkQuery<SellerItem>
{
    @Override
    public String name()
    {
        return "q3";
    }

    @Override
    public DataStream<SellerItem> build(final DataStream<Event> events)
    {
        final DataStream<Person> persons = events.filter(event -> event.person != null && SellerItem.local(event.person)).map(event -> event.person)
            .name("local persons");
        final DataStream<Auction> auctions = events.filter(event -> event.auction != null && event.auction.category == SellerItem.CATEGORY)
            .map(event -> event.auction).name("auctions of category 10");
        return persons.connect(auctions).keyByLong(person -> person.id, auction -> auction.seller).process(new SellerJoin()).name("q3");
    }

    /** Keeps each key's person, and the ids of the auctions that came before it. */
    private static final class SellerJoin extends KeyedCoProcessFunction<Long, Person, Auction, SellerItem>
    {
        private static final long serialVersionUID = 1L;
        private static final ValueStateDescriptor<Person> SELLER = new ValueStateDescriptor<>("seller");
        private static final ListStateDescriptor<Long> WAITING = new ListStateDescriptor<>("auctions-before-seller");

        @Override
        public void processElement1(final Person person, final Context<Long, SellerItem> ctx, final Collector<SellerItem> out) throws Exception
        {
            ctx.getState(SELLER).update(person);
            final ListState<Long> waiting = ctx.getState(WAITING);
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
        public void processElement2(final Auction auction, final Context<Long, SellerItem> ctx, final Collector<SellerItem> out) throws Exception
        {
            final Person seller = ctx.getState(SELLER).value();
            if (seller == null)
            {
                ctx.getState(WAITING).add(auction.id);
            }
            else
            {
                out.collect(SellerItem.of(seller, auction.id));
            }
        }
    }
}
