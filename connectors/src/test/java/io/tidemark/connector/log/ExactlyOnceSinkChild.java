package io.tidemark.connector.log;

import static io.tidemark.connector.log.TransactionalTopics.snapshot;
import static io.tidemark.connector.log.TransactionalTopics.write;

import io.tidemark.engine.sink.SinkWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child JVM of {@link ExactlyOnceLogSinkCrashTest}: two subtasks of the exactly-once sink go
 * through checkpoint 1 (completed and committed), 2 (aborted), 3 (completed; the writers hear of
 * it only if the second argument is {@code committed}; its snapshots go to the third argument's
 * directory), 4 (pre-committed, never completed), and then write more. Each subtask {@code s}
 * writes {@link #RECORDS} records {@code <checkpoint>-s<s>-<i>} per checkpoint, those after
 * checkpoint 4 as checkpoint 5's. Prints {@code READY} and waits to be killed with SIGKILL (or
 * halts when its stdin closes, so that it cannot outlive its parent).
 */
public final class ExactlyOnceSinkChild
{
    static final int RECORDS = 20;
    static final int SUBTASKS = 2;

    private ExactlyOnceSinkChild()
    {
    }

    static String prefix(final int checkpoint, final int subtask)
    {
        return checkpoint + "-s" + subtask;
    }

    /**
     * @param args the data directory, {@code committed} or {@code uncommitted}, the snapshot directory.
     * @throws Exception if anything fails: the parent sees no READY.
     */
    public static void main(final String[] args) throws Exception
    {
        final PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        final TransactionalTopics topics = new TransactionalTopics(Path.of(args[0]));
        final LogSink<String> sink = topics.sink();
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
                    Files.write(Path.of(args[2]).resolve("s" + s), snapshot);
                }
                if (checkpoint == 1 || checkpoint == 3 && "committed".equals(args[1]))
                {
                    writers[s].commit(checkpoint);
                }
            }
        }
        for (int s = 0; s < SUBTASKS; s++)
        {
            write(writers[s], prefix(5, s), RECORDS);
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
