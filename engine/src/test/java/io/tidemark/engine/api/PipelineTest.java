package io.tidemark.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.KeyedProcessFunction;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.sink.CollectSink;
import io.tidemark.engine.sink.PrintSink;
import io.tidemark.engine.sink.SinkWriter;
import io.tidemark.engine.source.CollectionSource;
import io.tidemark.engine.source.GeneratorSource;
import io.tidemark.engine.state.ValueState;
import io.tidemark.engine.state.ValueStateDescriptor;
import io.tidemark.engine.task.JobExecutionException;
import io.tidemark.engine.task.JobHandle;
import io.tidemark.engine.time.Watermark;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.EventTimeSessionWindows;
import io.tidemark.engine.window.SlidingEventTimeWindows;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.engine.window.WindowResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class PipelineTest
{
    /** An event of the benchmark generator G(N, users). */
    record Generated(long user, long time, long value)
    {
        static final long T0 = 1_700_000_000_000L;

        static Generated of(final long i, final long users)
        {
            return new Generated(Math.floorMod(i * 2654435761L, users), T0 + i / 100 - Math.floorMod(i * 7919L, 2000L), i % 1000);
        }
    }

    private static final long N = 40_000;
    private static final long USERS = 500;

    @Test
    void mapFilterFlatMapAndUnionDoWhatTheySay()
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        final CollectSink<String> sink = new CollectSink<>();
        final DataStream<Integer> numbers = env.fromElements(1, 2, 3, 4, 5, 6);
        final DataStream<Integer> more = env.fromCollection(List.of(100, 200));
        numbers.filter(x -> x % 2 == 0)
            .union(more)
            .flatMap((Integer x, Collector<String> out) ->
            {
                out.collect("a" + x);
                out.collect("b" + x);
            })
            .map(String::toUpperCase).name("narrow").setParallelism(1)
            .sinkTo(sink);
        final JobHandle job = env.execute("basics");
        assertEquals(10, job.metrics("narrow", 0).recordsIn(), "p=2 -> p=1 -> p=2: both edges rebalance across tasks");
        final List<String> results = new ArrayList<>(sink.results());
        results.sort(null);
        assertEquals(List.of("A100", "A2", "A200", "A4", "A6", "B100", "B2", "B200", "B4", "B6"), results);
    }

    @Test
    void aSlowConsumerShowsAsItsBusyTimeAndAsItsProducersBackpressuredTime()
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(1);
        env.getConfig().channelCapacity(2);
        final CollectSink<Integer> sink = new CollectSink<>();
        final List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < 200; i++)
        {
            numbers.add(i);
        }
        env.fromCollection(numbers).name("numbers")
            .rebalance()
            .map(x ->
            {
                // Spins rather than parks: a park may return early, and the time spent is the point.
                final long until = System.nanoTime() + 1_000_000;
                while (System.nanoTime() < until)
                {
                    Thread.onSpinWait();
                }
                return x;
            }).name("slow")
            .sinkTo(sink);
        final JobHandle job = env.execute("backpressure");
        final OperatorMetrics source = job.metrics("numbers", 0);
        final OperatorMetrics slow = job.metrics("slow", 0);
        assertEquals(200, source.recordsOut());
        assertEquals(200, slow.recordsIn());
        assertEquals(200, slow.recordsOut());
        assertTrue(slow.busyNanos() >= 200 * 1_000_000L, "200 records of 1 ms each: " + slow.busyNanos() + " ns busy");
        assertTrue(source.backpressuredNanos() > 0, "the source waited for room in a channel of two slots");
        assertEquals(200, sink.results().size());
    }

    @Test
    void printWritesOneLinePerRecordPrefixedWithTheSubtask()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        env.fromSource(CollectionSource.of(List.of("x", "y"), 2), WatermarkStrategy.noWatermarks(), "letters")
            .sinkTo(new PrintSink<>(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        env.execute("print");
        final List<String> lines = new ArrayList<>(List.of(bytes.toString(StandardCharsets.UTF_8).split(System.lineSeparator())));
        lines.sort(null);
        assertEquals(List.of("1> x", "2> y"), lines);
    }

    @Test
    void windowResultsAreTheSameAtParallelismOneTwoAndFourAndEqualTheBatchAnswer()
    {
        final Map<String, List<WindowResult<Long, Long>>> expected = batchAnswer();
        for (final int parallelism : new int[] {1, 2, 4})
        {
            final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(parallelism);
            final KeyedStream<Generated, Long> byUser = env.fromSource(GeneratorSource.of(N, i -> Generated.of(i, USERS)),
                    WatermarkStrategy.<Generated>forBoundedOutOfOrderness(Duration.ofSeconds(2)).withTimestampAssigner((e, ts) -> e.time()), "events")
                .keyBy(Generated::user);
            final CollectSink<WindowResult<Long, Long>> tumbling = new CollectSink<>();
            final CollectSink<WindowResult<Long, Long>> sliding = new CollectSink<>();
            final CollectSink<WindowResult<Long, Long>> sessions = new CollectSink<>();
            byUser.window(TumblingEventTimeWindows.of(Duration.ofSeconds(60))).aggregate(AggregateFunctions.<Generated>count()).name("tumbling").sinkTo(tumbling);
            byUser.window(SlidingEventTimeWindows.of(Duration.ofSeconds(60), Duration.ofSeconds(20))).aggregate(AggregateFunctions.sumLong(Generated::value))
                .name("sliding").sinkTo(sliding);
            byUser.window(EventTimeSessionWindows.withGap(Duration.ofSeconds(4))).aggregate(AggregateFunctions.<Generated>count()).name("sessions").sinkTo(sessions);
            final JobHandle job = env.execute("determinism at p=" + parallelism);

            assertEquals(expected.get("tumbling"), sorted(tumbling.results()), "tumbling at p=" + parallelism);
            assertEquals(expected.get("sliding"), sorted(sliding.results()), "sliding at p=" + parallelism);
            assertEquals(expected.get("sessions"), sorted(sessions.results()), "sessions at p=" + parallelism);
            assertEquals(N, tumbling.results().stream().mapToLong(WindowResult::value).sum(), "with a 2 s bound no event is late");
            for (final OperatorMetrics m : job.metrics())
            {
                assertEquals(0, m.lateRecordsDropped(), m.toString());
                if (!m.operatorName().equals("events"))
                {
                    assertEquals(Watermark.END, m.watermark(), "end of input brings every operator to END: " + m);
                }
            }
        }
    }

    /**
     * Counts each user's clicks and reports the count at 10 s of event time. Every click
     * registers the same timer: a timer fires once however often it was registered, and the
     * result does not depend on which click of a user arrives first (at parallelism 2 that
     * order is not fixed).
     */
    private static final class CountThenReport extends KeyedProcessFunction<String, Click, String>
    {
        private static final long serialVersionUID = 1L;
        private static final ValueStateDescriptor<Long> COUNT = new ValueStateDescriptor<>("count");

        @Override
        public void processElement(final Click value, final Context<String, String> ctx, final Collector<String> out)
        {
            final ValueState<Long> count = ctx.getState(COUNT);
            count.update(count.value() == null ? 1 : count.value() + 1);
            ctx.timerService().registerEventTimeTimer(10_000);
        }

        @Override
        public void onTimer(final long timestamp, final Context<String, String> ctx, final Collector<String> out)
        {
            out.collect(ctx.getCurrentKey() + "=" + ctx.getState(COUNT).value() + "@" + timestamp);
        }
    }

    @Test
    void aKeyedProcessFunctionKeepsStatePerKeyAndItsTimersFire()
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        final CollectSink<String> sink = new CollectSink<>();
        env.fromSource(CollectionSource.of(List.of(new Click("ann", 1_000), new Click("bob", 1_500), new Click("ann", 2_000), new Click("ann", 9_000)), 2),
                WatermarkStrategy.<Click>forMonotonousTimestamps().withTimestampAssigner((c, ts) -> c.time()), "clicks")
            .keyBy(Click::user)
            .process(new CountThenReport())
            .sinkTo(sink);
        env.execute("process");
        final List<String> results = new ArrayList<>(sink.results());
        results.sort(null);
        assertEquals(List.of("ann=3@10000", "bob=1@10000"), results, "timers fire at end of input at the latest, with the key's state");
    }

    @Test
    void lateRecordsReachTheSideOutputOfAPipeline()
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        final OutputTag<Click> lateTag = new OutputTag<>("late-clicks");
        final CollectSink<WindowResult<String, Long>> counts = new CollectSink<>();
        final CollectSink<Click> late = new CollectSink<>();
        final DataStream<WindowResult<String, Long>> windowed = env.fromSource(
                CollectionSource.of(List.of(new Click("ann", 1_000), new Click("ann", 15_000), new Click("ann", 2_000))),
                WatermarkStrategy.<Click>forPunctuated((c, ts) -> ts - 1).withTimestampAssigner((c, ts) -> c.time()), "clicks")
            .keyBy(Click::user)
            .window(TumblingEventTimeWindows.of(Duration.ofSeconds(10)))
            .sideOutputLateData(lateTag)
            .aggregate(AggregateFunctions.<Click>count())
            .name("counts");
        windowed.sinkTo(counts);
        windowed.getSideOutput(lateTag).sinkTo(late);
        final JobHandle job = env.execute("late data");
        assertEquals(List.of(new Click("ann", 2_000)), late.results());
        assertEquals(List.of(new WindowResult<>("ann", 0L, 10_000L, 1L, false), new WindowResult<>("ann", 10_000L, 20_000L, 1L, false)), counts.results());
        assertEquals(1, job.metrics("counts", 0).lateRecordsToSideOutput());
    }

    @Test
    void aSlowSinkBackpressuresTheSourceAndNothingIsLost()
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        env.getConfig().channelCapacity(4).channelBatchSize(2);
        final List<Long> received = Collections.synchronizedList(new ArrayList<>());
        env.fromSource(GeneratorSource.of(20_000, i -> i), WatermarkStrategy.noWatermarks(), "numbers")
            .keyBy(x -> x % 7)
            .map(x -> x)
            .sinkTo((subtask, parallelism) -> new SinkWriter<Long>()
            {
                @Override
                public void write(final Long value, final long timestamp)
                {
                    if (value % 1_000 == 0)
                    {
                        LockSupport.parkNanos(1_000_000);
                    }
                    received.add(value);
                }
            });
        env.execute("backpressure");
        assertEquals(20_000, received.size());
        assertEquals(20_000, received.stream().distinct().count());
    }

    @Test
    void aFailingUserFunctionFailsTheJobAndNamesTheOperator()
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        env.fromSource(GeneratorSource.of(Long.MAX_VALUE, i -> i), WatermarkStrategy.noWatermarks(), "endless")
            .map(x ->
            {
                if (x == 5_000)
                {
                    throw new IllegalStateException("bad record " + x);
                }
                return x;
            }).name("picky")
            .keyBy(x -> x)
            .map(x -> x)
            .sinkTo(new CollectSink<>());
        final JobExecutionException failure = assertThrows(JobExecutionException.class, () -> env.execute("failing"));
        assertTrue(failure.getMessage().contains("picky") && failure.getMessage().contains("bad record 5000"), failure.getMessage());
    }

    private static Map<String, List<WindowResult<Long, Long>>> batchAnswer()
    {
        final Map<List<Long>, Long> tumbling = new HashMap<>();
        final Map<List<Long>, Long> sliding = new HashMap<>();
        final Map<Long, List<Long>> timesByUser = new HashMap<>();
        for (long i = 0; i < N; i++)
        {
            final Generated e = Generated.of(i, USERS);
            final long start = Math.floorDiv(e.time(), 60_000) * 60_000;
            tumbling.merge(List.of(e.user(), start, start + 60_000), 1L, Long::sum);
            for (long s = Math.floorDiv(e.time(), 20_000) * 20_000; s > e.time() - 60_000; s -= 20_000)
            {
                sliding.merge(List.of(e.user(), s, s + 60_000), e.value(), Long::sum);
            }
            timesByUser.computeIfAbsent(e.user(), u -> new ArrayList<>()).add(e.time());
        }
        final Map<List<Long>, Long> sessions = new HashMap<>();
        timesByUser.forEach((user, times) ->
        {
            times.sort(null);
            long start = times.get(0);
            long end = start + 4_000;
            long count = 0;
            for (final long t : times)
            {
                if (t > end)
                {
                    sessions.put(List.of(user, start, end), count);
                    start = t;
                    count = 0;
                }
                end = Math.max(end, t + 4_000);
                count++;
            }
            sessions.put(List.of(user, start, end), count);
        });
        return Map.of("tumbling", asResults(tumbling), "sliding", asResults(sliding), "sessions", asResults(sessions));
    }

    private static List<WindowResult<Long, Long>> asResults(final Map<List<Long>, Long> values)
    {
        final List<WindowResult<Long, Long>> results = new ArrayList<>();
        values.forEach((k, v) -> results.add(new WindowResult<>(k.get(0), k.get(1), k.get(2), v, false)));
        return sorted(results);
    }

    private static List<WindowResult<Long, Long>> sorted(final List<WindowResult<Long, Long>> results)
    {
        final List<WindowResult<Long, Long>> copy = new ArrayList<>(results);
        copy.sort(Comparator.comparing(WindowResult<Long, Long>::key).thenComparingLong(WindowResult::windowStart).thenComparingLong(WindowResult::windowEnd));
        return copy;
    }
}
