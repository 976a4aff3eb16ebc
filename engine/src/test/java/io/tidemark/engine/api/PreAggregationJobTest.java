package io.tidemark.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.api.ObjectReuseJobTest.Generated;
import io.tidemark.engine.functions.AggregateFunction;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.graph.JobGraph;
import io.tidemark.engine.graph.JobVertex;
import io.tidemark.engine.sink.CollectSink;
import io.tidemark.engine.source.GeneratorSource;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.SlidingEventTimeWindows;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.engine.window.WindowResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A keyed tumbling or hopping window asked to pre-aggregate is pre-aggregated in the source's
 * task before the key exchange, with a {@code long} or an object accumulator, and gives the
 * results it gives without.
 */
class PreAggregationJobTest
{
    private static final long N = 60_000;

    /** What one job gave, each list sorted. */
    private record Results(List<String> counts, List<String> sums, List<String> objectKeyed, List<String> kept)
    {
    }

    @Test
    void preAggregatedWindowsGiveTheResultsOfTheRecords()
    {
        final Results with = run(true);
        final Results without = run(false);
        assertEquals(without, with);
        assertFalse(with.kept().isEmpty(), "the object accumulator's windows fired");
        assertEquals(N, with.counts().stream().mapToLong(r -> Long.parseLong(r.substring(r.lastIndexOf('=') + 1))).sum(), "every event counted once");
    }

    @Test
    void thePreAggregationIsChainedToTheSourceAndTheWindowReadsPartialAggregates()
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        events(env).keyByLong(Generated::user).window(TumblingEventTimeWindows.of(Duration.ofSeconds(60))).preAggregation(true)
            .aggregate(AggregateFunctions.<Generated>count()).name("count").sinkTo(new CollectSink<>()).name("out");
        final List<String> vertices = JobGraph.of(env.graph()).vertices().stream().map(JobVertex::name).toList();
        assertEquals(List.of("events -> pre-aggregate-1", "count -> out"), vertices);
    }

    @Test
    void anObjectAccumulatorIsPreAggregatedToo()
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        events(env).keyByLong(Generated::user).window(TumblingEventTimeWindows.of(Duration.ofSeconds(60))).preAggregation(true)
            .aggregate(new Highest()).name("highest").sinkTo(new CollectSink<>()).name("out");
        final List<String> vertices = JobGraph.of(env.graph()).vertices().stream().map(JobVertex::name).toList();
        assertEquals(List.of("events -> pre-aggregate-1", "highest -> out"), vertices);
    }

    @Test
    void lateRecordsToASideOutputOrPreAggregationNotAskedForKeepTheRecordsCrossing()
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        final KeyedStream<Generated, Long> byUser = events(env).keyByLong(Generated::user);
        byUser.window(TumblingEventTimeWindows.of(Duration.ofSeconds(60))).preAggregation(true).sideOutputLateData(new OutputTag<>("late"))
            .aggregate(AggregateFunctions.<Generated>count()).sinkTo(new CollectSink<>());
        byUser.window(TumblingEventTimeWindows.of(Duration.ofSeconds(60)))
            .aggregate(AggregateFunctions.<Generated>count()).sinkTo(new CollectSink<>());
        final List<String> vertices = JobGraph.of(env.graph()).vertices().stream().map(JobVertex::name).toList();
        assertFalse(vertices.stream().anyMatch(v -> v.contains("pre-aggregate")), vertices.toString());
        assertTrue(vertices.contains("events"), vertices.toString());
    }

    private static DataStream<Generated> events(final StreamExecutionEnvironment env)
    {
        return env.fromSource(GeneratorSource.reusing(N, Generated::new, (i, event) -> event.fill(i)),
            WatermarkStrategy.<Generated>forBoundedOutOfOrderness(Duration.ofSeconds(2)).withTimestampAssigner((e, ts) -> e.time()), "events");
    }

    private static Results run(final boolean preAggregation)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        final DataStream<Generated> events = events(env);
        final CollectSink<WindowResult<Long, Long>> counts = new CollectSink<>();
        final CollectSink<WindowResult<Long, Long>> sums = new CollectSink<>();
        final CollectSink<WindowResult<String, Long>> objectKeyed = new CollectSink<>();
        events.keyByLong(Generated::user).window(TumblingEventTimeWindows.of(Duration.ofSeconds(60))).preAggregation(preAggregation)
            .aggregate(AggregateFunctions.<Generated>count()).sinkTo(counts);
        events.keyByLong(Generated::user).window(SlidingEventTimeWindows.of(Duration.ofSeconds(60), Duration.ofSeconds(20))).preAggregation(preAggregation)
            .aggregate(AggregateFunctions.sumLong(Generated::value)).sinkTo(sums);
        // A key that is an object: the partial aggregates carry it as one.
        events.keyBy(e -> "user-" + e.user()).window(TumblingEventTimeWindows.of(Duration.ofSeconds(30))).preAggregation(preAggregation)
            .aggregate(AggregateFunctions.<Generated>count()).sinkTo(objectKeyed);
        // An object accumulator that keeps the records themselves, which the source reuses.
        final CollectSink<WindowResult<Long, String>> kept = new CollectSink<>();
        events.keyByLong(Generated::user).window(SlidingEventTimeWindows.of(Duration.ofSeconds(60), Duration.ofSeconds(30))).preAggregation(preAggregation)
            .aggregate(new Highest()).sinkTo(kept);
        env.execute(preAggregation ? "pre-aggregated" : "records");
        return new Results(describe(counts), describe(sums), describe(objectKeyed), describe(kept));
    }

    /** Keeps the records of the highest value, in an accumulator of their own objects. */
    private static final class Highest implements AggregateFunction<Generated, List<Generated>, String>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public List<Generated> createAccumulator()
        {
            return new ArrayList<>();
        }

        @Override
        public List<Generated> add(final Generated value, final List<Generated> accumulator)
        {
            if (!accumulator.isEmpty() && value.value() > accumulator.get(0).value())
            {
                accumulator.clear();
            }
            if (accumulator.isEmpty() || value.value() == accumulator.get(0).value())
            {
                accumulator.add(value);
            }
            return accumulator;
        }

        @Override
        public String getResult(final List<Generated> accumulator)
        {
            return accumulator.stream().map(g -> g.user() + "/" + g.time() + "/" + g.value()).sorted().toList().toString();
        }

        @Override
        public List<Generated> merge(final List<Generated> a, final List<Generated> b)
        {
            for (final Generated record : b)
            {
                add(record, a);
            }
            return a;
        }
    }

    private static List<String> describe(final CollectSink<? extends WindowResult<?, ?>> sink)
    {
        return sink.results().stream().map(r -> r.key() + " " + r.windowStart() + "-" + r.windowEnd() + " " + r.update() + "=" + r.value()).sorted().toList();
    }
}
