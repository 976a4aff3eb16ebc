package io.tidemark.examples;

import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.sink.CollectSink;
import io.tidemark.engine.source.CollectionSource;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.EventTimeSessionWindows;
import io.tidemark.engine.window.WindowResult;

import java.time.Duration;
import java.util.List;

/**
 * User sessions, the session window: a user's events belong together while the gaps between
 * them stay under 30 seconds; a longer silence ends the session. Windows have no fixed size:
 * each event opens a window of its own and windows that come within the gap merge. The
 * result is one count per session, with the session's start and end.
 */
public final class UserSessions
{
    private UserSessions()
    {
    }

    /**
     * @param clicks the events.
     * @return one result per session: key, first event, last event plus the gap, count.
     */
    public static List<WindowResult<String, Long>> run(final List<Click> clicks)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(1);
        final CollectSink<WindowResult<String, Long>> results = new CollectSink<>();
        env.fromSource(CollectionSource.of(clicks),
                WatermarkStrategy.<Click>forMonotonousTimestamps().withTimestampAssigner((click, ts) -> click.time()), "clicks")
            .keyBy(Click::user)
            .window(EventTimeSessionWindows.withGap(Duration.ofSeconds(30)))
            .aggregate(AggregateFunctions.<Click>count())
            .sinkTo(results);
        env.execute("user sessions");
        return results.results();
    }

    /**
     * @param args unused.
     */
    public static void main(final String[] args)
    {
        run(List.of(new Click("ann", 0, 1), new Click("ann", 20_000, 1), new Click("ann", 100_000, 1))).forEach(System.out::println);
    }
}
