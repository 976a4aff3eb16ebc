package io.tidemark.bench.nexmark;

import java.util.concurrent.TimeUnit;

import io.tidemark.bench.nexmark.generator.NexmarkConfig;
import io.tidemark.bench.nexmark.generator.NexmarkGenerator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The Nexmark generator alone, one thread: events per second of the standard stream (the mix
 * of persons, auctions and bids, their strings and padding), which is what a Nexmark source
 * subtask pays per event before any query runs. Each invocation makes the next {@value #BATCH}
 * events, so the event numbers, and with them the ids and the clock, move on as in a run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NexmarkGeneratorBenchmark
{
    private static final int BATCH = 1 << 16;

    private NexmarkGenerator generator;
    private long next;

    /** One generator of the standard stream, as a source subtask has. */
    @Setup
    public void setUp()
    {
        generator = new NexmarkGenerator(NexmarkConfig.standard(Long.MAX_VALUE));
    }

    /**
     * @param sink takes every event, so none is optimised away.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void events(final Blackhole sink)
    {
        final long end = next + BATCH;
        for (long n = next; n < end; n++)
        {
            sink.consume(generator.event(n));
        }
        next = end;
    }
}
