package io.tidemark.engine.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.checkpoint.CheckpointStorage;
import io.tidemark.engine.checkpoint.CompletedCheckpoint;
import io.tidemark.engine.checkpoint.TaskRestore;
import io.tidemark.engine.checkpoint.TaskSnapshot;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.KeyedProcessFunction;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.graph.JobGraph;
import io.tidemark.engine.graph.JobVertex;
import io.tidemark.engine.graph.Partitioning;
import io.tidemark.engine.graph.StreamGraph;
import io.tidemark.engine.graph.StreamNode;
import io.tidemark.engine.operator.ChainedInput;
import io.tidemark.engine.operator.KeyedProcessOperator;
import io.tidemark.engine.operator.OneInputOperator;
import io.tidemark.engine.operator.OperatorContext;
import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.operator.Output;
import io.tidemark.engine.source.CollectionSource;
import io.tidemark.engine.state.KeyGroups;
import io.tidemark.engine.state.ValueState;
import io.tidemark.engine.state.ValueStateDescriptor;
import io.tidemark.engine.time.ManualClock;
import io.tidemark.engine.time.Watermark;
import io.tidemark.engine.time.WatermarkStrategy;
import java.io.DataInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Rescaling through a real (in-memory) checkpoint: a keyed operator run by {@code p1}
 * subtasks is snapshotted midway, the snapshots are dealt by
 * {@link CompletedCheckpoint#restoreFor} to {@code p2} subtasks, and the run goes on there.
 * What the two halves emit together must be exactly what one subtask emits running straight
 * through: a key lost in the move would miss results, a key restored twice would double
 * them, a merge that kept the wrong key groups would fail on the key's next record.
 */
class RescaleProperties
{
    private static final int MAX_PARALLELISM = 128;

    /** The operators under test. */
    enum Kind
    {
        TUMBLING_SLICES, HOPPING_SLICES, SESSIONS, MERGING_WINDOW_OPERATOR, HOPPING_WINDOW_OPERATOR, KEYED_PROCESS;

        OneInputOperator<Event, ?> newOperator(final WindowProperties.Aggregate aggregate)
        {
            return switch (this)
            {
                case TUMBLING_SLICES -> new WindowOperatorBuilder<String, Event, TimeWindow>(TumblingEventTimeWindows.of(Duration.ofSeconds(2)))
                    .aggregateInSlices(aggregate.newFunction());
                case HOPPING_SLICES -> new WindowOperatorBuilder<String, Event, TimeWindow>(
                    SlidingEventTimeWindows.of(Duration.ofSeconds(3), Duration.ofSeconds(1))).aggregateInSlices(aggregate.newFunction());
                case SESSIONS -> new WindowOperatorBuilder<String, Event, TimeWindow>(EventTimeSessionWindows.withGap(Duration.ofMillis(700)))
                    .aggregateInSessions(aggregate.newFunction());
                case MERGING_WINDOW_OPERATOR -> new WindowOperatorBuilder<String, Event, TimeWindow>(EventTimeSessionWindows.withGap(Duration.ofMillis(700)))
                    .aggregate(aggregate.newFunction());
                case HOPPING_WINDOW_OPERATOR -> new WindowOperatorBuilder<String, Event, TimeWindow>(
                    SlidingEventTimeWindows.of(Duration.ofSeconds(3), Duration.ofSeconds(1))).aggregate(aggregate.newFunction());
                case KEYED_PROCESS -> new KeyedProcessOperator<>(new SumEverySecond());
            };
        }
    }

    @Property(tries = 200)
    void everyKeyMovesToExactlyOneNewSubtaskWithItsExactState(
        @ForAll final long seed,
        @ForAll @IntRange(min = 1, max = 8) final int oldParallelism,
        @ForAll @IntRange(min = 1, max = 8) final int newParallelism,
        @ForAll @IntRange(min = 1, max = 40) final int keys,
        @ForAll @IntRange(min = 0, max = 300) final int count,
        @ForAll final Kind kind,
        @ForAll final WindowProperties.Aggregate aggregate) throws Exception
    {
        final List<Event> events = events(seed, count, keys);
        final int half = events.size() / 2;
        final long firstWatermark = half == 0 ? Watermark.NONE : events.get(half - 1).time() - 1_500;
        final Supplier<OneInputOperator<Event, ?>> operators = () -> kind.newOperator(aggregate);

        final Subtasks straight = new Subtasks(operators, 1, List.of());
        straight.feed(events.subList(0, half));
        straight.watermark(firstWatermark);
        straight.feed(events.subList(half, events.size()));
        straight.watermark(Watermark.END);

        final Subtasks before = new Subtasks(operators, oldParallelism, List.of());
        before.feed(events.subList(0, half));
        before.watermark(firstWatermark);
        final CheckpointStorage storage = CheckpointStorage.open(null, 1);
        final JobGraph oldGraph = graph(operators, oldParallelism);
        for (int subtask = 0; subtask < oldParallelism; subtask++)
        {
            storage.write(1, new TaskSnapshot(1, subtask, oldParallelism, KeyGroups.rangeFor(MAX_PARALLELISM, oldParallelism, subtask),
                Map.of(1, before.operator(subtask).snapshot(1)), null, 0, 0));
        }
        final CompletedCheckpoint checkpoint = storage.complete(1, 0, oldGraph, MAX_PARALLELISM);

        final JobGraph newGraph = graph(operators, newParallelism);
        final JobVertex vertex = newGraph.vertices().get(1);
        final List<TaskRestore> restores = new ArrayList<>();
        for (int subtask = 0; subtask < newParallelism; subtask++)
        {
            restores.add(checkpoint.restoreFor(newGraph, vertex, subtask, MAX_PARALLELISM));
        }
        final Subtasks after = new Subtasks(operators, newParallelism, restores);
        after.feed(events.subList(half, events.size()));
        after.watermark(Watermark.END);

        final List<String> resumed = new ArrayList<>(before.output);
        resumed.addAll(after.output);
        resumed.sort(null);
        straight.output.sort(null);
        assertEquals(straight.output, resumed);
    }

    @Property(tries = 100)
    void aRestoredOperatorTakesTheLeastWatermarkOfItsSnapshots(
        @ForAll @IntRange(min = 2, max = 8) final int oldParallelism,
        @ForAll final long seed,
        @ForAll final Kind kind) throws Exception
    {
        final Supplier<OneInputOperator<Event, ?>> operators = () -> kind.newOperator(WindowProperties.Aggregate.SUM);
        final Subtasks before = new Subtasks(operators, oldParallelism, List.of());
        final Random random = new Random(seed);
        long least = Long.MAX_VALUE;
        for (int subtask = 0; subtask < oldParallelism; subtask++)
        {
            final long watermark = random.nextInt(100_000);
            least = Math.min(least, watermark);
            before.inputs.get(subtask).emitWatermark(watermark);
        }
        final Subtasks after = new Subtasks(operators, 1, List.of());
        for (int subtask = 0; subtask < oldParallelism; subtask++)
        {
            after.operator(0).restoreState(new java.io.DataInputStream(new java.io.ByteArrayInputStream(snapshotBytes(before.operator(subtask)))));
        }
        // The watermark shows in what counts as late: a record just after the least is not.
        final long justAfter = least + 3_001;
        after.inputs.get(0).collectKeyed("late?", new Event("late?", justAfter, 1), justAfter);
        after.watermark(Watermark.END);
        assertTrue(after.output.stream().anyMatch(result -> result.contains("late?")), "a record after the least watermark is on time: " + after.output);
    }

    private static byte[] snapshotBytes(final OneInputOperator<Event, ?> operator) throws Exception
    {
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        operator.snapshot(1).writeTo(new java.io.DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    /** Events in time order, with a little disorder, over about 20 seconds. */
    private static List<Event> events(final long seed, final int count, final int keys)
    {
        final Random random = new Random(seed);
        final List<Event> events = new ArrayList<>();
        long time = 0;
        for (int i = 0; i < count; i++)
        {
            time += random.nextInt(150);
            final long jitter = random.nextInt(400);
            events.add(new Event("k" + random.nextInt(keys), Math.max(0, time - jitter), 1 + random.nextInt(100)));
        }
        return events;
    }

    private static JobGraph graph(final Supplier<OneInputOperator<Event, ?>> operators, final int parallelism)
    {
        final StreamGraph graph = new StreamGraph();
        final StreamNode source = graph.addSource("events", parallelism, CollectionSource.of(List.of()), WatermarkStrategy.noWatermarks());
        final StreamNode window = graph.addOperator("keyed", parallelism, operators);
        graph.addEdge(source, window, Partitioning.hash(e -> ((Event)e).key()), null);
        return JobGraph.of(graph);
    }

    /** The subtasks of one keyed operator, each fed the records of the keys it owns. */
    private static final class Subtasks
    {
        final List<ChainedInput<Event>> inputs = new ArrayList<>();
        final List<String> output = new ArrayList<>();
        private final int parallelism;

        @SuppressWarnings("unchecked")
        Subtasks(final Supplier<OneInputOperator<Event, ?>> operators, final int parallelism, final List<TaskRestore> restores) throws Exception
        {
            this.parallelism = parallelism;
            for (int subtask = 0; subtask < parallelism; subtask++)
            {
                final OneInputOperator<Event, Object> operator = (OneInputOperator<Event, Object>)operators.get();
                final OperatorMetrics metrics = new OperatorMetrics("keyed", subtask);
                operator.open(new OperatorContext("keyed", subtask, parallelism, MAX_PARALLELISM, new ManualClock(0), metrics), new Collecting());
                if (!restores.isEmpty())
                {
                    for (final DataInput in : restores.get(subtask).operators().get(1))
                    {
                        operator.restoreState(in);
                    }
                }
                operator.restoreFinished();
                inputs.add(new ChainedInput<>(operator, metrics));
            }
        }

        OneInputOperator<Event, ?> operator(final int subtask)
        {
            return inputs.get(subtask).operator();
        }

        void feed(final List<Event> events)
        {
            for (final Event event : events)
            {
                final int owner = KeyGroups.subtaskFor(KeyGroups.keyGroupFor(event.key(), MAX_PARALLELISM), MAX_PARALLELISM, parallelism);
                inputs.get(owner).collectKeyed(event.key(), event, event.time());
            }
        }

        void watermark(final long watermark)
        {
            for (final ChainedInput<Event> input : inputs)
            {
                input.emitWatermark(watermark);
            }
        }

        private final class Collecting implements Output<Object>
        {
            @Override
            public void collect(final Object value, final long timestamp)
            {
                output.add(value.toString());
            }

            @Override
            public <X> void collect(final OutputTag<X> tag, final X value, final long timestamp)
            {
                output.add(tag.id() + ": " + value);
            }

            @Override
            public void emitWatermark(final long watermark)
            {
            }

            @Override
            public void emitIdle(final boolean idle)
            {
            }
        }
    }

    /** Sums each key's values, emitting and clearing the sum at the end of every second. */
    private static final class SumEverySecond extends KeyedProcessFunction<String, Event, Object>
    {
        private static final ValueStateDescriptor<Long> SUM = new ValueStateDescriptor<>("sum");

        @Override
        public void processElement(final Event value, final Context<String, Object> ctx, final Collector<Object> out)
        {
            final ValueState<Long> sum = ctx.getState(SUM);
            sum.update((sum.value() == null ? 0 : sum.value()) + value.value());
            ctx.timerService().registerEventTimeTimer(value.time() / 1_000 * 1_000 + 999);
        }

        @Override
        public void onTimer(final long timestamp, final Context<String, Object> ctx, final Collector<Object> out)
        {
            final ValueState<Long> sum = ctx.getState(SUM);
            out.collect(ctx.getCurrentKey() + "@" + timestamp + "=" + sum.value());
            sum.clear();
        }
    }
}
