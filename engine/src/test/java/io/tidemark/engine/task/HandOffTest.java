package io.tidemark.engine.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.operator.AbstractOperator;
import io.tidemark.engine.testing.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * One stream task with two input channels that test threads write, each record published at
 * once: with the hand-off, a writer that finds the task asleep runs the task's round itself.
 */
class HandOffTest
{
    private static final String TASK_THREAD = "hand-off test task";

    /** Records each value with the name of the thread that handled it; fails on "boom". */
    final class ThreadRecorder extends AbstractOperator<Object, Object>
    {
        @Override
        public void processElement(final Object value, final long timestamp)
        {
            if ("boom".equals(value))
            {
                throw new IllegalStateException("boom");
            }
            synchronized (seen)
            {
                seen.add(value + "@" + Thread.currentThread().getName());
            }
        }
    }

    private final List<String> seen = new ArrayList<>();
    private final JobControl control = new JobControl(1);
    private ChannelWriter[] inputs;

    private void startTask(final boolean handOff)
    {
        inputs = HandWrittenTask.start(ThreadRecorder::new, new ExecutionConfig().bufferTimeout(Duration.ZERO).handOff(handOff), control, false, TASK_THREAD);
    }

    private List<String> seen()
    {
        synchronized (seen)
        {
            return List.copyOf(seen);
        }
    }

    private long handledBy(final String thread)
    {
        return seen().stream().filter(entry -> entry.endsWith("@" + thread)).count();
    }

    /** Writes {@code count} records on input {@code input}, pausing after each so that the task falls asleep. */
    private void writePaced(final int input, final String prefix, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            inputs[input].writeRecord(null, prefix + i, 0);
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }

    /** Writes records on input 0, pausing after each, until the test's thread has run the sleeping task; returns how many. */
    private int writeUntilTheWriterRunsTheTask()
    {
        final String writer = Thread.currentThread().getName();
        final int[] written = {0};
        Poll.until("a record handled on the writer's thread", () -> handledBy(writer) > 0, () ->
        {
            inputs[0].writeRecord(null, "a" + written[0]++, 0);
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        });
        return written[0];
    }

    private void end()
    {
        inputs[0].writeEndOfInput();
        inputs[1].writeEndOfInput();
        Poll.until("the task to end", () -> control.running().getCount() == 0);
    }

    @Test
    void aWriterRunsTheSleepingTaskItselfAndTheTaskStillEndsOnItsOwnThread()
    {
        startTask(true);
        final int written = writeUntilTheWriterRunsTheTask();
        end();
        assertEquals(null, control.failure());
        final List<String> values = seen().stream().map(entry -> entry.substring(0, entry.indexOf('@'))).toList();
        final List<String> expected = new ArrayList<>();
        for (int i = 0; i < written; i++)
        {
            expected.add("a" + i);
        }
        assertEquals(expected, values, "every record once, in order, whoever handled it");
    }

    @Test
    void withoutTheHandOffOnlyTheTasksOwnThreadRunsIt()
    {
        startTask(false);
        writePaced(0, "a", 50);
        Poll.until("50 records", () -> seen().size() == 50);
        end();
        assertEquals(null, control.failure());
        assertEquals(50, handledBy(TASK_THREAD), String.valueOf(seen()));
    }

    @Test
    void twoWritersLoseNothingAndEachInputKeepsItsOrder() throws InterruptedException
    {
        startTask(true);
        final int count = 3_000;
        final Thread[] writers = new Thread[2];
        for (int w = 0; w < writers.length; w++)
        {
            final int input = w;
            writers[w] = new Thread(() -> writePaced(input, "w" + input + "-", count), "writer " + w);
            writers[w].start();
        }
        for (final Thread writer : writers)
        {
            writer.join();
        }
        end();
        assertEquals(null, control.failure());
        for (int w = 0; w < writers.length; w++)
        {
            final String prefix = "w" + w + "-";
            final List<String> values = seen().stream().map(entry -> entry.substring(0, entry.indexOf('@'))).filter(v -> v.startsWith(prefix)).toList();
            final List<String> expected = new ArrayList<>();
            for (int i = 0; i < count; i++)
            {
                expected.add(prefix + i);
            }
            assertEquals(expected, values, "input " + w);
        }
        assertTrue(handledBy("writer 0") + handledBy("writer 1") > 0, "the writers ran the sleeping task at times");
    }

    @Test
    void aCancelSeenInARoundOnAWritersThreadStopsTheTaskWithoutAFailure()
    {
        startTask(true);
        writeUntilTheWriterRunsTheTask();
        control.cancel();
        // Whoever runs the task sees the cancel; the writer is not thrown at from inside its write.
        inputs[0].writeRecord(null, "after cancel", 0);
        Poll.until("the task to end", () -> control.running().getCount() == 0);
        assertEquals(null, control.failure());
    }

    @Test
    void aFailureInARoundOnAWritersThreadFailsTheJobAsTheTasksOwn()
    {
        startTask(true);
        writeUntilTheWriterRunsTheTask();
        inputs[0].writeRecord(null, "boom", 0);
        Poll.until("the task to end", () -> control.running().getCount() == 0);
        assertTrue(String.valueOf(control.failure()).contains("task 'recorder' failed") && String.valueOf(control.failure()).contains("boom"),
            String.valueOf(control.failure()));
    }
}
