package io.tidemark.bench.engine;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.tidemark.engine.checkpoint.OperatorSnapshot;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.operator.OneInputOperator;
import io.tidemark.engine.testing.OneInputOperatorHarness;
import io.tidemark.engine.window.EventTimeSessionWindows;
import io.tidemark.engine.window.TimeWindow;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.engine.window.WindowOperatorBuilder;
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
 * What a checkpoint stops a window subtask for: the copy-on-write handover
 * ({@code snapshot(id)}, on the task thread) against serializing the whole state there
 * ({@code snapshotState}, what the default handover does), and the handover's serialization on
 * the writer thread ({@code writeTo}). The state is one subtask's share of W1 (5,000 users in
 * one tumbling slice) or W3 (500,000 open sessions), counted inline as in the workloads.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SnapshotHandover
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = "-Xmx" + ThroughputWorkload.HEAP)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SnapshotHandoverBenchmark
{
    /** Which operator: slices (W1) or sessions (W3). */
    @Param({"SLICES", "SESSIONS"})
    public String operator;

    /** The number of keys, one window or session each: a subtask of W1 holds 5,000, of W3 500,000. */
    @Param({"5000", "500000"})
    public int keys;

    private OneInputOperator<Event, ?> windows;
    private OperatorSnapshot handedOver;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    /**
     * Fills the operator with one event per key, all in one window, and takes one handover
     * for {@link #write}.
     *
     * @throws Exception if the operator fails.
     */
    @Setup(Level.Trial)
    public void fill() throws Exception
    {
        windows = operator.equals("SLICES")
            ? new WindowOperatorBuilder<Long, Event, TimeWindow>(TumblingEventTimeWindows.of(Duration.ofSeconds(60))).aggregateInSlices(AggregateFunctions.count())
            : new WindowOperatorBuilder<Long, Event, TimeWindow>(EventTimeSessionWindows.withGap(Duration.ofSeconds(30))).aggregateInSessions(AggregateFunctions.count());
        final var harness = OneInputOperatorHarness.forKeyedOperator(windows, Event::userId);
        for (long user = 0; user < keys; user++)
        {
            harness.processElement(new Event(user, Event.T0 + user % 1_000, user), Event.T0 + user % 1_000);
        }
        handedOver = windows.snapshot(1);
    }

    /**
     * @return the handover: arrays copied on the task thread.
     * @throws Exception if the operator fails.
     */
    @Benchmark
    public OperatorSnapshot handover() throws Exception
    {
        return windows.snapshot(1);
    }

    /**
     * @return the bytes written: the whole state serialized on the task thread.
     * @throws IOException if writing fails.
     */
    @Benchmark
    public int serialize() throws IOException
    {
        buffer.reset();
        windows.snapshotState(new DataOutputStream(buffer));
        return buffer.size();
    }

    /**
     * @return the bytes written: the handover serialized, as the writer thread does.
     * @throws IOException if writing fails.
     */
    @Benchmark
    public int write() throws IOException
    {
        buffer.reset();
        handedOver.writeTo(new DataOutputStream(buffer));
        return buffer.size();
    }
}
