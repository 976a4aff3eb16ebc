package io.tidemark.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.api.KeyedStream;
import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.checkpoint.CheckpointConfig;
import io.tidemark.engine.checkpoint.CompletedCheckpoint;
import io.tidemark.engine.checkpoint.DeliveryGuarantee;
import io.tidemark.connector.jdbc.JdbcUpsertSink;
import io.tidemark.connector.log.LogDeserializer;
import io.tidemark.connector.log.LogSerializer;
import io.tidemark.connector.log.LogSink;
import io.tidemark.connector.log.LogSource;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.task.JobHandle;
import io.tidemark.engine.time.Watermark;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.EventTimeSessionWindows;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.engine.window.WindowResult;
import io.tidemark.log.IsolationLevel;
import io.tidemark.log.LogConfig;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.consumer.Consumer;
import io.tidemark.log.consumer.ConsumerConfig;
import io.tidemark.log.consumer.ConsumerRecord;
import io.tidemark.log.group.GroupConfig;
import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.producer.Acks;
import io.tidemark.log.producer.Producer;
import io.tidemark.log.producer.ProducerConfig;
import io.tidemark.log.producer.ProducerRecord;
import io.tidemark.log.topic.LogManager;
import io.tidemark.log.txn.TransactionConfig;
import io.tidemark.log.txn.TransactionCoordinator;
import org.agrona.concurrent.SystemEpochClock;

/**
 * Clicks counted per user in event-time windows, from a topic of the embedded log to another
 * topic and to a table, checkpointed so that a run killed at any moment resumes where its last
 * checkpoint left off. Run it, kill it ({@code kill -9}, Ctrl-C), run it again on the same data
 * directory: it goes on, and once every window of the input is counted it compares its output
 * with the same counts computed in one batch and prints what was lost or written twice. What a
 * crash may cost depends on the {@link DeliveryGuarantee} it is given:
 *
 * <p><b>Exactly once</b> ({@code exactly-once}). Barriers flow with the records from the
 * sources; a task with two inputs holds back the input that delivered a checkpoint's barrier
 * until the other has too (alignment), so each checkpoint holds exactly the effect of the
 * records before it. The output topic is written in one transaction per checkpoint, committed
 * when the checkpoint completes. After a crash the job restarts from the last checkpoint and
 * the transaction left open is aborted: a {@code read_committed} reader of the output sees
 * every window once, with the batch count, but only once its checkpoint has completed.
 *
 * <p><b>At least once</b> ({@code at-least-once}). No alignment and a plain producer, flushed
 * at each checkpoint: what was written after the last checkpoint is written again after a
 * crash, so a reader may see a window twice, never miss one. Why this job reads with one
 * source subtask here: a task with two inputs snapshots when the last barrier arrives, having
 * processed records of the other input that came after the barrier; replaying those counts
 * them twice in the state. With one input per window subtask the counts stay exact and only
 * whole results repeat, which the upsert table absorbs.
 *
 * <p><b>At most once</b> ({@code at-most-once}). Each source subtask records how far it has
 * read before it hands records on, and a restarted job starts there with empty windows: the
 * windows open at the crash lose what they had counted, but nothing is ever counted twice.
 *
 * <p>The input is generated on the first run: users clicking with a little disorder, within
 * the watermark bound (so no click is late), then an end-of-input marker per partition far
 * enough ahead in event time that the watermark passes every window. The job follows the input
 * topic as a stream job does; the run stops it once every window has fired and its output
 * is committed. Every run appends the markers again, since the watermark only moves with
 * records: a run that resumes after them (run again once finished, or at most once, having
 * lost them with the other records in flight) would otherwise wait for ever. The output goes to the topic
 * {@value #OUTPUT_TOPIC}, one record per result, {@code user,start,end,count} (or
 * {@code user,start,end,retracted} for a session that merged into another after it was
 * emitted, which only late clicks cause), and to the table {@value #TABLE} of the SQLite
 * database {@value #DATABASE} in the data directory, one row per window.
 */
public final class ClickCounts
{
    /** The input topic: key and value the user, timestamp the click's event time. */
    public static final String INPUT_TOPIC = "clicks";
    /** The output topic: one record per window result. */
    public static final String OUTPUT_TOPIC = "click_counts";
    /** The table of window counts. */
    public static final String TABLE = "click_counts";
    /** The SQLite database, in the data directory. */
    public static final String DATABASE = "click_counts.db";
    /** The first event time of the generated input (2026-01-01T00:00:00Z). */
    public static final long START_TIME = 1_767_225_600_000L;
    /** How far a click may be behind the latest one seen before it. */
    public static final Duration OUT_OF_ORDERNESS = Duration.ofMillis(200);
    /** The time between two checkpoints. */
    public static final Duration CHECKPOINT_INTERVAL = Duration.ofMillis(200);
    /** What a run prints when its sources' watermark moved: the line starts with it, the watermark follows. */
    public static final String PROGRESS = "watermark ";
    /** What a run prints when every window of the input is counted and written. */
    public static final String FINISHED = "finished";
    /** The value of the end-of-input markers, which no user is named. */
    static final String END_OF_INPUT = "end-of-input";
    /** The count of a session's retraction in the output: the session merged into another after it was emitted. */
    static final String RETRACTED = "retracted";

    private static final String SOURCE_NAME = "clicks";
    private static final String WINDOWS_NAME = "click counts";
    private static final int INPUT_PARTITIONS = 4;
    private static final int OUTPUT_PARTITIONS = 2;
    private static final int USERS = 50;
    private static final long TUMBLE_MILLIS = 1_000;
    private static final long SESSION_GAP_MILLIS = 500;
    private static final long ACTIVE_BLOCK_MILLIS = 2_000;
    /** How far the end-of-input markers are ahead of the last click: past the bound and every window's end. */
    private static final long END_OF_INPUT_DELAY_MILLIS = 10_000;
    private static final int DEFAULT_CLICKS = 400_000;

    /** The windows the clicks are counted in. */
    public enum Windows
    {
        /** One-second tumbling windows. */
        TUMBLING,
        /** Sessions that end after half a second without a click of the user. */
        SESSION;

        /** @return the gap that ends a session (session windows only). */
        public long sessionGapMillis()
        {
            return SESSION_GAP_MILLIS;
        }

        /** @return the size of a tumbling window (tumbling windows only). */
        public long sizeMillis()
        {
            return TUMBLE_MILLIS;
        }
    }

    /**
     * What a run does.
     *
     * @param dataDir   the data directory: the log, the checkpoints, the database.
     * @param guarantee the delivery guarantee.
     * @param windows   the windows.
     */
    public record Settings(Path dataDir, DeliveryGuarantee guarantee, Windows windows)
    {
        /** @return where the checkpoints go. */
        public Path checkpoints()
        {
            return dataDir.resolve("checkpoints");
        }

        /** @return the SQLite database file. */
        public Path database()
        {
            return dataDir.resolve(DATABASE);
        }
    }

    private ClickCounts()
    {
    }

    /**
     * Writes the input: {@code clicks} clicks of 50 users, one per millisecond of event time
     * from {@link #START_TIME}, each up to 100 ms late against that (inside
     * {@link #OUT_OF_ORDERNESS}, so none is late for the windows), then an end-of-input marker
     * per partition. Each user clicks in the 2-second blocks of event time it is active in and
     * is silent in the others, so its clicks make sessions.
     *
     * @param logs   the log; the input topic must not exist yet.
     * @param clicks how many clicks.
     * @param seed   the generator's seed.
     */
    public static void writeInput(final LogManager logs, final int clicks, final long seed)
    {
        logs.createTopic(INPUT_TOPIC, INPUT_PARTITIONS, Map.of());
        final Random random = new Random(seed);
        final byte[][] users = new byte[USERS][];
        for (int u = 0; u < USERS; u++)
        {
            users[u] = ("user-" + u).getBytes(StandardCharsets.UTF_8);
        }
        try (Producer producer = new Producer(logs, ProducerConfig.defaults().withAcks(Acks.LEADER).withLingerMs(5)))
        {
            for (int i = 0; i < clicks; i++)
            {
                final long time = START_TIME + i;
                int user = random.nextInt(USERS);
                while (!active(user, time))
                {
                    user = (user + 1) % USERS;
                }
                producer.send(new ProducerRecord(INPUT_TOPIC, null, time - random.nextInt(100), users[user], users[user], null));
            }
            markEnd(producer, START_TIME + clicks + END_OF_INPUT_DELAY_MILLIS);
        }
    }

    /** Appends an end-of-input marker to every partition of the input. */
    private static void markEnd(final Producer producer, final long time)
    {
        final byte[] end = END_OF_INPUT.getBytes(StandardCharsets.UTF_8);
        for (int p = 0; p < INPUT_PARTITIONS; p++)
        {
            producer.send(new ProducerRecord(INPUT_TOPIC, p, time, null, end, null));
        }
        producer.flush();
    }

    /** Whether a user clicks at a time: in two blocks of three, which ones differing per user; user 0 always. */
    private static boolean active(final int user, final long time)
    {
        return user == 0 || (time / ACTIVE_BLOCK_MILLIS + user) % 3 != 0;
    }

    /**
     * Starts the job; it follows the input topic until cancelled.
     *
     * @param logs         the log holding the input and output topics.
     * @param transactions the log's transaction coordinator, for the exactly-once output.
     * @param settings     what to run.
     * @return the running job.
     */
    public static JobHandle start(final LogManager logs, final TransactionCoordinator transactions, final Settings settings)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        // The checkpoint directory is what makes a new process resume: it starts from the latest checkpoint in it.
        env.enableCheckpointing(CheckpointConfig.every(CHECKPOINT_INTERVAL).withGuarantee(settings.guarantee()).withDirectory(settings.checkpoints()));
        final DataStream<WindowResult<String, Long>> counts = counts(env, logs, settings.guarantee(), settings.windows());
        toTopic(counts, logs, transactions, settings.guarantee(), "click-counts");
        // SQLite lets one connection write at a time: a second subtask would only wait for the first.
        counts.sinkTo(JdbcUpsertSink.<String, Long>sqlite(settings.database(), TABLE).key("user", "TEXT", user -> user)
            .value("clicks", "BIGINT", count -> count).build())
            .setParallelism(1);
        return env.executeAsync("click counts, " + settings.guarantee());
    }

    /**
     * Defines the counting: the input topic read with the environment's parallelism (one
     * subtask at least once, see the class comment), the markers dropped, the clicks counted
     * per user in the windows. Makes the output topic if it is missing.
     *
     * @param env       the environment.
     * @param logs      the log holding the input topic.
     * @param guarantee the job's delivery guarantee.
     * @param windows   the windows.
     * @return the window results.
     */
    static DataStream<WindowResult<String, Long>> counts(final StreamExecutionEnvironment env, final LogManager logs, final DeliveryGuarantee guarantee,
        final Windows windows)
    {
        logs.createTopicIfMissing(OUTPUT_TOPIC, OUTPUT_PARTITIONS, Map.of());
        final int sourceParallelism = guarantee == DeliveryGuarantee.AT_LEAST_ONCE ? 1 : env.getParallelism();
        final LogSource<String> clicks = LogSource.unbounded(logs, INPUT_TOPIC, LogDeserializer.utf8Values())
            .withIsolationLevel(IsolationLevel.READ_COMMITTED);
        // The markers go through the watermark generator (that is their point) and are dropped after it.
        final KeyedStream<String, String> users = env.fromSource(clicks, WatermarkStrategy.<String>forBoundedOutOfOrderness(OUT_OF_ORDERNESS),
                SOURCE_NAME)
            .setParallelism(sourceParallelism)
            .filter(user -> !user.equals(END_OF_INPUT))
            .setParallelism(sourceParallelism)
            .keyBy(user -> user);
        return (windows == Windows.TUMBLING
            ? users.window(TumblingEventTimeWindows.of(Duration.ofMillis(TUMBLE_MILLIS))).aggregate(AggregateFunctions.<String>count())
            : users.window(EventTimeSessionWindows.withGap(Duration.ofMillis(SESSION_GAP_MILLIS))).aggregate(AggregateFunctions.<String>count()))
            .name(WINDOWS_NAME);
    }

    /**
     * Writes the results to the output topic: in a transaction per checkpoint for exactly
     * once, else with a plain producer.
     *
     * @param counts          the window results.
     * @param logs            the log.
     * @param transactions    its transaction coordinator.
     * @param guarantee       the job's delivery guarantee.
     * @param transactionalId the prefix of the exactly-once sink's transactional ids.
     */
    static void toTopic(final DataStream<WindowResult<String, Long>> counts, final LogManager logs, final TransactionCoordinator transactions,
        final DeliveryGuarantee guarantee, final String transactionalId)
    {
        final LogSerializer<WindowResult<String, Long>> serializer = LogSerializer.keyed(result -> result.key().getBytes(StandardCharsets.UTF_8),
            ClickCounts::format);
        // acks=leader: a process crash keeps what the log has appended (the page cache outlives the process); fsyncs would only slow the run.
        final ProducerConfig producer = ProducerConfig.defaults().withAcks(Acks.LEADER);
        counts.sinkTo(guarantee == DeliveryGuarantee.EXACTLY_ONCE
            ? LogSink.exactlyOnce(logs, transactions, OUTPUT_TOPIC, serializer, transactionalId).withProducerConfig(producer)
            : LogSink.to(logs, OUTPUT_TOPIC, serializer).withProducerConfig(producer));
    }

    private static byte[] format(final WindowResult<String, Long> result)
    {
        final String count = result.retraction() ? RETRACTED : result.value().toString();
        return (result.key() + "," + result.windowStart() + "," + result.windowEnd() + "," + count).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Runs the job until every window of the input has fired and what it wrote is committed,
     * then stops it. Under exactly and at least once, that is when a checkpoint triggered after
     * the last window fired has completed (so a run on the same directory resumes after it and
     * writes nothing more) and, for exactly once, the output topic holds no open transaction.
     * At most once takes no checkpoints: there it is when a savepoint (a checkpoint on demand,
     * in {@code savepoints/} of the data directory) has made the sinks write what they hold.
     * Prints the sources' watermark as it moves, then {@value #FINISHED}.
     *
     * @param logs     the log holding the input.
     * @param settings what to run.
     */
    public static void run(final LogManager logs, final Settings settings)
    {
        final long end = endOfInput(logs);
        // The watermark moves only with records: a run that resumes after the markers (run again once finished, or at most
        // once, having lost them with the other records in flight) needs new ones to pass the last windows.
        try (Producer producer = new Producer(logs, ProducerConfig.defaults().withAcks(Acks.LEADER)))
        {
            markEnd(producer, end);
        }
        final boolean atMostOnce = settings.guarantee() == DeliveryGuarantee.AT_MOST_ONCE;
        final long lastWatermark = end - OUT_OF_ORDERNESS.toMillis() - 1;
        try (GroupCoordinator groups = new GroupCoordinator(logs, GroupConfig.defaults());
             TransactionCoordinator transactions = new TransactionCoordinator(logs, groups, TransactionConfig.defaults(), SystemEpochClock.INSTANCE))
        {
            final JobHandle job = start(logs, transactions, settings);
            long printed = Watermark.NONE;
            long allFiredAt = 0;
            CompletableFuture<CompletedCheckpoint> savepoint = null;
            while (!job.awaitTermination(Duration.ofMillis(20)))
            {
                final long progress = leastWatermark(job, SOURCE_NAME);
                if (progress != printed)
                {
                    System.out.println(PROGRESS + progress);
                    printed = progress;
                }
                if (allFiredAt == 0 && leastWatermark(job, WINDOWS_NAME) >= lastWatermark)
                {
                    allFiredAt = System.currentTimeMillis();
                    savepoint = atMostOnce ? job.triggerSavepoint(settings.dataDir().resolve("savepoints").resolve("final-" + allFiredAt)) : null;
                }
                if (allFiredAt != 0 && (atMostOnce ? written(savepoint) : committedAfter(job, logs, allFiredAt)))
                {
                    job.cancel();
                }
            }
            System.out.println(FINISHED);
        }
    }

    private static boolean written(final CompletableFuture<CompletedCheckpoint> savepoint)
    {
        if (savepoint.isDone())
        {
            savepoint.join();   // a failed savepoint fails the run
            return true;
        }
        return false;
    }

    /** Whether a checkpoint triggered after {@code time} has completed and its output is committed. */
    private static boolean committedAfter(final JobHandle job, final LogManager logs, final long time)
    {
        // The sinks commit when they hear the checkpoint is complete, a moment after the job says so.
        return job.latestCheckpoint().map(checkpoint -> checkpoint.timestamp() > time).orElse(false) && committed(logs);
    }

    /** @return whether no transaction is open on the output topic. */
    private static boolean committed(final LogManager logs)
    {
        return logs.partitions(OUTPUT_TOPIC).stream().allMatch(partition -> partition.lastStableOffset() == partition.logEndOffset());
    }

    /** @return the end-of-input markers' event time: the largest timestamp of the input's last records. */
    private static long endOfInput(final LogManager logs)
    {
        long end = Watermark.NONE;
        try (Consumer reader = new Consumer(logs, ConsumerConfig.defaults()))
        {
            for (final PartitionLog partition : logs.partitions(INPUT_TOPIC))
            {
                reader.assign(List.of(partition.topicPartition()));
                reader.seek(partition.topicPartition(), partition.logEndOffset() - 1);
                for (final ConsumerRecord record : reader.poll(Duration.ofSeconds(1)))
                {
                    end = Math.max(end, record.timestamp());
                }
            }
        }
        return end;
    }

    /** The least watermark of an operator's subtasks. */
    private static long leastWatermark(final JobHandle job, final String operator)
    {
        long least = Long.MAX_VALUE;
        for (final OperatorMetrics metrics : job.metrics())
        {
            if (metrics.operatorName().equals(operator))
            {
                least = Math.min(least, metrics.watermark());
            }
        }
        return least;
    }

    /**
     * Runs the job on a data directory, first writing the input if there is none, then
     * compares the output with the batch result and prints the comparison.
     *
     * @param args the data directory (made if missing); {@code exactly-once},
     *             {@code at-least-once} or {@code at-most-once}; optionally {@code tumbling}
     *             (the default) or {@code session}.
     * @throws IOException if the data directory cannot be made.
     * @throws SQLException if the table cannot be read.
     */
    public static void main(final String[] args) throws IOException, SQLException
    {
        final Settings settings;
        try
        {
            settings = settings(args);
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println(e.getMessage());
            System.err.println("usage: ClickCounts DATA_DIR exactly-once|at-least-once|at-most-once [tumbling|session]");
            System.exit(2);
            return;
        }
        Files.createDirectories(settings.dataDir());
        try (LogManager logs = LogManager.open(settings.dataDir(), LogConfig.DEFAULTS))
        {
            if (!logs.listTopics().contains(INPUT_TOPIC))
            {
                writeInput(logs, DEFAULT_CLICKS, 42);
            }
            run(logs, settings);
            System.out.println(ClickCountsCheck.of(logs, settings));
        }
    }

    private static Settings settings(final String[] args)
    {
        if (args.length < 2 || args.length > 3)
        {
            throw new IllegalArgumentException("expected 2 or 3 arguments, got " + args.length);
        }
        return new Settings(Path.of(args[0]), choice(DeliveryGuarantee.class, args[1]),
            args.length == 3 ? choice(Windows.class, args[2]) : Windows.TUMBLING);
    }

    static <E extends Enum<E>> E choice(final Class<E> type, final String text)
    {
        for (final E candidate : type.getEnumConstants())
        {
            if (candidate.name().replace('_', '-').equalsIgnoreCase(text.replace('_', '-')))
            {
                return candidate;
            }
        }
        throw new IllegalArgumentException("unknown " + type.getSimpleName() + ": '" + text + "'");
    }
}
