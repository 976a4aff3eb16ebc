package io.tidemark.bench.engine;

import java.util.concurrent.TimeUnit;

import io.tidemark.engine.operator.TimerService;
import io.tidemark.engine.state.KeyGroupRange;
import io.tidemark.engine.state.KeyGroups;
import io.tidemark.engine.state.KeyedStateBackend;
import io.tidemark.engine.state.Serializers;
import io.tidemark.engine.state.VoidNamespace;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The event-time timers of Nexmark q9: one timer per auction, the auctions' {@code long} ids
 * in increasing order, each timer at its auction's expiry (its opening, which rises by a
 * millisecond every {@code 600} auctions, plus up to two milliseconds: many timers share a
 * time, and they come nearly sorted). The watermark lags by seconds, so none fires while
 * they are registered; then the end of the input fires them all. One invocation registers
 * {@code timers} timers, registers each a second time (a no-op, as when a window's trigger
 * registers its timer for every record), and fires them all; the score is per invocation,
 * so per timer it is the score over {@code timers}.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TimerQueueBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
public class TimerQueueBenchmark
{
    private static final int AUCTIONS_PER_MILLISECOND = 600;

    /** How many timers are pending when they fire: 131,072 is about q9's 120,000 auctions of 2 M events. */
    @Param({"1024", "131072"})
    public int timers;

    private long[] expiries;
    private KeyedStateBackend backend;
    private TimerService<VoidNamespace> service;
    private long fired;
    private long checksum;

    /** Draws the expiries and opens the timer service. */
    @Setup(Level.Trial)
    public void setUp()
    {
        expiries = new long[timers];
        long seed = 42;
        for (int i = 0; i < timers; i++)
        {
            seed += 0x9E3779B97F4A7C15L;
            expiries[i] = 1_000 + i / AUCTIONS_PER_MILLISECOND + Long.remainderUnsigned(seed * 0xBF58476D1CE4E5B9L, 3);
        }
        backend = new KeyedStateBackend(KeyGroups.DEFAULT_MAX_PARALLELISM, new KeyGroupRange(0, KeyGroups.DEFAULT_MAX_PARALLELISM - 1), Serializers.any());
        service = new TimerService<>(backend, new TimerService.Target<>()
        {
            @Override
            public void onEventTime(final long timestamp, final VoidNamespace namespace)
            {
                fired++;
                checksum += timestamp;
            }

            @Override
            public void onProcessingTime(final long timestamp, final VoidNamespace namespace)
            {
                throw new IllegalStateException("no processing-time timer was registered");
            }
        }, VoidNamespace.SERIALIZER);
    }

    /**
     * @return the sum of the fired timers' times, so that the work is not dead.
     * @throws Exception if a callback fails.
     */
    @Benchmark
    public long registerAndFire() throws Exception
    {
        for (int i = 0; i < timers; i++)
        {
            backend.setCurrentLongKey(1_000 + i);
            service.registerEventTimeTimer(VoidNamespace.INSTANCE, expiries[i]);
        }
        for (int i = 0; i < timers; i++)
        {
            backend.setCurrentLongKey(1_000 + i);
            service.registerEventTimeTimer(VoidNamespace.INSTANCE, expiries[i]);
        }
        service.advanceWatermark(Long.MAX_VALUE);
        if (service.eventTimeTimerCount() != 0)
        {
            throw new IllegalStateException(service.eventTimeTimerCount() + " timers did not fire");
        }
        return checksum + fired;
    }
}
