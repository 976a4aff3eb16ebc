package io.tidemark.bench.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.tidemark.engine.checkpoint.CheckpointStats;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * W1-W4 of {@code docs/WORKLOADS.md} (and W3C, W3 checkpointed every second): each
 * invocation runs the whole job over {@code events} events and fails unless the checksum is
 * right. Each iteration is one such run; the primary score is runs per second, the secondary
 * {@code run:events} is the workload's figure, events per second. Each fork prints its peak
 * RSS when it ends, and for a checkpointed workload what its checkpoints cost. Forks run with
 * the heap of {@link ThroughputWorkload#HEAP}.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar EngineThroughput                        # 20 M events, 3 forks
 * java -jar benchmarks/target/benchmarks.jar EngineThroughput -p events=2000000 -f 1 # quick
 * java -jar benchmarks/target/benchmarks.jar EngineThroughput -p workload=W1,W4      # checkpoints' cost
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// The heap of ThroughputWorkload.HEAP; -jvmArgs on the command line replaces it.
@Fork(value = 3, jvmArgs = "-Xmx" + ThroughputWorkload.HEAP)
// An iteration of 1 ms is one run: the run takes far longer, and JMH ends an iteration
// only after a whole invocation. Each iteration is thus a single shot, timed by JMH.
@Warmup(iterations = 1, time = 1, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 1, timeUnit = TimeUnit.MILLISECONDS)
public class EngineThroughputBenchmark
{
    /** The workload: W1, W2, W3, W4, W3C, or W1L and W3L (W1 and W3 with allowed lateness and late updates). */
    @Param({"W1", "W2", "W3", "W4", "W3C", "W1L", "W3L"})
    public String workload;

    /** N, the number of events; 20 M in {@code docs/WORKLOADS.md}. */
    @Param({"20000000"})
    public long events;

    private ThroughputWorkload job;
    private final List<CheckpointStats> checkpoints = new ArrayList<>();

    /** The events of one run, which JMH divides by its time: events per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Figure
    {
        /** Events processed. */
        public long events;
    }

    /** Picks the workload. */
    @Setup(Level.Trial)
    public void setUp()
    {
        job = ThroughputWorkload.valueOf(workload);
    }

    /** Reports the fork's peak RSS, which covers every run of the fork, and its checkpoints. */
    @TearDown(Level.Trial)
    public void reportRss()
    {
        System.out.println();
        System.out.println("# " + workload + " peak RSS of this fork (VmHWM): " + PeakRss.describe() + ", max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
        if (job.uncheckpointed() != null)
        {
            System.out.println("# " + workload + " " + CheckpointFigures.summarize(checkpoints));
        }
    }

    /**
     * @param figure receives the run's events per second.
     * @return the checksum, already checked.
     */
    @Benchmark
    public long run(final Figure figure)
    {
        final ThroughputWorkload.Result result = job.run(events);
        figure.events = result.events();
        checkpoints.addAll(result.checkpoints());
        return result.checksum();
    }
}
