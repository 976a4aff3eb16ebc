package io.tidemark.engine.operator;

import io.tidemark.engine.checkpoint.OperatorSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.tidemark.engine.sink.Sink;
import io.tidemark.engine.sink.SinkWriter;

/**
 * Hands records to a {@link Sink}'s writer for this subtask. The end of a pipeline: it emits
 * nothing and forwards no watermark.
 *
 * @param <T> the record type.
 */
public final class SinkOperator<T> extends AbstractOperator<T, Void>
{
    private final Sink<T> sink;
    private final List<DataInput> restored = new ArrayList<>();
    private SinkWriter<T> writer;

    /**
     * @param sink the sink.
     */
    public SinkOperator(final Sink<T> sink)
    {
        this.sink = sink;
    }

    /**
     * The writer is made once the restored state, if any, is known: a restored writer first
     * finishes what the checkpoint left.
     */
    @Override
    public void restoreFinished() throws Exception
    {
        writer = restored.isEmpty() ? sink.createWriter(context.subtaskIndex(), context.parallelism())
            : sink.restoreWriter(context.subtaskIndex(), context.parallelism(), List.copyOf(restored));
        restored.clear();
    }

    @Override
    public void restoreState(final DataInput in) throws IOException
    {
        restored.add(in);
    }

    @Override
    public void prepareSnapshotPreBarrier(final long checkpointId) throws Exception
    {
        writer.preCommit(checkpointId);
    }

    @Override
    public OperatorSnapshot snapshot(final long checkpointId) throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        writer.snapshotState(checkpointId, new DataOutputStream(bytes));
        final byte[] captured = bytes.toByteArray();
        return captured.length == 0 ? OperatorSnapshot.EMPTY : out -> out.write(captured);
    }

    @Override
    public void notifyCheckpointComplete(final long checkpointId) throws Exception
    {
        writer.commit(checkpointId);
    }

    @Override
    public boolean retainsInput()
    {
        return sink.keepsRecords();
    }

    @Override
    public void processElement(final T value, final long timestamp) throws Exception
    {
        writer.write(value, timestamp);
    }

    @Override
    public void processWatermark(final long watermark)
    {
    }

    @Override
    public void processIdle(final boolean idle)
    {
    }

    @Override
    public void endInput() throws Exception
    {
        writer.flush();
    }

    @Override
    public void close() throws Exception
    {
        if (writer != null)
        {
            writer.close();
        }
    }
}
