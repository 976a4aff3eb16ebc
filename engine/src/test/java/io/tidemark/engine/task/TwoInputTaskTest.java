package io.tidemark.engine.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.checkpoint.CheckpointBarrier;
import io.tidemark.engine.checkpoint.OperatorSnapshot;
import io.tidemark.engine.graph.JobGraph;
import io.tidemark.engine.graph.JobVertex;
import io.tidemark.engine.graph.Partitioning;
import io.tidemark.engine.graph.StreamGraph;
import io.tidemark.engine.graph.StreamNode;
import io.tidemark.engine.operator.AbstractStreamOperator;
import io.tidemark.engine.operator.TwoInputOperator;
import io.tidemark.engine.source.CollectionSource;
import io.tidemark.engine.state.KeyGroupRange;
import io.tidemark.engine.testing.Poll;
import io.tidemark.engine.time.Watermark;
import io.tidemark.engine.time.WatermarkStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One stream task headed by a two-input operator, its channels written by hand: input 1 over
 * channels 0 and 1, input 2 over channel 2. Records reach the operator's input of their
 * channel, the watermark is combined by the two-level valve, and barriers are aligned over the
 * channels of both inputs.
 */
class TwoInputTaskTest
{
    /** Records what reaches it ("1:x", "2:x", "wm:n", "idle"), and each snapshot, in order. */
    static final class Recorder extends AbstractStreamOperator<Object> implements TwoInputOperator<Object, Object, Object>
    {
        private final List<String> seen;

        Recorder(final List<String> seen)
        {
            this.seen = seen;
        }

        private void add(final String event)
        {
            synchronized (seen)
            {
                seen.add(event);
            }
        }

        @Override
        public void processElement1(final Object value, final long timestamp)
        {
            add("1:" + value);
        }

        @Override
        public void processElement2(final Object value, final long timestamp)
        {
            add("2:" + value);
        }

        @Override
        public void processWatermark(final long watermark)
        {
            add("wm:" + Watermark.format(watermark));
        }

        @Override
        public void processIdle(final boolean idle)
        {
            add(idle ? "idle" : "active");
        }

        @Override
        public OperatorSnapshot snapshot(final long checkpointId)
        {
            add("snapshot" + checkpointId);
            return OperatorSnapshot.EMPTY;
        }
    }

    private static final int[] INPUT_OF_CHANNEL = {1, 1, 2};

    private final List<String> seen = new ArrayList<>();
    private final JobControl control = new JobControl(1);
    private final ChannelWriter[] channels = new ChannelWriter[INPUT_OF_CHANNEL.length];

    private void startTask(final boolean aligned)
    {
        final StreamGraph streamGraph = new StreamGraph();
        final StreamNode first = streamGraph.addSource("first", 2, CollectionSource.of(List.of()), WatermarkStrategy.noWatermarks());
        final StreamNode second = streamGraph.addSource("second", 1, CollectionSource.of(List.of()), WatermarkStrategy.noWatermarks());
        final StreamNode recorder = streamGraph.addTwoInputOperator("recorder", 1, () -> new Recorder(seen));
        streamGraph.addEdge(first, recorder, Partitioning.rebalance(), null, 1);
        streamGraph.addEdge(second, recorder, Partitioning.rebalance(), null, 2);
        final JobGraph graph = JobGraph.of(streamGraph);
        final JobVertex vertex = graph.vertexOf(recorder);
        final ExecutionConfig config = new ExecutionConfig().bufferTimeout(Duration.ofHours(1));
        final Doorbell doorbell = new Doorbell();
        final ChannelReader[] readers = new ChannelReader[channels.length];
        // The second input's channel first: the task orders channels by input itself.
        for (int i = channels.length - 1; i >= 0; i--)
        {
            final Channel channel = new Channel("channel " + i, 64);
            channels[i] = new ChannelWriter(channel, 64, config.bufferTimeoutNanos(), config.newBackpressureIdleStrategy(), control, doorbell);
            readers[channels.length - 1 - i] = new ChannelReader(channel, INPUT_OF_CHANNEL[i], false);
        }
        final OperatorChain chain = new OperatorChain(graph, vertex, 0, Map.of(), config, null);
        final TaskCheckpoints checkpoints = new TaskCheckpoints(vertex.id(), 0, 1, new KeyGroupRange(0, 127), aligned, false, null, null, 0);
        final Thread thread = new Thread(new StreamTask("recorder", chain, readers, doorbell, control, config, checkpoints), "two-input test task");
        thread.setDaemon(true);
        thread.start();
    }

    private void write(final int channel, final Object... elements)
    {
        for (final Object element : elements)
        {
            if (element instanceof Long id)
            {
                channels[channel].writeBarrier(new CheckpointBarrier(id, 0, false));
                channels[channel].ringConsumer();
            }
            else if (element instanceof Integer watermark)
            {
                channels[channel].writeWatermark(watermark);
            }
            else if (element instanceof Boolean idle)
            {
                channels[channel].writeIdle(idle);
            }
            else
            {
                channels[channel].writeRecord(null, element, 0);
            }
        }
        channels[channel].flush();
    }

    private List<String> seen()
    {
        synchronized (seen)
        {
            return List.copyOf(seen);
        }
    }

    private void end()
    {
        for (final ChannelWriter channel : channels)
        {
            channel.writeEndOfInput();
        }
        Poll.until("the task to end", () -> control.running().getCount() == 0);
        assertEquals(null, control.failure());
    }

    @Test
    void recordsReachTheInputOfTheirChannelAndTheWatermarkIsTheLeastInput()
    {
        startTask(true);
        write(0, "a", 10);
        write(1, 30);
        write(2, "b", 20);
        Poll.until("the first watermark", () -> seen().contains("wm:10"));
        write(0, 40);
        Poll.until("input 1 at 30, input 2 at 20", () -> seen().contains("wm:20"));
        assertEquals(List.of("1:a", "2:b", "wm:10", "wm:20"), seen().stream().sorted().toList());
        end();
        assertEquals("wm:END", seen().get(seen().size() - 1));
    }

    @Test
    void anIdleSecondInputDoesNotHoldTheFirstBack()
    {
        startTask(true);
        write(2, true);
        write(0, 10);
        write(1, 15);
        Poll.until("input 1's watermark alone", () -> seen().contains("wm:10"));
        write(2, 12, "x");
        // x follows 12 on its channel: once it is seen, input 2 is back, behind the output.
        Poll.until("input 2 back at 12", () -> seen().contains("2:x"));
        write(0, 50);
        write(1, 50);
        Poll.until("the output held by input 2", () -> seen().contains("wm:12"));
        assertFalse(seen().contains("idle"), "one input active keeps the operator active");
        end();
    }

    @Test
    void alignedEveryChannelOfBothInputsMustDeliverTheBarrier()
    {
        startTask(true);
        write(0, "a1", 5L, "a2");
        write(2, "b1", 5L, "b2");
        write(1, "c1");
        Poll.until("c1", () -> seen().contains("1:c1"));
        assertTrue(!seen().contains("1:a2") && !seen().contains("2:b2") && !seen().contains("snapshot5"), "held: " + seen());
        write(1, 5L, "c2");
        Poll.until("everything", () -> seen().size() == 7);
        final List<String> all = seen();
        assertEquals(List.of("1:a1", "1:c1", "2:b1"), all.subList(0, all.indexOf("snapshot5")).stream().sorted().toList());
        end();
    }
}
