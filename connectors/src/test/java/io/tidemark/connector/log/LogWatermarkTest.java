package io.tidemark.connector.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.sink.CollectSink;
import io.tidemark.engine.task.JobHandle;
import io.tidemark.engine.testing.Poll;
import io.tidemark.engine.time.ManualClock;
import io.tidemark.engine.time.Watermark;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.LateDataPolicy;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.engine.window.WindowResult;
import io.tidemark.log.consumer.ConsumerRecord;
import io.tidemark.log.producer.Acks;
import io.tidemark.log.producer.ProducerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The watermark rules of a log source, with real log partitions read by {@link LogSource}. Processing
 * time is a {@link ManualClock}: periodic watermarks and idleness happen only when the test
 * moves it, so idleness can never kick in by accident on a slow machine.
 */
class LogWatermarkTest
{
    private static final Duration IDLE_AFTER = Duration.ofHours(1);

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(0);
    private final CollectSink<WindowResult<String, Long>> counts = new CollectSink<>();
    private Topics topics;
    private long lastTick = System.nanoTime();

    @BeforeEach
    void open()
    {
        topics = new Topics(dir).create("clicks", 2).create("late-clicks", 1);
    }

    @AfterEach
    void close()
    {
        topics.close();
    }

    private JobHandle start(final int parallelism, final boolean bounded, final WatermarkStrategy<Click> strategy, final LateDataPolicy policy)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(parallelism).setClock(clock)
            .setBufferTimeout(Duration.ZERO);
        final LogSource<Click> source = bounded ? LogSource.bounded(topics.logs, "clicks", Click.DESERIALIZER)
            : LogSource.unbounded(topics.logs, "clicks", Click.DESERIALIZER);
        final DataStream<WindowResult<String, Long>> windowed = env.fromSource(source, strategy, "clicks")
            .keyBy(Click::user)
            .window(TumblingEventTimeWindows.of(Duration.ofSeconds(10)))
            .lateDataPolicy(policy)
            .aggregate(AggregateFunctions.<Click>count())
            .name("counts");
        windowed.sinkTo(counts);
        if (policy.kind() == LateDataPolicy.Kind.SIDE_OUTPUT)
        {
            @SuppressWarnings("unchecked")
            final OutputTag<Click> tag = (OutputTag<Click>)policy.sideOutput();
            // acks=leader: the test waits for the records, not for fsyncs on a shared disk.
            windowed.getSideOutput(tag).sinkTo(LogSink.deadLetters(topics.logs, "late-clicks", Click.SERIALIZER, "late")
                .withProducerConfig(ProducerConfig.defaults().withAcks(Acks.LEADER)));
        }
        return env.executeAsync("log watermarks");
    }

    private static WatermarkStrategy<Click> monotonous()
    {
        return WatermarkStrategy.forMonotonousTimestamps();
    }

    private static WatermarkStrategy<Click> withIdleness()
    {
        return WatermarkStrategy.<Click>forMonotonousTimestamps().withIdleness(IDLE_AFTER);
    }

    /**
     * Moves processing time by 50 ms, at most once per real millisecond: periodic watermarks
     * (every 200 ms) keep coming, and reaching the idle timeout this way would take 72 s of
     * real time, far beyond any poll's deadline, so idleness never kicks in by accident.
     */
    private void tick()
    {
        final long now = System.nanoTime();
        if (now - lastTick >= 1_000_000)
        {
            lastTick = now;
            clock.advance(50);
        }
    }

    private void writeAnnFrom1To25Seconds(final int partition)
    {
        for (long t = 1_000; t <= 25_000; t += 1_000)
        {
            topics.write("clicks", partition, new Click("ann", t));
        }
    }

    /**
     * An hour of processing time passes in which partition 1 stays quiet and partition 0
     * receives one more click (ann at 26 s): partition 1 is idle, partition 0 is not.
     */
    private void passIdleTimeoutWhilePartition0GoesOn()
    {
        clock.advance(IDLE_AFTER.toMillis());
        topics.write("clicks", 0, new Click("ann", 26_000));
    }

    @Test
    void anIdlePartitionStallsEventTimeOnlyUntilIdlenessIsDeclared()
    {
        writeAnnFrom1To25Seconds(0);
        final JobHandle job = start(1, false, withIdleness(), LateDataPolicy.drop());
        Poll.until("partition 0's records reach the window", () -> job.metrics("counts", 0).recordsIn() == 25, this::tick);
        assertEquals(Watermark.NONE, job.watermark("counts", 0), "partition 1 has said nothing and is not idle yet: event time stands still");
        assertEquals(List.of(), counts.results());

        passIdleTimeoutWhilePartition0GoesOn();
        Poll.until("partition 1 is idle and the windows partition 0 completed fire", () -> counts.size() == 2, this::tick);
        Poll.until("event time follows partition 0 alone", () -> job.watermark("counts", 0) == 25_999, this::tick);
        assertEquals(List.of(new WindowResult<>("ann", 0L, 10_000L, 9L, false), new WindowResult<>("ann", 10_000L, 20_000L, 10L, false)), counts.results());
        job.cancel();
        job.awaitTermination();
    }

    @Test
    void aSlowPartitionHoldsTheWatermarkBackUntilIdlenessKicksIn()
    {
        topics.write("clicks", 1, new Click("bob", 5_000));
        writeAnnFrom1To25Seconds(0);
        final JobHandle job = start(1, false, withIdleness(), LateDataPolicy.drop());
        Poll.until("the slow partition's watermark is the job's", () -> job.watermark("counts", 0) == 4_999, this::tick);
        final long then = clock.millis();
        Poll.until("ten seconds of processing time pass, short of the idle timeout", () -> clock.millis() >= then + 10_000, this::tick);
        assertEquals(4_999, job.watermark("counts", 0), "partition 0 at 24 999 does not move event time past partition 1");
        assertEquals(List.of(), counts.results(), "[0, 10 s) waits for partition 1");
        assertEquals(0, job.metrics("counts", 0).lateRecordsDropped());

        passIdleTimeoutWhilePartition0GoesOn();
        Poll.until("partition 1 turns idle and partition 0 alone drives event time", () -> counts.size() == 3, this::tick);
        Poll.until("event time follows partition 0 alone", () -> job.watermark("counts", 0) == 25_999, this::tick);
        assertTrue(counts.results().contains(new WindowResult<>("bob", 0L, 10_000L, 1L, false)));
        job.cancel();
        job.awaitTermination();
    }

    @Test
    void aSubtaskThatOwnsNoPartitionIsIdleFromTheStartAndNeverSendsTheFinalWatermark()
    {
        writeAnnFrom1To25Seconds(0);
        for (long t = 1_000; t <= 25_000; t += 1_000)
        {
            topics.write("clicks", 1, new Click("bob", t));
        }
        final JobHandle job = start(3, false, monotonous(), LateDataPolicy.drop());
        Poll.until("event time reaches both partitions' watermark, without any idleness setting",
            () -> job.watermark("counts", 0) == 24_999 && job.watermark("counts", 1) == 24_999 && job.watermark("counts", 2) == 24_999,
            this::tick);
        assertTrue(job.metrics("clicks", 2).idle(), "source subtask 2 owns no partition");
        assertEquals(Watermark.NONE, job.watermark("clicks", 2), "it never sent a watermark, so never the final one");
        Poll.until("the windows of both users fire", () -> counts.size() == 4);
        job.cancel();
        job.awaitTermination();
        assertEquals(Watermark.NONE, job.watermark("clicks", 2));
    }

    @Test
    void inABoundedReadTheSubtaskWithoutPartitionEndsAtOnceYetEventTimeWaitsForThePartitions()
    {
        writeAnnFrom1To25Seconds(0);
        topics.write("clicks", 1, new Click("bob", 3_000));
        final JobHandle job = start(3, true, monotonous(), LateDataPolicy.drop());
        job.awaitTermination();
        assertEquals(Watermark.END, job.watermark("clicks", 2));
        assertEquals(List.of(
            new WindowResult<>("ann", 0L, 10_000L, 9L, false),
            new WindowResult<>("ann", 10_000L, 20_000L, 10L, false),
            new WindowResult<>("ann", 20_000L, 30_000L, 6L, false),
            new WindowResult<>("bob", 0L, 10_000L, 1L, false)), sorted(counts.results()));
        for (int subtask = 0; subtask < 3; subtask++)
        {
            assertEquals(0, job.metrics("counts", subtask).lateRecordsDropped(), "bob's one early record is not late: its partition held event time back");
        }
    }

    /** The three fates of a late record. */
    enum Policy
    {
        DROP(LateDataPolicy.drop()),
        DEAD_LETTER_TOPIC(LateDataPolicy.sideOutput(new OutputTag<Click>("late"))),
        LATE_UPDATE(LateDataPolicy.lateUpdate(Duration.ofSeconds(10)));

        final LateDataPolicy policy;

        Policy(final LateDataPolicy policy)
        {
            this.policy = policy;
        }
    }

    @ParameterizedTest
    @EnumSource(Policy.class)
    void aPartitionThatResumesAfterIdlenessRejoinsTheMinimumAndNoneOfItsLateEventsIsLost(final Policy policy)
    {
        writeAnnFrom1To25Seconds(0);
        final JobHandle job = start(1, false, withIdleness(), policy.policy);
        Poll.until("partition 0's records reach the window", () -> job.metrics("counts", 0).recordsIn() == 25, this::tick);
        passIdleTimeoutWhilePartition0GoesOn();
        Poll.until("partition 1 is idle and [0, 10 s), [10 s, 20 s) fire", () -> job.watermark("counts", 0) == 25_999, this::tick);

        // Partition 1 resumes with three events behind the watermark and two ahead of it.
        topics.write("clicks", 1, new Click("bob", 3_000));
        topics.write("clicks", 1, new Click("ann", 4_000));
        topics.write("clicks", 1, new Click("ann", 15_000));
        topics.write("clicks", 1, new Click("bob", 26_000));
        topics.write("clicks", 1, new Click("bob", 35_000));
        topics.write("clicks", 0, new Click("ann", 40_000));
        final long produced = 26 + 6;
        Poll.until("the source's watermark moves again", () -> job.metrics("clicks", 0).watermark() > 25_999, this::tick);
        assertEquals(34_999, job.metrics("clicks", 0).watermark(), "partition 1 takes part in the minimum again: min(39 999, 34 999)");

        // Events far ahead on both partitions close every window above; they are not counted.
        topics.write("clicks", 0, new Click("ann", 100_000));
        topics.write("clicks", 1, new Click("bob", 100_000));
        Poll.until("every window before 100 s fires", () -> job.watermark("counts", 0) == 99_999, this::tick);
        // At least, then exactly: a record read twice must fail here, saying so, not time out.
        final long read = produced + 2;
        until("every record reaches the window and the three late ones are dealt with", job,
            () -> job.metrics("counts", 0).recordsIn() >= read && lateHandled(job) >= 3);
        assertEquals(read, job.metrics("counts", 0).recordsIn(), () -> "each record is read once: " + state(job));
        assertEquals(3, lateHandled(job), () -> state(job));
        final long deadLetters = policy == Policy.DEAD_LETTER_TOPIC ? 3 : 0;
        Poll.until("the dead letters are in their topic", () -> topics.endOffsets("late-clicks") == deadLetters);
        job.cancel();
        job.awaitTermination();

        final Map<List<Object>, Long> upserted = new HashMap<>();
        for (final WindowResult<String, Long> result : counts.results())
        {
            upserted.put(List.of(result.key(), result.windowStart()), result.value());
        }
        final long counted = upserted.values().stream().mapToLong(Long::longValue).sum();
        final long dropped = job.metrics("counts", 0).lateRecordsDropped();
        final List<ConsumerRecord> letters = topics.readAll("late-clicks");
        assertEquals(produced, counted + letters.size() + dropped, "on time + late update + dead letters + dropped = produced: " + policy);
        switch (policy)
        {
            case DROP -> assertEquals(3, dropped);
            case DEAD_LETTER_TOPIC ->
            {
                assertEquals(0, dropped);
                assertEquals(List.of(3_000L, 4_000L, 15_000L), letters.stream().map(ConsumerRecord::timestamp).toList(), "event time is the log timestamp");
                assertEquals("late", new String(letters.get(0).headers().get(0).value(), StandardCharsets.UTF_8));
                assertEquals(new Click("ann", 15_000), Click.parse(letters.get(2).value()));
            }
            case LATE_UPDATE ->
            {
                assertEquals(2, dropped, "[0, 10 s) is past its retention (cleaned at 19 999)");
                assertEquals(1, job.metrics("counts", 0).lateRecordsUpdated());
                assertTrue(counts.results().contains(new WindowResult<>("ann", 10_000L, 20_000L, 11L, true)), "the revised result is marked as an update");
            }
        }
    }

    /** Polls as {@link Poll#until} does; a timeout says where the window operator stands. */
    private void until(final String what, final JobHandle job, final BooleanSupplier condition)
    {
        try
        {
            Poll.until(what, condition);
        }
        catch (final AssertionError e)
        {
            throw new AssertionError(e.getMessage() + "; " + state(job), e);
        }
    }

    private String state(final JobHandle job)
    {
        final OperatorMetrics window = job.metrics("counts", 0);
        return "late records dropped " + window.lateRecordsDropped() + ", to the side output " + window.lateRecordsToSideOutput() + ", updating "
            + window.lateRecordsUpdated() + ", out of range " + window.outOfRangeRecords() + "; watermarks and records in " + job.metrics()
            + "; results " + counts.results();
    }

    private static long lateHandled(final JobHandle job)
    {
        final var metrics = job.metrics("counts", 0);
        return metrics.lateRecordsDropped() + metrics.lateRecordsToSideOutput() + metrics.lateRecordsUpdated();
    }

    private static List<WindowResult<String, Long>> sorted(final List<WindowResult<String, Long>> results)
    {
        return results.stream().sorted(Comparator.comparing(WindowResult<String, Long>::key).thenComparingLong(WindowResult::windowStart)).toList();
    }
}
