package io.tidemark.connector.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.source.ReadStatus;
import io.tidemark.engine.source.SourceOutput;
import io.tidemark.engine.state.TypeSerializer;
import io.tidemark.log.IsolationLevel;
import io.tidemark.log.LogConfig;
import io.tidemark.log.PartitionLog;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.TransactionMarker;
import io.tidemark.log.TransactionResult;
import io.tidemark.log.consumer.Consumer;
import io.tidemark.log.consumer.ConsumerConfig;
import io.tidemark.log.consumer.ConsumerRecord;
import io.tidemark.log.consumer.OffsetReset;
import io.tidemark.log.topic.LogManager;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * Random partitions written by two transactional producers (transactions committed, aborted
 * and left open, batches of several records) and plain batches, read by the in-place source
 * reader a few records at a time, with checkpoints taken at random reads (mid-batch too) and
 * restored through the split serializer: the source emits exactly what the embedded consumer
 * reads at the same isolation level, in order, with the same timestamps. Bounded splits are
 * read after the writing; unbounded ones are read between the writes as well, following the
 * last stable offset as it moves.
 */
class LogSourceConsumerProperties
{
    private static final String TOPIC = "t";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final int PRODUCERS = 2;

    /** One write to the partition, and how many reads follow it. */
    record Step(Kind kind, int producer, int records, int reads)
    {
    }

    enum Kind
    {
        PLAIN, TRANSACTIONAL, COMMIT, ABORT
    }

    /** What the source emitted, or the consumer read: value and timestamp. */
    record Emitted(String value, long timestamp)
    {
    }

    @Provide
    Arbitrary<List<Step>> steps()
    {
        final Arbitrary<Step> step = Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, PRODUCERS - 1),
            Arbitraries.integers().between(1, 12), Arbitraries.integers().between(0, 3)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 40)
    void theSourceEmitsWhatTheConsumerReads(@ForAll("steps") final List<Step> steps, @ForAll final boolean readCommitted,
        @ForAll final boolean bounded, @ForAll @IntRange(min = 1, max = 9) final int batch, @ForAll @IntRange(min = 1, max = 6) final int checkpointEvery)
        throws IOException
    {
        final Path dir = Files.createTempDirectory("tidemark-logsource-properties");
        try (LogManager logs = LogManager.open(dir, LogConfig.DEFAULTS))
        {
            logs.createTopic(TOPIC, 1, Map.of(LogConfig.RETENTION_MS, "-1"));
            final IsolationLevel isolation = readCommitted ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED;
            final Reading reading = new Reading(logs, isolation, batch, checkpointEvery);
            final Writer writer = new Writer(logs.partition(PARTITION));
            if (bounded)
            {
                steps.forEach(writer::apply);
                reading.start(true);
                reading.readToEnd(ReadStatus.END_OF_SPLIT);
            }
            else
            {
                reading.start(false);
                for (final Step step : steps)
                {
                    writer.apply(step);
                    reading.read(step.reads());
                }
                reading.readToEnd(ReadStatus.NOTHING_AVAILABLE);
            }
            final PartitionLog log = logs.partition(PARTITION);
            final long end = readCommitted ? log.lastStableOffset() : log.logEndOffset();
            assertEquals(consume(logs, isolation, end), reading.emitted);
            assertEquals(end, reading.reader.position(), "the position is past everything readable, markers included");
            reading.reader.close();
        }
        finally
        {
            delete(dir);
        }
    }

    /** A reader of the partition, restored from its checkpointed split every few reads. */
    private static final class Reading implements SourceOutput<String>
    {
        private static final LogDeserializer<String> VALUES = LogDeserializer.utf8Values();

        final List<Emitted> emitted = new ArrayList<>();
        private final LogManager logs;
        private final IsolationLevel isolation;
        private final int batch;
        private final int checkpointEvery;
        private LogSource<String> source;
        private LogSplitReader<String> reader;
        private int reads;

        Reading(final LogManager logs, final IsolationLevel isolation, final int batch, final int checkpointEvery)
        {
            this.logs = logs;
            this.isolation = isolation;
            this.batch = batch;
            this.checkpointEvery = checkpointEvery;
        }

        void start(final boolean bounded)
        {
            source = (bounded ? LogSource.bounded(logs, TOPIC, VALUES) : LogSource.unbounded(logs, TOPIC, VALUES)).withIsolationLevel(isolation);
            reader = new LogSplitReader<>(logs, source.createSplits(1).get(0), VALUES, batch, isolation);
        }

        ReadStatus read(final int times)
        {
            ReadStatus status = ReadStatus.MORE_AVAILABLE;
            for (int i = 0; i < times && status != ReadStatus.END_OF_SPLIT; i++)
            {
                final int before = emitted.size();
                status = reader.read(this);
                assertTrue(emitted.size() - before <= batch, "a read emits at most a batch");
                if (++reads % checkpointEvery == 0)
                {
                    restore();
                }
            }
            return status;
        }

        void readToEnd(final ReadStatus last)
        {
            // Twice in a row: a read that only steps over markers and aborted batches reports progress.
            int quiet = 0;
            for (int i = 0; quiet < 2; i++)
            {
                assertTrue(i < 100_000, "the reader keeps reporting progress");
                final ReadStatus status = read(1);
                quiet = status == last ? quiet + 1 : 0;
                assertTrue(status == last || status == ReadStatus.MORE_AVAILABLE, "status " + status);
            }
        }

        /** A checkpoint and a restart: the split goes through its serializer, a new reader goes on from it. */
        private void restore()
        {
            final LogSplit split = roundTrip(source.splitSerializer(), reader.currentSplit());
            assertEquals(reader.currentSplit(), split);
            reader.close();
            reader = new LogSplitReader<>(logs, split, VALUES, batch, isolation);
        }

        @Override
        public void collect(final String value)
        {
            throw new AssertionError("a log record always has a timestamp");
        }

        @Override
        public void collect(final String value, final long timestamp)
        {
            emitted.add(new Emitted(value, timestamp));
        }
    }

    /** Appends batches and markers as producers and a coordinator would. */
    private static final class Writer
    {
        private final PartitionLog log;
        private final int[] sequences = new int[PRODUCERS];
        private final boolean[] open = new boolean[PRODUCERS];
        private int written;

        Writer(final PartitionLog log)
        {
            this.log = log;
        }

        void apply(final Step step)
        {
            final int p = step.producer();
            switch (step.kind())
            {
                case PLAIN -> log.append(MemoryRecords.withRecords(Compression.NONE, records(step.records(), "plain")).buffer());
                case TRANSACTIONAL ->
                {
                    log.append(MemoryRecords.withTransactionalRecords(Compression.NONE, producerId(p), (short)0, sequences[p],
                        records(step.records(), (open[p] ? "in" : "first") + "-of-" + p)).buffer());
                    sequences[p] += step.records();
                    open[p] = true;
                }
                case COMMIT, ABORT ->
                {
                    // A marker for a producer with nothing open is written all the same, as after a coordinator's crash.
                    log.appendMarker(new TransactionMarker(producerId(p), (short)0, 0,
                        step.kind() == Kind.COMMIT ? TransactionResult.COMMIT : TransactionResult.ABORT));
                    open[p] = false;
                }
            }
        }

        private SimpleRecord[] records(final int count, final String label)
        {
            final SimpleRecord[] records = new SimpleRecord[count];
            for (int i = 0; i < count; i++)
            {
                final int n = written++;
                // Timestamps out of order, as producers' clocks give them.
                records[i] = new SimpleRecord(1_000_000L + n * 7L % 13, null, (label + "-" + n).getBytes(StandardCharsets.UTF_8));
            }
            return records;
        }

        private static long producerId(final int producer)
        {
            return 1_000 + producer;
        }
    }

    /** What the embedded consumer reads from the start of the partition up to {@code end}. */
    private static List<Emitted> consume(final LogManager logs, final IsolationLevel isolation, final long end)
    {
        final List<Emitted> read = new ArrayList<>();
        try (Consumer consumer = new Consumer(logs, ConsumerConfig.defaults().withAutoOffsetReset(OffsetReset.EARLIEST).withIsolationLevel(isolation)))
        {
            consumer.assign(List.of(PARTITION));
            while (consumer.position(PARTITION) < end)
            {
                for (final ConsumerRecord record : consumer.poll(Duration.ofMillis(10)))
                {
                    read.add(new Emitted(new String(record.value(), StandardCharsets.UTF_8), record.timestamp()));
                }
            }
        }
        return read;
    }

    private static LogSplit roundTrip(final TypeSerializer<LogSplit> serializer, final LogSplit split)
    {
        try
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            serializer.serialize(split, new DataOutputStream(bytes));
            return serializer.deserialize(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        }
        catch (final IOException e)
        {
            throw new AssertionError(e);
        }
    }

    private static void delete(final Path dir) throws IOException
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }
}
