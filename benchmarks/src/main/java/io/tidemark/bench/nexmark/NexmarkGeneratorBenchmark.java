package io.tidemark.bench.nexmark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

import io.tidemark.bench.nexmark.generator.NexmarkConfig;
import io.tidemark.bench.nexmark.generator.NexmarkGenerator;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
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
 *
 * <p>The score is events per second of wall time, which a busy machine lowers; beside it the
 * {@link CpuTime} counters give the thread's CPU time and the events made in each iteration,
 * whose ratio is the NEXMark figure, events per second per core, steady under load.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NexmarkGeneratorBenchmark
{
    private static final int BATCH = 1 << 16;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

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
     * @param cpu  counts the batch's events and the CPU time they took.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void events(final Blackhole sink, final CpuTime cpu)
    {
        makeBatch(sink, cpu, false);
    }

    /**
     * The same events taken as a source split takes them: by position in the emitted stream,
     * which the generator first turns into an event number (the same number in an in-order
     * stream, as the standard one is).
     *
     * @param sink takes every event, so none is optimised away.
     * @param cpu  counts the batch's events and the CPU time they took.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void positions(final Blackhole sink, final CpuTime cpu)
    {
        makeBatch(sink, cpu, true);
    }

    private void makeBatch(final Blackhole sink, final CpuTime cpu, final boolean byPosition)
    {
        final long start = THREADS.getCurrentThreadCpuTime();
        final long end = next + BATCH;
        for (long n = next; n < end; n++)
        {
            sink.consume(byPosition ? generator.eventAt(n) : generator.event(n));
        }
        next = end;
        cpu.cpuNanos += THREADS.getCurrentThreadCpuTime() - start;
        cpu.madeEvents += BATCH;
    }

    /** Per iteration: the benchmark thread's CPU time and the events it made in it. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CpuTime
    {
        /** CPU nanoseconds of the benchmark thread. */
        public long cpuNanos;
        /** Events made. */
        public long madeEvents;

        /** Starts each iteration from zero. */
        @Setup(Level.Iteration)
        public void clear()
        {
            cpuNanos = 0;
            madeEvents = 0;
        }
    }
}
