package io.tidemark.bench.engine;

import java.util.concurrent.TimeUnit;

import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.KeyedCoProcessFunction;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.functions.ProcessJoinFunction;
import io.tidemark.engine.join.IntervalJoinOperator;
import io.tidemark.engine.operator.KeyedCoProcessOperator;
import io.tidemark.engine.operator.KeyedOperator;
import io.tidemark.engine.operator.OperatorContext;
import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.operator.Output;
import io.tidemark.engine.operator.TwoInputOperator;
import io.tidemark.engine.state.KeyGroups;
import io.tidemark.engine.state.ValueState;
import io.tidemark.engine.state.ValueStateDescriptor;
import io.tidemark.engine.time.Clock;
import io.tidemark.engine.window.LateDataPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-record path of the keyed two-input operators alone, without tasks or channels:
 * set the key, process the record, and a watermark every {@value #PAIRS} pairs that fires
 * the cleanup timers. Each pair is a left and a right record of one key at one millisecond,
 * the key cycling through {@value #KEYS}; the keys and records are boxed once, in set-up, so
 * that what {@code -prof gc} counts per record is the operator's own allocation.
 *
 * <ul>
 * <li>{@code INTERVAL}: {@link IntervalJoinOperator} over (-5 ms, +5 ms): each pair meets, and
 * each record is buffered under its timestamp with a cleanup timer.</li>
 * <li>{@code CO_PROCESS}: {@link KeyedCoProcessOperator} with a function shaped like Nexmark's
 * q9: the left record is kept in value state with an event-time timer 10 ms on, the right
 * one compared with it and kept as the best; the timer emits and clears both.</li>
 * </ul>
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar KeyedJoinOperator -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgs = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class KeyedJoinOperatorBenchmark
{
    private static final int KEYS = 1_024;
    private static final int PAIRS = 4_096;

    /** Which operator: INTERVAL or CO_PROCESS. */
    @Param({"INTERVAL", "CO_PROCESS"})
    public String operator;

    private final Long[] keys = new Long[KEYS];
    private final Counting output = new Counting();
    private TwoInputOperator<Long, Long, Long> join;
    private KeyedOperator keyed;
    private long time = 1_000_000;

    /** Opens the operator and boxes the keys. */
    @Setup
    public void setUp() throws Exception
    {
        for (int k = 0; k < KEYS; k++)
        {
            keys[k] = 1_000_000L + k * 7L;
        }
        final TwoInputOperator<Long, Long, Long> created = switch (operator)
        {
            case "INTERVAL" -> new IntervalJoinOperator<Long, Long, Long, Long>(-5, 5, LateDataPolicy.drop(), LateDataPolicy.drop(), new Left());
            case "CO_PROCESS" -> new KeyedCoProcessOperator<>(new Best());
            default -> throw new IllegalArgumentException(operator);
        };
        created.open(new OperatorContext("join", 0, 1, KeyGroups.DEFAULT_MAX_PARALLELISM, Clock.SYSTEM, new OperatorMetrics("join", 0)), output);
        join = created;
        keyed = (KeyedOperator)created;
    }

    /**
     * @return the results so far, so that the work is not dead.
     * @throws Exception if the operator fails.
     */
    @Benchmark
    @OperationsPerInvocation(2 * PAIRS)
    public long pairs() throws Exception
    {
        for (int i = 0; i < PAIRS; i++)
        {
            final Long key = keys[(int)(time % KEYS)];
            keyed.setCurrentKey(key);
            join.processElement1(key, time);
            join.processElement2(key, time);
            time++;
        }
        join.processWatermark(time - 20);
        return output.count;
    }

    /** Emits the left record of each pair. */
    static final class Left extends ProcessJoinFunction<Long, Long, Long>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(final Long left, final Long right, final Context ctx, final Collector<Long> out)
        {
            out.collect(left);
        }
    }

    /** Keeps the left record and the best right one until a timer 10 ms on emits them. */
    static final class Best extends KeyedCoProcessFunction<Long, Long, Long, Long>
    {
        private static final long serialVersionUID = 1L;
        private static final ValueStateDescriptor<Long> OPEN = new ValueStateDescriptor<>("open");
        private static final ValueStateDescriptor<Long> BEST = new ValueStateDescriptor<>("best");

        @Override
        public void processElement1(final Long value, final Context<Long, Long> ctx, final Collector<Long> out)
        {
            ctx.getState(OPEN).update(value);
            ctx.timerService().registerEventTimeTimer(ctx.timestamp() + 10);
        }

        @Override
        public void processElement2(final Long value, final Context<Long, Long> ctx, final Collector<Long> out)
        {
            if (ctx.getState(OPEN).value() != null)
            {
                final ValueState<Long> best = ctx.getState(BEST);
                final Long held = best.value();
                if (held == null || value > held)
                {
                    best.update(value);
                }
            }
        }

        @Override
        public void onTimer(final long timestamp, final Context<Long, Long> ctx, final Collector<Long> out)
        {
            final ValueState<Long> best = ctx.getState(BEST);
            if (best.value() != null)
            {
                out.collect(best.value());
            }
            ctx.getState(OPEN).clear();
            best.clear();
        }
    }

    /** Counts what the operator emits. */
    static final class Counting implements Output<Long>
    {
        long count;

        @Override
        public void collect(final Long value, final long timestamp)
        {
            count++;
        }

        @Override
        public <X> void collect(final OutputTag<X> tag, final X value, final long timestamp)
        {
            count++;
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
