package io.tidemark.engine.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemark.engine.graph.JobGraph;
import io.tidemark.engine.graph.Partitioning;
import io.tidemark.engine.graph.StreamGraph;
import io.tidemark.engine.graph.StreamNode;
import io.tidemark.engine.operator.AbstractStreamOperator;
import io.tidemark.engine.operator.OneInputOperator;
import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.source.CollectionSource;
import io.tidemark.engine.time.Watermark;
import io.tidemark.engine.time.WatermarkStrategy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An operator restored with a watermark holds back its input's watermarks behind it; its
 * watermark metric shows the restored one from the start, not NONE until the input catches up.
 */
class RestoredWatermarkMetricTest
{
    /** Keeps its watermark in its snapshot, as the window and timer operators do. */
    static final class WatermarkKeeper extends AbstractStreamOperator<Object> implements OneInputOperator<Object, Object>
    {
        private long watermark = Watermark.NONE;

        @Override
        public void processElement(final Object value, final long timestamp)
        {
        }

        @Override
        public void processWatermark(final long watermark)
        {
            this.watermark = watermark;
        }

        @Override
        public long currentWatermark()
        {
            return watermark;
        }

        @Override
        public void snapshotState(final DataOutput out) throws IOException
        {
            out.writeLong(watermark);
        }

        @Override
        public void restoreState(final DataInput in) throws IOException
        {
            watermark = in.readLong();
        }
    }

    @Test
    void aRestoredOperatorsWatermarkMetricShowsTheRestoredWatermark() throws Exception
    {
        final StreamGraph streamGraph = new StreamGraph();
        final StreamNode source = streamGraph.addSource("source", 1, CollectionSource.of(List.of()), WatermarkStrategy.noWatermarks());
        final StreamNode keeper = streamGraph.addOperator("keeper", 2, WatermarkKeeper::new);
        streamGraph.addEdge(source, keeper, Partitioning.rebalance(), null, 1);
        final JobGraph graph = JobGraph.of(streamGraph);

        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final WatermarkKeeper before = new WatermarkKeeper();
        before.processWatermark(40);
        before.snapshotState(new DataOutputStream(bytes));
        final DataInput snapshot = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));

        final OperatorChain restored = new OperatorChain(graph, graph.vertexOf(keeper), 0, Map.of(), new ExecutionConfig(),
            Map.of(keeper.id(), List.of(snapshot)));
        restored.open();
        assertEquals(40, metricsOf(restored).watermark());

        final OperatorChain fresh = new OperatorChain(graph, graph.vertexOf(keeper), 1, Map.of(), new ExecutionConfig(), null);
        fresh.open();
        assertEquals(Watermark.NONE, metricsOf(fresh).watermark(), "a fresh start has seen no watermark");
    }

    private static OperatorMetrics metricsOf(final OperatorChain chain)
    {
        return chain.metrics().get(chain.metrics().size() - 1);
    }
}
