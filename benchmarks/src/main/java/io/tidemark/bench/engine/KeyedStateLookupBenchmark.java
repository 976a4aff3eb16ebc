package io.tidemark.bench.engine;

import java.util.concurrent.TimeUnit;

import io.tidemark.engine.operator.KeyedCoProcessOperator;
import io.tidemark.engine.operator.OperatorContext;
import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.state.KeyGroups;
import io.tidemark.engine.time.Clock;
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
 * A keyed two-input operator's record path over many keys, the way a {@code long}-keyed edge
 * delivers records (the task calls {@code setCurrentLongKey}, then the second input's
 * {@code processElement2}), with {@link KeyedJoinOperatorBenchmark}'s function of Nexmark
 * q9's shape: a bid reads its auction's value state and the best bid's, and replaces the best
 * when it beats it. Set-up opens an auction for each of {@code keys} keys and no timer fires, as in a Nexmark run shorter than its watermark's
 * bound; the bids then visit the keys in a fixed random order, so that with 131,072 keys (the
 * 120,000 auctions of 2 M events) most look-ups miss the caches.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar KeyedStateLookup -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
public class KeyedStateLookupBenchmark
{
    private static final int BIDS = 1 << 20;
    private static final int BATCH = 4_096;

    /** How many keys hold state. */
    @Param({"1024", "131072"})
    public int keys;

    private final long[] order = new long[BIDS];
    private final Long[] prices = new Long[BATCH];
    private final KeyedJoinOperatorBenchmark.Counting output = new KeyedJoinOperatorBenchmark.Counting();
    private KeyedCoProcessOperator<Long, Long, Long, Long> operator;
    private int next;

    /** Opens the operator, an auction per key, and draws the order of the bids' keys. */
    @Setup
    public void setUp() throws Exception
    {
        operator = new KeyedCoProcessOperator<>(new KeyedJoinOperatorBenchmark.Best());
        operator.open(new OperatorContext("q9", 0, 1, KeyGroups.DEFAULT_MAX_PARALLELISM, Clock.SYSTEM, new OperatorMetrics("q9", 0)), output);
        for (long k = 0; k < keys; k++)
        {
            operator.setCurrentLongKey(1_000 + k);
            operator.processElement1(k, 0);
        }
        long seed = 42;
        for (int i = 0; i < BIDS; i++)
        {
            seed += 0x9E3779B97F4A7C15L;
            order[i] = 1_000 + Long.remainderUnsigned(mix(seed), keys);
        }
        for (int i = 0; i < BATCH; i++)
        {
            prices[i] = (long)i;
        }
    }

    /**
     * @return the results so far, so that the work is not dead.
     * @throws Exception if the operator fails.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long bids() throws Exception
    {
        for (int i = 0; i < BATCH; i++)
        {
            operator.setCurrentLongKey(order[next]);
            operator.processElement2(prices[i], i);
            next = (next + 1) & (BIDS - 1);
        }
        return output.count;
    }

    private static long mix(final long z)
    {
        long x = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }
}
