package io.tidemark.connector.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.sink.CollectSink;
import io.tidemark.engine.source.CollectionSource;
import io.tidemark.engine.task.JobExecutionException;
import io.tidemark.engine.task.JobHandle;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.EventTimeSessionWindows;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.engine.window.WindowResult;
import io.tidemark.log.consumer.ConsumerRecord;
import io.tidemark.log.errors.RecordTooLargeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs that read from and write to real topics, end to end. */
class LogPipelineTest
{
    private static final int N = 12_000;
    private static final int USERS = 50;
    private static final long T0 = 1_700_000_000_000L;
    private static final long MINUTE = 60_000;

    @TempDir
    Path dir;

    private Topics topics;

    @BeforeEach
    void open()
    {
        topics = new Topics(dir).create("events", 3).create("out", 2);
    }

    @AfterEach
    void close()
    {
        topics.close();
    }

    /** Event i: a user, and a time that runs forward at 10 ms per event, up to 2 s out of order. */
    private static Click event(final int i)
    {
        return new Click("u" + Math.floorMod(i * 2654435761L, USERS), T0 + i * 10L - Math.floorMod(i * 7919L, 2000L));
    }

    private static Comparator<WindowResult<String, Long>> byKeyAndStart()
    {
        return Comparator.comparing(WindowResult<String, Long>::key).thenComparingLong(WindowResult::windowStart);
    }

    @Test
    void windowResultsFromATopicAreTheSameAtParallelismOneTwoAndFourAndEqualTheBatchAnswer()
    {
        final List<Click> events = new ArrayList<>();
        for (int i = 0; i < N; i++)
        {
            events.add(event(i));
        }
        topics.writeKeyed("events", events);
        final Map<List<Object>, Long> expected = new TreeMap<>(Comparator.comparing((List<Object> k) -> (String)k.get(0)).thenComparing(k -> (Long)k.get(1)));
        for (final Click e : events)
        {
            expected.merge(List.of(e.user(), Math.floorDiv(e.time(), MINUTE) * MINUTE), 1L, Long::sum);
        }
        final List<WindowResult<String, Long>> batchAnswer = new ArrayList<>();
        expected.forEach((k, count) -> batchAnswer.add(new WindowResult<>((String)k.get(0), (Long)k.get(1), (Long)k.get(1) + MINUTE, count, false)));

        List<WindowResult<String, Long>> sessionsAtP1 = null;
        for (final int parallelism : new int[] {1, 2, 4})
        {
            final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(parallelism);
            final var byUser = env.fromSource(LogSource.bounded(topics.logs, "events", Click.DESERIALIZER),
                    WatermarkStrategy.<Click>forBoundedOutOfOrderness(Duration.ofSeconds(2)), "events")
                .keyBy(Click::user);
            final CollectSink<WindowResult<String, Long>> tumbling = new CollectSink<>();
            final CollectSink<WindowResult<String, Long>> sessions = new CollectSink<>();
            byUser.window(TumblingEventTimeWindows.of(Duration.ofMinutes(1))).aggregate(AggregateFunctions.<Click>count()).name("tumbling").sinkTo(tumbling);
            byUser.window(EventTimeSessionWindows.withGap(Duration.ofMillis(600))).aggregate(AggregateFunctions.<Click>count()).name("sessions").sinkTo(sessions);
            final JobHandle job = env.execute("log determinism at p=" + parallelism);

            assertEquals(batchAnswer, tumbling.results().stream().sorted(byKeyAndStart()).toList(), "tumbling at p=" + parallelism);
            final List<WindowResult<String, Long>> sessionResults = sessions.results().stream().sorted(byKeyAndStart()).toList();
            if (sessionsAtP1 == null)
            {
                sessionsAtP1 = sessionResults;
            }
            assertEquals(sessionsAtP1, sessionResults, "sessions at p=" + parallelism);
            assertEquals(N, sessionResults.stream().mapToLong(WindowResult::value).sum());
            for (final OperatorMetrics m : job.metrics())
            {
                assertEquals(0, m.lateRecordsDropped(), "per-partition watermarks make no event late: " + m);
            }
        }
    }

    @Test
    void aLogSinkWritesKeyValueAndEventTimeAndIsCompleteWhenTheJobEnds()
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        final List<Click> clicks = new ArrayList<>();
        for (int i = 0; i < 500; i++)
        {
            clicks.add(new Click("u" + (i % 10), 1_000L + i));
        }
        env.fromSource(CollectionSource.of(clicks, 4),
                WatermarkStrategy.<Click>noWatermarks().withTimestampAssigner((c, ts) -> c.time()), "clicks")
            .sinkTo(LogSink.to(topics.logs, "out", Click.SERIALIZER));
        env.execute("to the log");

        final List<ConsumerRecord> written = topics.readAll("out");
        assertEquals(500, written.size(), "the writers flushed at the end of input");
        final Map<String, Integer> partitionOfUser = new HashMap<>();
        final List<Click> values = new ArrayList<>();
        for (final ConsumerRecord record : written)
        {
            final Click click = Click.parse(record.value());
            values.add(click);
            assertEquals(click.time(), record.timestamp(), "the event time is the log timestamp");
            assertEquals(click.user(), new String(record.key(), StandardCharsets.UTF_8));
            assertEquals(partitionOfUser.computeIfAbsent(click.user(), u -> record.topicPartition().partition()), record.topicPartition().partition(),
                "a key always lands on the same partition");
        }
        values.sort(Comparator.comparingLong(Click::time));
        assertEquals(clicks, values);
    }

    @Test
    void aRecordTheTopicRefusesFailsTheJobNamingTheTopic()
    {
        topics.logs.createTopic("small", 1, Map.of("max.message.bytes", "200"));
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromElements("fits", "x".repeat(1_000)).sinkTo(LogSink.to(topics.logs, "small", LogSerializer.utf8ToString()));
        final JobExecutionException failure = assertThrows(JobExecutionException.class, () -> env.execute("too large"));
        assertTrue(failure.getMessage().contains("writing to topic 'small' failed"), failure.getMessage());
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof RecordTooLargeException))
        {
            cause = cause.getCause();
        }
        assertTrue(cause instanceof RecordTooLargeException, "cause: " + cause);
    }
}
