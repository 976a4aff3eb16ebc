package io.tidemark.bench.nexmark;

import java.time.Duration;

import io.tidemark.bench.nexmark.model.Auction;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.bench.nexmark.model.NewUser;
import io.tidemark.bench.nexmark.model.Person;
import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.functions.CoGroupFunction;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.LongKeySelector;
import io.tidemark.engine.window.TumblingEventTimeWindows;

/**
 * Query 8, monitor new users: the persons who opened an auction in the tumbling window of 10 s
 * they registered in. A window join of persons and auctions on person id and seller; the
 * benchmark's SQL groups each side by key and window before joining, so a person is named
 * once per window however many auctions they opened: a co-group, which sees all of a key's
 * auctions of the window at once, does exactly that.
 */
public final class Q8MonitorNewUsers implements NexmarkQuery<NewUser>
{
    @Override
    public String name()
    {
        return "q8";
    }

    @Override
    public DataStream<NewUser> build(final DataStream<Event> events)
    {
        final DataStream<Person> persons = NexmarkQuery.persons(events);
        final DataStream<Auction> auctions = NexmarkQuery.auctions(events);
        // Long keys, so the co-group's keyed exchange and state take them by value.
        final LongKeySelector<Person> id = person -> person.id;
        final LongKeySelector<Auction> seller = auction -> auction.seller;
        return persons.coGroup(auctions)
            .where(id)
            .equalTo(seller)
            .window(TumblingEventTimeWindows.of(Duration.ofMillis(NewUser.WINDOW)))
            .apply(new SellersOfTheWindow())
            .name("q8");
    }

    /** Names the window's person if they opened an auction in it. */
    private static final class SellersOfTheWindow implements CoGroupFunction<Person, Auction, NewUser>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public void coGroup(final Iterable<Person> persons, final Iterable<Auction> auctions, final Collector<NewUser> out)
        {
            if (auctions.iterator().hasNext())
            {
                for (final Person person : persons)
                {
                    out.collect(NewUser.of(person));
                }
            }
        }
    }
}
