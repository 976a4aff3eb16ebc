package io.tidemark.engine.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.checkpoint.CheckpointBarrier;
import io.tidemark.engine.checkpoint.OperatorSnapshot;
import io.tidemark.engine.operator.AbstractOperator;
import io.tidemark.engine.testing.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One stream task with two input channels the test writes by hand, on its own thread: where
 * each barrier splits what the head operator sees, aligned and not.
 */
class AlignmentTest
{
    /** Records what reaches it, and each snapshot, in order. */
    static final class Recorder extends AbstractOperator<Object, Object>
    {
        private final List<String> seen;

        Recorder(final List<String> seen)
        {
            this.seen = seen;
        }

        @Override
        public void processElement(final Object value, final long timestamp)
        {
            synchronized (seen)
            {
                seen.add(String.valueOf(value));
            }
        }

        @Override
        public OperatorSnapshot snapshot(final long checkpointId)
        {
            synchronized (seen)
            {
                seen.add("snapshot" + checkpointId);
            }
            return OperatorSnapshot.EMPTY;
        }
    }

    private final List<String> seen = new ArrayList<>();
    private final JobControl control = new JobControl(1);
    private ChannelWriter[] inputs;

    private void startTask(final boolean aligned)
    {
        inputs = HandWrittenTask.start(() -> new Recorder(seen), new ExecutionConfig().bufferTimeout(Duration.ofHours(1)), control, aligned, "alignment test task");
    }

    private void write(final int input, final Object... elements)
    {
        for (final Object element : elements)
        {
            if (element instanceof Long id)
            {
                inputs[input].writeBarrier(new CheckpointBarrier(id, 0, false));
                inputs[input].ringConsumer();
            }
            else
            {
                inputs[input].writeRecord(null, element, 0);
            }
        }
        inputs[input].flush();
    }

    private List<String> seen()
    {
        synchronized (seen)
        {
            return List.copyOf(seen);
        }
    }

    private List<String> before(final String mark)
    {
        final List<String> all = seen();
        return all.subList(0, all.indexOf(mark));
    }

    private void end()
    {
        inputs[0].writeEndOfInput();
        inputs[1].writeEndOfInput();
        Poll.until("the task to end", () -> control.running().getCount() == 0);
        assertEquals(null, control.failure());
    }

    @Test
    void alignedAnInputThatDeliveredTheBarrierIsHeldUntilTheOtherDelivers()
    {
        startTask(true);
        write(0, "a1", 5L, "a2");
        write(1, "b1");
        Poll.until("b1", () -> seen().contains("b1"));
        assertTrue(!seen().contains("a2"), "a2 follows the barrier on an input that is held: " + seen());
        write(1, "b2", 5L, "b3");
        Poll.until("everything", () -> seen().size() == 6);
        assertEquals(List.of("a1", "b1", "b2"), before("snapshot5").stream().sorted().toList());
        end();
    }

    @Test
    void unalignedAnInputThatDeliveredTheBarrierIsReadOn()
    {
        startTask(false);
        write(0, "a1", 5L, "a2");
        write(1, "b1");
        Poll.until("a2, past the barrier on input 0", () -> seen().contains("a2"));
        assertTrue(!seen().contains("snapshot5"));
        write(1, 5L, "b2");
        Poll.until("everything", () -> seen().size() == 5);
        assertEquals(List.of("a1", "a2", "b1"), before("snapshot5").stream().sorted().toList());
        end();
    }

    @Test
    void aStaleBarrierDoesNotCountForTheNewerCheckpointBeingAligned()
    {
        startTask(true);
        write(0, 6L, "a1");
        write(1, "x1", 5L, "x2");
        Poll.until("x2, read past the stale barrier", () -> seen().contains("x2"));
        assertTrue(!seen().contains("snapshot6") && !seen().contains("snapshot5"), seen().toString());
        write(1, 6L);
        Poll.until("everything", () -> seen().size() == 4);
        assertEquals(List.of("x1", "x2"), before("snapshot6"));
        end();
    }

    @Test
    void anInputThatEndsWhileTheTaskAlignsCompletesTheAlignment()
    {
        startTask(true);
        write(0, "a1", 7L, "a2");
        write(1, "y1");
        inputs[1].writeEndOfInput();
        Poll.until("everything", () -> seen().size() == 4);
        assertEquals(List.of("a1", "y1"), before("snapshot7").stream().sorted().toList());
        assertEquals("a2", seen().get(3));
        inputs[0].writeEndOfInput();
        Poll.until("the task to end", () -> control.running().getCount() == 0);
        assertEquals(null, control.failure());
    }
}
