package io.tidemark.bench.engine;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.state.KeyGroups;
import io.tidemark.engine.testing.OneInputOperatorHarness;
import io.tidemark.engine.window.SlicingWindowOperator;
import io.tidemark.engine.window.TimeWindow;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.engine.window.WindowOperatorBuilder;
import io.tidemark.engine.window.WindowResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one W1 record costs a window subtask, without threads or channels: the slicing
 * operator's entrance ({@code ChainedInput}: metrics, the key), its key index probe, the slice
 * lookup and the inline count, over the records of W1's window subtask 0 (the events of
 * G(N, 10,000) whose user's key group it owns, 5,000 users) in their order, with a watermark
 * 2 s behind every second of event time, and every window fired and its results taken.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar WindowRecord
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgs = "-Xmx" + ThroughputWorkload.HEAP)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class WindowRecordBenchmark
{
    /** Records per call of the benchmark method. */
    private static final int BATCH = 1024;
    /** Events of G(N, 10,000) cycled through: a multiple of the users and of 2,000 ms of event time. */
    private static final int EVENTS = 2_000_000;
    /** Event time one lap of {@link #EVENTS} moves on. */
    private static final long LAP_MILLIS = EVENTS / 100;
    private static final long USERS = 10_000;
    private static final int SUBTASKS = 2;

    private long[] users;
    private long[] times;
    private int count;
    private int next;
    private long lapOffset;
    private long newest = Long.MIN_VALUE;
    private long nextWatermarkAt;
    private final Event event = new Event();
    private SlicingWindowOperator<Long, Event, ?, Long, WindowResult<Long, Long>> windows;
    private OneInputOperatorHarness<Event, WindowResult<Long, Long>> harness;

    /**
     * Picks subtask 0's events and opens the operator.
     *
     * @throws Exception if the operator fails to open.
     */
    @Setup(Level.Trial)
    public void open() throws Exception
    {
        users = new long[EVENTS];
        times = new long[EVENTS];
        for (long i = 0; i < EVENTS; i++)
        {
            final long user = Event.userOf(i, USERS);
            final int keyGroup = KeyGroups.keyGroupForLong(user, KeyGroups.DEFAULT_MAX_PARALLELISM);
            if (KeyGroups.subtaskFor(keyGroup, KeyGroups.DEFAULT_MAX_PARALLELISM, SUBTASKS) == 0)
            {
                users[count] = user;
                times[count++] = Event.timeOf(i);
            }
        }
        windows = new WindowOperatorBuilder<Long, Event, TimeWindow>(TumblingEventTimeWindows.of(Duration.ofSeconds(60)))
            .aggregateInSlices(AggregateFunctions.count());
        harness = OneInputOperatorHarness.forOperator(windows);
        nextWatermarkAt = Event.T0 + 1_000;
    }

    /**
     * @return the results of the windows that fired.
     * @throws Exception if the operator fails.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int records() throws Exception
    {
        for (int i = 0; i < BATCH; i++)
        {
            final long timestamp = times[next] + lapOffset;
            // The key as the channel hands it over: by value, set before the record.
            windows.setCurrentLongKey(users[next]);
            harness.processElement(event, timestamp);
            newest = Math.max(newest, timestamp);
            if (++next == count)
            {
                next = 0;
                lapOffset += LAP_MILLIS;
            }
        }
        if (newest >= nextWatermarkAt)
        {
            harness.processWatermark(newest - ThroughputWorkload.OUT_OF_ORDERNESS.toMillis() - 1);
            nextWatermarkAt = newest + 1_000;
            return harness.takeOutput().size();
        }
        return 0;
    }
}
