package io.tidemark.bench.nexmark;

import java.time.Duration;

import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.bench.nexmark.model.NewUser;
import io.tidemark.bench.nexmark.model.Registrations;
import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.functions.AggregateFunction;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.window.ProcessWindowFunction;
import io.tidemark.engine.window.TimeWindow;
import io.tidemark.engine.window.TumblingEventTimeWindows;

/**
 * Query 8, monitor new users: the persons who opened an auction in the tumbling window of 10 s
 * they registered in. The benchmark's SQL groups the persons by id and window, and the auctions
 * by seller and window, and joins the two groupings on id and window. Both groupings here are
 * one window aggregate over persons and auctions keyed by person id or seller
 * ({@link Registrations}): an auction leaves a flag in its seller's window, not itself, and the
 * aggregate runs on the slicing window operator, pre-aggregated in the source's task. The
 * Flink side runs the same plan.
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
        return events.filter(event -> event.person != null || event.auction != null).name("persons and auctions")
            .keyByLong(event -> event.person != null ? event.person.id : event.auction.seller)
            .window(TumblingEventTimeWindows.of(Duration.ofMillis(NewUser.WINDOW)))
            .preAggregation(true)
            .aggregate(new Register(), new NewUsersOfTheWindow())
            .name("q8");
    }

    /** Gathers a person id's window: its persons' names, and whether the person opened an auction. */
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

    /** Names the window's persons if they opened an auction in it. */
    private static final class NewUsersOfTheWindow extends ProcessWindowFunction<Registrations, NewUser, Long, TimeWindow>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(final Long id, final Context<TimeWindow> context, final Iterable<Registrations> elements,
            final Collector<NewUser> out)
        {
            for (final Registrations registrations : elements)
            {
                for (int i = 0; i < registrations.newUsers(); i++)
                {
                    out.collect(new NewUser(id, registrations.name(i), context.window().start()));
                }
            }
        }
    }
}
