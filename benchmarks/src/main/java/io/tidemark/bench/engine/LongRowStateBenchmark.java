package io.tidemark.bench.engine;

import java.util.concurrent.TimeUnit;

import io.tidemark.engine.state.KeyGroupRange;
import io.tidemark.engine.state.KeyGroups;
import io.tidemark.engine.state.KeyedStateBackend;
import io.tidemark.engine.state.LongRowState;
import io.tidemark.engine.state.LongRowStateDescriptor;
import io.tidemark.engine.state.Serializers;
import io.tidemark.engine.state.ValueState;
import io.tidemark.engine.state.ValueStateDescriptor;
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
 * Keeping each key's latest (time, price) pair, Nexmark q18's pattern, over many keys: as an
 * object per key in a {@link ValueState} (a new one per update, as a record that replaces the
 * last would be), or as a row of two longs in a {@link LongRowState}. The keys are visited in
 * a fixed random order, so that with a million keys most look-ups miss the caches, and each
 * update that replaces an object leaves the old one to the collector and points the long-lived
 * map at a young one; run with {@code -prof gc} to see what that costs beside the look-up.
 *
 * <pre>
 * java -Xms2g -Xmx2g -jar benchmarks/target/benchmarks.jar LongRowState -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
public class LongRowStateBenchmark
{
    private static final int VISITS = 1 << 22;
    private static final int BATCH = 4_096;

    /** How many keys hold state. */
    @Param({"1024", "1048576"})
    public int keys;

    private final long[] order = new long[VISITS];
    private final long[] row = new long[2];
    private KeyedStateBackend backend;
    private ValueState<TimePrice> objects;
    private LongRowState rows;
    private int next;
    private long time;

    /** A key's value as an object: what a {@link ValueState} holds. */
    private record TimePrice(long time, long price)
    {
    }

    /** Fills both states with a value per key and draws the order of the visits. */
    @Setup
    public void setUp()
    {
        backend = new KeyedStateBackend(KeyGroups.DEFAULT_MAX_PARALLELISM, new KeyGroupRange(0, KeyGroups.DEFAULT_MAX_PARALLELISM - 1), Serializers.any());
        objects = backend.getState(new ValueStateDescriptor<>("objects"));
        rows = backend.getState(new LongRowStateDescriptor("rows", row.length));
        for (long key = 0; key < keys; key++)
        {
            backend.setCurrentLongKey(key);
            objects.update(new TimePrice(0, key));
            row[1] = key;
            rows.put(row);
        }
        long seed = 18;
        for (int i = 0; i < VISITS; i++)
        {
            seed += 0x9E3779B97F4A7C15L;
            order[i] = Long.remainderUnsigned(KeyGroups.mix64(seed), keys);
        }
    }

    /**
     * @return the last price read, so that the work is not dead.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long objectPerKey()
    {
        long price = 0;
        for (int i = 0; i < BATCH; i++)
        {
            backend.setCurrentLongKey(order[next]);
            next = next + 1 & VISITS - 1;
            final TimePrice last = objects.value();
            price = last.price();
            objects.update(new TimePrice(++time, price + 1));
        }
        return price;
    }

    /**
     * @return the last price read, so that the work is not dead.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long rowPerKey()
    {
        long price = 0;
        for (int i = 0; i < BATCH; i++)
        {
            backend.setCurrentLongKey(order[next]);
            next = next + 1 & VISITS - 1;
            rows.get(row);
            price = row[1];
            row[0] = ++time;
            row[1] = price + 1;
            rows.put(row);
        }
        return price;
    }
}
