package io.tidemark.examples;

import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.functions.AggregateFunction;
import io.tidemark.engine.sink.CollectSink;
import io.tidemark.engine.source.CollectionSource;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.SlidingEventTimeWindows;
import io.tidemark.engine.window.WindowResult;

import java.time.Duration;
import java.util.List;

/**
 * A moving average, the hopping (sliding) window: windows of three minutes start every
 * minute, so they overlap and each reading counts in three of them. Each window's result is
 * the average of the readings in it: a smoothed curve with a point per minute.
 */
public final class MovingAverage
{
    private MovingAverage()
    {
    }

    /** Sum and count, so averages can be merged. */
    static final class Average implements AggregateFunction<Click, long[], Double>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public long[] createAccumulator()
        {
            return new long[2];
        }

        @Override
        public long[] add(final Click click, final long[] sumAndCount)
        {
            sumAndCount[0] += click.amount();
            sumAndCount[1]++;
            return sumAndCount;
        }

        @Override
        public Double getResult(final long[] sumAndCount)
        {
            return (double)sumAndCount[0] / sumAndCount[1];
        }

        @Override
        public long[] merge(final long[] a, final long[] b)
        {
            return new long[] {a[0] + b[0], a[1] + b[1]};
        }
    }

    /**
     * @param readings readings ({@code amount} is the value) of one or more sensors ({@code user}).
     * @return the three-minute average per sensor, every minute.
     */
    public static List<WindowResult<String, Double>> run(final List<Click> readings)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(1);
        final CollectSink<WindowResult<String, Double>> results = new CollectSink<>();
        env.fromSource(CollectionSource.of(readings),
                WatermarkStrategy.<Click>forMonotonousTimestamps().withTimestampAssigner((reading, ts) -> reading.time()), "readings")
            .keyBy(Click::user)
            .window(SlidingEventTimeWindows.of(Duration.ofMinutes(3), Duration.ofMinutes(1)))
            .aggregate(new Average())
            .sinkTo(results);
        env.execute("moving average");
        return results.results();
    }

    /**
     * @param args unused.
     */
    public static void main(final String[] args)
    {
        run(List.of(new Click("sensor", 0, 10), new Click("sensor", 60_000, 20), new Click("sensor", 120_000, 30))).forEach(System.out::println);
    }
}
