package io.tidemark.examples;

import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.sink.CollectSink;
import io.tidemark.engine.source.CollectionSource;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.engine.window.WindowResult;

import java.time.Duration;
import java.util.List;

/**
 * Events per minute, the tumbling window: time is cut into one-minute pieces side by side,
 * each event belongs to exactly one, and a window's count is emitted once the watermark
 * (here: the largest timestamp seen minus a 5 s bound) passes its end; at the end of input
 * the final watermark closes the rest.
 */
public final class EventsPerMinute
{
    private EventsPerMinute()
    {
    }

    /**
     * @param clicks the events, in any order within the bound.
     * @return one count per user and minute.
     */
    public static List<WindowResult<String, Long>> run(final List<Click> clicks)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(1);
        final CollectSink<WindowResult<String, Long>> results = new CollectSink<>();
        env.fromSource(CollectionSource.of(clicks),
                WatermarkStrategy.<Click>forBoundedOutOfOrderness(Duration.ofSeconds(5)).withTimestampAssigner((click, ts) -> click.time()), "clicks")
            .keyBy(Click::user)
            .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
            .aggregate(AggregateFunctions.<Click>count())
            .sinkTo(results);
        env.execute("events per minute");
        return results.results();
    }

    /**
     * @param args unused.
     */
    public static void main(final String[] args)
    {
        run(List.of(new Click("ann", 1_000, 1), new Click("bob", 30_000, 1), new Click("ann", 59_999, 1), new Click("ann", 60_000, 1)))
            .forEach(System.out::println);
    }
}
