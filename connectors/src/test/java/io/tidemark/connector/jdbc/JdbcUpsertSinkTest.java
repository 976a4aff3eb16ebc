package io.tidemark.connector.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.api.KeyedStream;
import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.sink.SinkWriter;
import io.tidemark.engine.source.CollectionSource;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.BatchWindows;
import io.tidemark.engine.window.BatchWindows.WindowKey;
import io.tidemark.engine.window.CountTrigger;
import io.tidemark.engine.window.Event;
import io.tidemark.engine.window.EventTimeSessionWindows;
import io.tidemark.engine.window.GlobalWindows;
import io.tidemark.engine.window.SlidingEventTimeWindows;
import io.tidemark.engine.window.TimeWindow;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.engine.window.WindowResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jobs that end in an upsert table, in an embedded SQLite file and in a real PostgreSQL
 * server started for the test: the table ends equal to the batch answer for every window
 * kind, replaying results leaves it as it was, and what the sink cannot do it says clearly.
 */
class JdbcUpsertSinkTest
{
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final long GAP = 2_000;
    private static final long BOUND = 1_500;
    private static final long LATENESS = 3_000;

    private static PostgresCluster postgres;

    @TempDir
    Path directory;

    /** The databases the sink is tested against. */
    enum Database
    {
        SQLITE,
        POSTGRES
    }

    /** The window kinds, and through them the operators that compute them. */
    enum Windows
    {
        /** Sessions with allowed lateness: the general window operator, which retracts. */
        SESSIONS,
        /** Sessions without lateness: the array-based session operator. */
        SESSIONS_ON_TIME,
        /** Tumbling windows with allowed lateness: late records update fired windows. */
        TUMBLING,
        /** Hopping windows without lateness: slices. */
        SLIDING,
        /** The global window, firing at every record. */
        GLOBAL
    }

    /**
     * An event and the watermark its source announces after it: the largest time so far,
     * less the bound.
     */
    record Reading(Event event, long watermark)
    {
    }

    @BeforeAll
    static void startPostgres() throws Exception
    {
        postgres = PostgresCluster.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception
    {
        postgres.close();
    }

    static Stream<Arguments> everyDatabaseAndWindowKind()
    {
        final List<Arguments> all = new ArrayList<>();
        for (final Database database : Database.values())
        {
            for (final Windows windows : Windows.values())
            {
                all.add(Arguments.of(database, windows));
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("everyDatabaseAndWindowKind")
    void aJobEndsWithTheBatchAnswerInTheTable(final Database database, final Windows windows) throws Exception
    {
        final long lateness = windows == Windows.SESSIONS || windows == Windows.TUMBLING ? LATENESS : 0;
        final List<Reading> readings = readings(42 + windows.ordinal(), 3_000, BOUND + lateness);
        final String url = url(database);
        final String table = table();

        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        final KeyedStream<Event, String> keyed = env.fromSource(CollectionSource.of(readings),
                WatermarkStrategy.<Reading>forPunctuated((r, ts) -> r.watermark()).withTimestampAssigner((r, ts) -> r.event().time()), "readings")
            .setParallelism(1)
            .map(Reading::event)
            .keyBy(Event::key);
        final Duration length = Duration.ofMillis(GAP);
        final DataStream<WindowResult<String, List<Long>>> results = switch (windows)
        {
            case SESSIONS, SESSIONS_ON_TIME -> keyed.window(EventTimeSessionWindows.withGap(length)).allowedLateness(Duration.ofMillis(lateness))
                .aggregate(new BatchWindows.CountAndSum());
            case TUMBLING -> keyed.window(TumblingEventTimeWindows.of(length)).allowedLateness(Duration.ofMillis(lateness))
                .aggregate(new BatchWindows.CountAndSum());
            case SLIDING -> keyed.window(SlidingEventTimeWindows.of(length.multipliedBy(3), length)).aggregate(new BatchWindows.CountAndSum());
            case GLOBAL -> keyed.window(GlobalWindows.create()).trigger(CountTrigger.of(1)).aggregate(new BatchWindows.CountAndSum());
        };
        results.sinkTo(JdbcUpsertSink.<String, List<Long>>builder(url, table).build());
        env.execute("upsert " + windows);

        final List<Event> events = readings.stream().map(Reading::event).toList();
        final Map<WindowKey, List<Long>> batch = switch (windows)
        {
            case SESSIONS, SESSIONS_ON_TIME -> BatchWindows.sessions(events, GAP);
            case TUMBLING -> BatchWindows.sliding(events, GAP, GAP);
            case SLIDING -> BatchWindows.sliding(events, 3 * GAP, GAP);
            case GLOBAL -> BatchWindows.global(events);
        };
        final Map<WindowKey, String> expected = new HashMap<>();
        batch.forEach((window, value) -> expected.put(window, String.valueOf(value)));
        assertEquals(expected, read(url, table));
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void replayingResultsAfterARestartLeavesTheSameTable(final Database database) throws Exception
    {
        final String url = url(database);
        final String table = table();
        final JdbcUpsertSink<String, Long> sink = JdbcUpsertSink.<String, Long>builder(url, table).value("total", "BIGINT", v -> v).build();
        final List<WindowResult<String, Long>> results = List.of(
            new WindowResult<>("a", 0, 1_000, 1L, false),
            new WindowResult<>("b", 0, 1_000, 5L, false),
            new WindowResult<>("a", 0, 1_000, 2L, true),
            new WindowResult<>("a", 1_500, 2_500, 1L, false),
            WindowResult.retraction("a", new TimeWindow(0, 1_000)),
            WindowResult.retraction("a", new TimeWindow(1_500, 2_500)),
            new WindowResult<>("a", 0, 2_500, 4L, false),
            new WindowResult<>("c", Long.MIN_VALUE, Long.MAX_VALUE, 9L, false));
        final Map<WindowKey, String> expected = Map.of(new WindowKey("a", 0, 2_500), "4", new WindowKey("b", 0, 1_000), "5",
            new WindowKey("c", Long.MIN_VALUE, Long.MAX_VALUE), "9");

        // The first run is checkpointed after the third result and dies after the sixth;
        // the restarted one replays from the checkpoint, and is replayed once more whole.
        final SinkWriter<WindowResult<String, Long>> first = sink.createWriter(0, 1);
        for (int i = 0; i < 6; i++)
        {
            first.write(results.get(i), 0);
            if (i == 2)
            {
                first.preCommit(1);
                assertEquals(Map.of(new WindowKey("a", 0, 1_000), "2", new WindowKey("b", 0, 1_000), "5"), read(url, table),
                    "committed at the barrier");
            }
        }
        first.close();
        assertEquals(2, read(url, table).size(), "what came after the barrier was not committed");
        for (final int from : new int[] {3, 0})
        {
            final SinkWriter<WindowResult<String, Long>> replay = sink.createWriter(0, 1);
            for (final WindowResult<String, Long> result : results.subList(from, results.size()))
            {
                replay.write(result, 0);
            }
            replay.flush();
            replay.close();
            assertEquals(expected, read(url, table), "replayed from result " + from);
        }
    }

    @Test
    void aFullBufferIsWrittenWithoutWaitingForACheckpoint() throws Exception
    {
        final String url = url(Database.SQLITE);
        final String table = table();
        final SinkWriter<WindowResult<String, Long>> writer = JdbcUpsertSink.<String, Long>builder(url, table).maxBufferedRows(2).build().createWriter(0, 1);
        writer.write(new WindowResult<>("a", 0, 1_000, 1L, false), 0);
        writer.write(new WindowResult<>("a", 0, 1_000, 2L, true), 0);
        assertEquals(Map.of(), read(url, table), "one row waits");
        writer.write(new WindowResult<>("b", 0, 1_000, 3L, false), 0);
        assertEquals(Map.of(new WindowKey("a", 0, 1_000), "2", new WindowKey("b", 0, 1_000), "3"), read(url, table));
        writer.close();
    }

    @Test
    void subtasksThatStartTogetherOnANewSqliteFileAllGetAWriter() throws Exception
    {
        // The first writers on a new file race to switch it to the write-ahead log; the loser
        // must wait for the winner, not fail the job.
        for (int round = 0; round < 40; round++)
        {
            final JdbcUpsertSink<String, Long> sink = JdbcUpsertSink.<String, Long>sqlite(directory.resolve("race-" + round + ".db"), "results").build();
            final int subtasks = 4;
            final CyclicBarrier start = new CyclicBarrier(subtasks);
            final ExecutorService threads = Executors.newFixedThreadPool(subtasks);
            try
            {
                final List<Future<SinkWriter<WindowResult<String, Long>>>> writers = new ArrayList<>();
                for (int i = 0; i < subtasks; i++)
                {
                    final int subtask = i;
                    writers.add(threads.submit(() ->
                    {
                        start.await();
                        return sink.createWriter(subtask, subtasks);
                    }));
                }
                for (int i = 0; i < subtasks; i++)
                {
                    final SinkWriter<WindowResult<String, Long>> writer = writers.get(i).get();
                    writer.write(new WindowResult<>("k" + i, 0, 1_000, (long)i, false), 0);
                    writer.flush();
                    writer.close();
                }
            }
            finally
            {
                threads.shutdownNow();
            }
            assertEquals(subtasks, read("jdbc:sqlite:" + directory.resolve("race-" + round + ".db"), "results").size(), "round " + round);
        }
    }

    @Test
    void aBadUrlFailsWithAnErrorThatNamesIt()
    {
        final IllegalArgumentException unsupported = assertThrows(IllegalArgumentException.class,
            () -> JdbcUpsertSink.builder("jdbc:mysql://127.0.0.1/db?password=secret", "results").build());
        assertTrue(unsupported.getMessage().contains("jdbc:mysql://127.0.0.1/db") && !unsupported.getMessage().contains("secret"), unsupported.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JdbcUpsertSink.builder(url(Database.SQLITE), "results; DROP TABLE x").build());

        final SQLException missingDirectory = assertThrows(SQLException.class,
            () -> JdbcUpsertSink.sqlite(directory.resolve("no/such/dir/results.db"), "results").build().createWriter(0, 1));
        assertTrue(missingDirectory.getMessage().startsWith("the upsert sink cannot connect to jdbc:sqlite:"), missingDirectory.getMessage());

        final String closedPort = "jdbc:postgresql://127.0.0.1:" + (postgres.port() == 1 ? 2 : 1) + "/postgres?user=postgres&password=secret";
        final SQLException refused = assertThrows(SQLException.class, () -> JdbcUpsertSink.builder(closedPort, "results").build().createWriter(0, 1));
        assertTrue(refused.getMessage().startsWith("the upsert sink cannot connect to jdbc:postgresql://127.0.0.1:"), refused.getMessage());
        assertTrue(!refused.getMessage().contains("secret"), "no password in the message");
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void aMissingTableFailsClearlyUnlessTheSinkMayCreateIt(final Database database) throws Exception
    {
        final String url = url(database);
        final String table = table();
        final SQLException missing = assertThrows(SQLException.class,
            () -> JdbcUpsertSink.builder(url, table).createTable(false).build().createWriter(0, 1));
        assertTrue(missing.getMessage().startsWith("the upsert sink cannot use table " + table), missing.getMessage());
        JdbcUpsertSink.builder(url, table).build().createWriter(0, 1).close();
        assertEquals(Map.of(), read(url, table));
    }

    @Test
    void aUserWithoutWritePrivilegesIsToldWhichItLacks() throws Exception
    {
        final String table = table();
        JdbcUpsertSink.builder(postgres.url(), table).build().createWriter(0, 1).close();
        try (Connection connection = DriverManager.getConnection(postgres.url()); Statement statement = connection.createStatement())
        {
            statement.execute("CREATE ROLE reader_" + table + " LOGIN");
            statement.execute("GRANT SELECT, UPDATE ON " + table + " TO reader_" + table);
        }
        final SQLException denied = assertThrows(SQLException.class,
            () -> JdbcUpsertSink.builder(postgres.url("reader_" + table), table).build().createWriter(0, 1));
        assertEquals("the upsert sink may not INSERT, DELETE table " + table + " at jdbc:postgresql://127.0.0.1:" + postgres.port() + "/postgres; "
            + "it reads, inserts, updates and deletes rows, so its user needs SELECT, INSERT, UPDATE and DELETE on the table", denied.getMessage());
    }

    @Test
    void aReadOnlySqliteDatabaseIsRefusedAtTheStart() throws Exception
    {
        final Path file = directory.resolve("results.db");
        JdbcUpsertSink.sqlite(file, "results").build().createWriter(0, 1).close();
        final SQLException denied = assertThrows(SQLException.class,
            () -> JdbcUpsertSink.builder("jdbc:sqlite:" + file + "?open_mode=1", "results").build().createWriter(0, 1));
        assertTrue(denied.getMessage().startsWith("the upsert sink may not write (the database is read-only"), denied.getMessage());
    }

    @Test
    void aValueTheColumnCannotTakeFailsTheWriteAndNothingIsLost() throws Exception
    {
        final String url = url(Database.POSTGRES);
        final String table = table();
        final SinkWriter<WindowResult<String, String>> writer = JdbcUpsertSink.<String, String>builder(url, table)
            .value("total", "BIGINT", v -> v).build().createWriter(0, 1);
        writer.write(new WindowResult<>("a", 0, 1_000, "7", false), 0);
        writer.write(new WindowResult<>("b", 0, 1_000, "seven", false), 0);
        final SQLException refused = assertThrows(SQLException.class, () -> writer.preCommit(1));
        assertTrue(refused.getMessage().startsWith("the upsert sink could not write 2 rows to table " + table), refused.getMessage());
        assertEquals(Map.of(), read(url, table), "the transaction was rolled back");
        assertThrows(SQLException.class, writer::flush, "the rows are still pending, not dropped");
        writer.close();
    }

    private static List<Reading> readings(final long seed, final int count, final long maxDelay)
    {
        final Random random = new Random(seed);
        final List<long[]> arrivals = new ArrayList<>();
        final List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final long time = random.nextInt(120_000);
            events.add(new Event("k" + random.nextInt(5), time, random.nextInt(100)));
            arrivals.add(new long[] {time + (long)(random.nextDouble() * (maxDelay + 1)), i});
        }
        arrivals.sort(Comparator.comparingLong(a -> a[0]));
        final List<Reading> readings = new ArrayList<>();
        long maxSeen = Long.MIN_VALUE;
        for (final long[] arrival : arrivals)
        {
            final Event event = events.get((int)arrival[1]);
            maxSeen = Math.max(maxSeen, event.time());
            readings.add(new Reading(event, maxSeen - BOUND - 1));
        }
        return readings;
    }

    private String url(final Database database)
    {
        return database == Database.SQLITE ? "jdbc:sqlite:" + directory.resolve("results.db") : postgres.url();
    }

    private static String table()
    {
        return "results_" + TABLES.incrementAndGet();
    }

    private static Map<WindowKey, String> read(final String url, final String table) throws SQLException
    {
        final Map<WindowKey, String> rows = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT * FROM " + table))
        {
            while (result.next())
            {
                rows.put(new WindowKey(result.getString(1), result.getLong(2), result.getLong(3)), result.getString(4));
            }
        }
        return rows;
    }
}
