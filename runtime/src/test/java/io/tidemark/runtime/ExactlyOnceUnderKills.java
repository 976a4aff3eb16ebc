package io.tidemark.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once through kill -9: a {@link TransformLoop} process copies 20,000 input records
 * to an output topic in transactions while the test kills it and, separately, the broker with
 * SIGKILL at random moments of its progress and restarts them (the broker on the same data
 * directory and port). When the loop has committed every input, a read_committed reader of
 * the output must see each input exactly once; a read_uncommitted reader sees each at least
 * once (the duplicates, from transactions the kills cut short, are counted and printed).
 * The kills per broker are {@code -Dtidemark.txn.kills} (3 by default; 50 for the long run),
 * the seed {@code -Dtidemark.txn.seed} (random by default, always in the failure message).
 */
abstract class ExactlyOnceUnderKills
{
    private static final int RECORDS = 20_000;
    private static final int PARTITIONS = 3;
    private static final int RECORDS_PER_TRANSACTION = 500;
    private static final Duration FINISH_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    /** What a kill hits. */
    private enum Target
    {
        LOOP,
        BROKER
    }

    /**
     * @param brokerDir an empty directory for the broker.
     * @return the broker, not started.
     */
    abstract BrokerUnderTest newBroker(Path brokerDir);

    @Test
    void everyInputIsOutputExactlyOnceThroughKillsOfTheLoopAndTheBroker()
    {
        final long seed = Long.getLong("tidemark.txn.seed", System.nanoTime());
        try
        {
            run(new Random(seed), Integer.getInteger("tidemark.txn.kills", 3));
        }
        catch (final Exception | AssertionError e)
        {
            throw new AssertionError("seed " + seed + " (-Dtidemark.txn.seed=" + seed + "): " + e.getMessage(), e);
        }
    }

    private void run(final Random random, final int kills) throws Exception
    {
        final List<String> events = new ArrayList<>();
        final long start = System.nanoTime();
        try (BrokerUnderTest broker = newBroker(dir.resolve("broker")))
        {
            broker.start();
            events.add("started (" + seconds(start) + " s)");
            final String context = broker.name() + ", " + kills + " kills: ";
            TransactionClients.createTopic(broker.bootstrap(), "input", PARTITIONS);
            TransactionClients.createTopic(broker.bootstrap(), "output", PARTITIONS);
            writeInput(broker.bootstrap());

            final LoopProcess loop = new LoopProcess(broker.bootstrap());
            final Supplier<String> state = () -> context + events + "\nloop: " + loop.tail() + "\nbroker: " + broker.outputTail();
            try
            {
                loop.start();
                for (final Kill kill : plan(random, kills))
                {
                    loop.awaitProgress(kill.atProgress(), FINISH_TIMEOUT, state);
                    // Somewhere in the next transaction, not always at the moment a commit is reported.
                    Thread.sleep(random.nextInt(1 + (int)TimeUnit.NANOSECONDS.toMillis(loop.commitInterval())));
                    events.add(kill.target() + " at " + loop.progress() + " (" + seconds(start) + " s)");
                    if (kill.target() == Target.LOOP)
                    {
                        loop.kill9();
                        loop.start();
                    }
                    else
                    {
                        broker.kill9();
                        broker.restart();
                    }
                }
                loop.awaitProgress(RECORDS, FINISH_TIMEOUT, state);
                events.add("all committed (" + seconds(start) + " s)");
            }
            finally
            {
                loop.kill9();
            }

            // A transaction the last kill left open holds read_committed readers back until the
            // coordinator aborts it: the producer's transaction timeout (60 s) plus the
            // coordinator's check for timed-out transactions (every 10 s in Kafka).
            final Map<String, Integer> committed = count(TransactionClients.readToEnd(broker.bootstrap(), "output", PARTITIONS,
                IsolationLevel.READ_COMMITTED, FINISH_TIMEOUT));
            final Map<String, Integer> uncommitted = count(TransactionClients.readToEnd(broker.bootstrap(), "output", PARTITIONS,
                IsolationLevel.READ_UNCOMMITTED, Duration.ofMinutes(1)));
            final List<String> notOnce = new ArrayList<>();
            final List<String> missingUncommitted = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++)
            {
                final long end = inputEnd(broker.bootstrap(), p);
                for (long offset = 0; offset < end; offset++)
                {
                    final String input = p + ":" + offset;
                    if (committed.getOrDefault(input, 0) != 1)
                    {
                        notOnce.add(input + " x" + committed.getOrDefault(input, 0));
                    }
                    if (!uncommitted.containsKey(input))
                    {
                        missingUncommitted.add(input);
                    }
                }
            }
            final int duplicates = uncommitted.values().stream().mapToInt(n -> n - 1).sum();
            System.out.printf("%s: %d duplicates for read_uncommitted readers after %s%n", broker.name(), duplicates, events);
            assertEquals(List.of(), notOnce.subList(0, Math.min(20, notOnce.size())),
                context + notOnce.size() + " inputs not read exactly once by read_committed, after " + events);
            assertEquals(RECORDS, committed.size(), context + "outputs that are no input");
            assertTrue(missingUncommitted.isEmpty(), context + "read_uncommitted misses " + missingUncommitted.size() + ": " + missingUncommitted);
        }
    }

    /** One kill: what, and when the loop's committed progress has reached how many records. */
    private record Kill(Target target, long atProgress)
    {
    }

    /** Kills at random points of the progress; with two or more, at least one of each target. */
    private static List<Kill> plan(final Random random, final int kills)
    {
        final List<Target> targets = new ArrayList<>();
        for (int i = 0; i < kills; i++)
        {
            targets.add(i == 0 ? Target.LOOP : i == 1 ? Target.BROKER : random.nextInt(3) == 0 ? Target.BROKER : Target.LOOP);
        }
        Collections.shuffle(targets, random);
        final List<Long> points = new ArrayList<>();
        for (int i = 0; i < kills; i++)
        {
            points.add((long)(RECORDS * (0.05 + 0.9 * random.nextDouble())));
        }
        Collections.sort(points);
        final List<Kill> plan = new ArrayList<>();
        for (int i = 0; i < kills; i++)
        {
            plan.add(new Kill(targets.get(i), points.get(i)));
        }
        return plan;
    }

    private static long seconds(final long since)
    {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since);
    }

    private static void writeInput(final String bootstrap) throws Exception
    {
        try (KafkaProducer<String, String> producer = TransactionClients.producer(bootstrap, null, Map.of()))
        {
            for (int i = 0; i < RECORDS; i++)
            {
                producer.send(new ProducerRecord<>("input", i % PARTITIONS, Integer.toString(i), "input-" + i));
            }
            producer.flush();
        }
        for (int p = 0; p < PARTITIONS; p++)
        {
            assertEquals(RECORDS / PARTITIONS + (p < RECORDS % PARTITIONS ? 1 : 0), inputEnd(bootstrap, p), "input partition " + p);
        }
    }

    private static long inputEnd(final String bootstrap, final int partition) throws Exception
    {
        return TransactionClients.logEndOffsets(bootstrap, List.of(new TopicPartition("input", partition))).get(new TopicPartition("input", partition));
    }

    private static Map<String, Integer> count(final List<ConsumerRecord<String, String>> records)
    {
        final Map<String, Integer> counts = new HashMap<>();
        for (final ConsumerRecord<String, String> record : records)
        {
            counts.merge(record.value(), 1, Integer::sum);
        }
        return counts;
    }

    /** A {@link TransformLoop} process, started again after each kill, and the progress it reports. */
    private static final class LoopProcess
    {
        private static final String COMMITTED = "committed ";

        private final String bootstrap;
        private final List<String> output = new CopyOnWriteArrayList<>();
        private final AtomicLong progress = new AtomicLong(-1);
        private final AtomicLong lastCommit = new AtomicLong(System.nanoTime());
        private final AtomicLong commitInterval = new AtomicLong();
        private Process process;

        LoopProcess(final String bootstrap)
        {
            this.bootstrap = bootstrap;
        }

        void start() throws IOException
        {
            final Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), TransformLoop.class.getName(),
                bootstrap, "transform-loop", "input", "output", Integer.toString(PARTITIONS), Integer.toString(RECORDS_PER_TRANSACTION))
                .redirectErrorStream(true).start();
            ServerProcess.readLines(process, line ->
            {
                if (line.startsWith(COMMITTED))
                {
                    progress.set(Long.parseLong(line.substring(COMMITTED.length())));
                    final long now = System.nanoTime();
                    commitInterval.set(now - lastCommit.getAndSet(now));
                }
                else
                {
                    output.add(line);
                }
            }, "transform-loop-output");
            this.process = process;
        }

        long progress()
        {
            return progress.get();
        }

        /** @return the time between the last two reports of the loop, about a transaction's. */
        long commitInterval()
        {
            return commitInterval.get();
        }

        String tail()
        {
            final List<String> lines = List.copyOf(output);
            return "progress " + progress.get() + ", " + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        }

        void awaitProgress(final long records, final Duration timeout, final Supplier<String> context) throws InterruptedException
        {
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (progress.get() < records)
            {
                assertTrue(process.isAlive(), () -> "the loop exited with " + process.exitValue() + "; " + context.get());
                assertTrue(System.nanoTime() - deadline < 0, () -> "the loop did not commit " + records + " records in " + timeout + "; " + context.get());
                Thread.sleep(20);
            }
        }

        void kill9() throws InterruptedException
        {
            if (process != null)
            {
                output.add("(killed)");
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
