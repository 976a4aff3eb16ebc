package io.tidemark.connector.kafka;

import static io.tidemark.connector.kafka.SinkTopics.snapshot;
import static io.tidemark.connector.kafka.SinkTopics.write;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.tidemark.engine.sink.SinkWriter;

/**
 * The child JVM of the Kafka sink's kill -9 test: two subtasks of the exactly-once Kafka sink go
 * through checkpoint 1 (completed and committed), 2 (aborted), 3 (completed; the writers hear of
 * it only if the fourth argument is {@code committed}; its snapshots go to the fifth argument's
 * directory), 4 (pre-committed, never completed), and then write more. Each subtask {@code s}
 * writes {@link #RECORDS} records {@code <checkpoint>-s<s>-<i>} per checkpoint, those after
 * checkpoint 4 as checkpoint 5's. Prints {@code READY} and waits to be killed with SIGKILL (or
 * halts when its stdin closes, so that it cannot outlive its parent).
 */
public final class KafkaSinkChild
{
    static final int RECORDS = 20;
    static final int SUBTASKS = 2;

    private KafkaSinkChild()
    {
    }

    static String prefix(final int checkpoint, final int subtask)
    {
        return checkpoint + "-s" + subtask;
    }

    /**
     * @param args the broker, the topic, the transactional id prefix, {@code committed} or
     *             {@code uncommitted}, the snapshot directory.
     * @throws Exception if anything fails: the parent sees no READY.
     */
    public static void main(final String[] args) throws Exception
    {
        final PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        final KafkaSink<String> sink = new SinkTopics(args[0], args[1]).sink().exactlyOnce(args[2]).build();
        final SinkWriter<String>[] writers = new SinkWriter[SUBTASKS];
        for (int s = 0; s < SUBTASKS; s++)
        {
            writers[s] = sink.createWriter(s, SUBTASKS);
        }
        for (int checkpoint = 1; checkpoint <= 4; checkpoint++)
        {
            for (int s = 0; s < SUBTASKS; s++)
            {
                write(writers[s], prefix(checkpoint, s), RECORDS);
                writers[s].preCommit(checkpoint);
                final byte[] snapshot = snapshot(writers[s], checkpoint);
                if (checkpoint == 3)
                {
                    Files.write(Path.of(args[4]).resolve("s" + s), snapshot);
                }
                if (checkpoint == 1 || checkpoint == 3 && "committed".equals(args[3]))
                {
                    writers[s].commit(checkpoint);
                }
            }
        }
        for (int s = 0; s < SUBTASKS; s++)
        {
            write(writers[s], prefix(5, s), RECORDS);
            writers[s].preCommit(5);
        }
        out.println("READY");
        out.flush();
        while (System.in.read() >= 0)
        {
            // the parent never writes; end of input means the parent is gone
        }
        Runtime.getRuntime().halt(3);
    }
}
