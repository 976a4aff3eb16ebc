package io.tidemark.connector.log;

import static io.tidemark.connector.log.ExactlyOnceSinkChild.RECORDS;
import static io.tidemark.connector.log.ExactlyOnceSinkChild.SUBTASKS;
import static io.tidemark.connector.log.ExactlyOnceSinkChild.prefix;
import static io.tidemark.connector.log.TransactionalTopics.input;
import static io.tidemark.connector.log.TransactionalTopics.records;
import static io.tidemark.connector.log.TransactionalTopics.snapshot;
import static io.tidemark.connector.log.TransactionalTopics.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.sink.SinkWriter;
import java.io.BufferedReader;
import java.io.DataInput;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exactly-once log sink across a kill -9 of the process that holds the log, the
 * coordinators and two sink subtasks ({@link ExactlyOnceSinkChild}): checkpoint 3 completed,
 * the writers heard of it or not, checkpoint 4 pre-committed but never completed, more records
 * written after it. Restored from checkpoint 3 with one, two and three subtasks, and fed again
 * what the job would replay after checkpoint 3, the sink leaves every record exactly once for
 * read_committed readers, and no transaction open.
 */
class ExactlyOnceLogSinkCrashTest
{
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"uncommitted", "committed"})
    @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void afterAKillNineEveryRecordIsCommittedOnceWhateverTheNewParallelism(final String heard) throws Exception
    {
        final Path killed = dir.resolve("killed");
        final Path snapshots = Files.createDirectories(dir.resolve("snapshots"));
        Files.createDirectories(killed);
        runAndKill(killed, heard, snapshots);
        final List<byte[]> checkpoint3 = new ArrayList<>();
        for (int s = 0; s < SUBTASKS; s++)
        {
            checkpoint3.add(Files.readAllBytes(snapshots.resolve("s" + s)));
        }
        for (int parallelism = 1; parallelism <= 3; parallelism++)
        {
            final Path copy = dir.resolve("restored-" + parallelism);
            copy(killed, copy);
            restoreAndReplay(copy, heard, checkpoint3, parallelism);
        }
    }

    private void restoreAndReplay(final Path data, final String heard, final List<byte[]> checkpoint3, final int parallelism) throws Exception
    {
        try (TransactionalTopics topics = new TransactionalTopics(data))
        {
            final String what = heard + ", restored with parallelism " + parallelism;
            final List<String> visible = topics.readCommitted();
            final int checkpoints = "committed".equals(heard) ? 3 : 1;
            assertEquals(sorted(upTo(checkpoints)), sorted(visible), what + ": committed before the kill");
            assertTrue(topics.somethingLingers(), what + ": the kill left transactions open");

            final List<SinkWriter<String>> writers = new ArrayList<>();
            for (int i = 0; i < parallelism; i++)
            {
                final List<DataInput> inherited = new ArrayList<>();
                for (int j = i; j < SUBTASKS; j += parallelism)
                {
                    inherited.add(input(checkpoint3.get(j)));
                }
                final LogSink<String> sink = topics.sink();
                writers.add(inherited.isEmpty() ? sink.createWriter(i, parallelism) : sink.restoreWriter(i, parallelism, inherited));
            }
            topics.assertNothingLingers();
            assertEquals(sorted(upTo(3)), sorted(topics.readCommitted()), what + ": checkpoint 3 and the aborted 2 committed, nothing after");

            for (int checkpoint = 4; checkpoint <= 5; checkpoint++)
            {
                for (int s = 0; s < SUBTASKS; s++)
                {
                    write(writers.get(s % parallelism), prefix(checkpoint, s), RECORDS);
                }
            }
            for (final SinkWriter<String> writer : writers)
            {
                writer.preCommit(4);
                snapshot(writer, 4);
            }
            for (final SinkWriter<String> writer : writers)
            {
                writer.commit(4);
                writer.close();
            }
            assertEquals(sorted(upTo(5)), sorted(topics.readCommitted()), what + ": every record exactly once");
            topics.assertNothingLingers();
        }
    }

    /** Every record of checkpoints 1 to {@code last}, of both old subtasks. */
    private static List<String> upTo(final int last)
    {
        final List<String> all = new ArrayList<>();
        for (int checkpoint = 1; checkpoint <= last; checkpoint++)
        {
            for (int s = 0; s < SUBTASKS; s++)
            {
                all.addAll(records(prefix(checkpoint, s), RECORDS));
            }
        }
        return all;
    }

    private static List<String> sorted(final List<String> values)
    {
        return values.stream().sorted().toList();
    }

    private void runAndKill(final Path data, final String heard, final Path snapshots) throws Exception
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Process child = new ProcessBuilder(java, "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx128m",
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
            ExactlyOnceSinkChild.class.getName(), data.toString(), heard, snapshots.toString())
            .redirectError(dir.resolve("child-" + heard + ".err").toFile())
            .start();
        try
        {
            final BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            final String ready = out.readLine();
            assertEquals("READY", ready, "the child went through its checkpoints; its stderr: " +
                Files.readString(dir.resolve("child-" + heard + ".err")));
            assertTrue(child.toHandle().destroyForcibly(), "SIGKILL sent");
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child died");
            assertEquals(128 + 9, child.exitValue(), "killed by SIGKILL: no close");
        }
        finally
        {
            child.destroyForcibly();
        }
    }

    private static void copy(final Path from, final Path to) throws IOException
    {
        try (Stream<Path> files = Files.walk(from))
        {
            for (final Path file : files.toList())
            {
                final Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(file, target);
                }
            }
        }
    }
}
