package io.tidemark.log.record;

import java.nio.ByteBuffer;

import static io.tidemark.log.record.RecordBatchLayout.LENGTH_OFFSET;
import static io.tidemark.log.record.RecordBatchLayout.LOG_OVERHEAD;

/**
 * Walks the batches laid back to back in a buffer, as a read from the log returns them. A
 * batch cut short at the end (a fetch's byte limit falls inside it) ends the walk: it is not
 * an error, the next read starts there. Optionally checks each batch's CRC, as Kafka
 * consumers do with {@code check.crcs}.
 */
public final class RecordBatchCursor
{
    private final RecordBatch batch = new RecordBatch();
    private ByteBuffer buffer;
    private int next;
    private int end;
    private boolean checkCrc;

    /**
     * Positions the cursor before the first batch in {@code buffer} between its position and
     * limit.
     *
     * @param buffer the bytes; its position and limit are read, not changed.
     * @param checkCrc whether to validate each batch before returning it.
     * @return this cursor.
     */
    public RecordBatchCursor wrap(final ByteBuffer buffer, final boolean checkCrc)
    {
        this.buffer = buffer;
        this.next = buffer.position();
        this.end = buffer.limit();
        this.checkCrc = checkCrc;
        return this;
    }

    /**
     * Moves to the next whole batch.
     *
     * @return false if no whole batch is left.
     * @throws CorruptRecordException if CRC checking is on and the batch fails it.
     */
    public boolean next()
    {
        if (end - next < LOG_OVERHEAD)
        {
            return false;
        }
        final long size = (long)LOG_OVERHEAD + buffer.getInt(next + LENGTH_OFFSET);
        if (size > end - next)
        {
            return false;
        }
        batch.wrap(buffer, next);
        if (checkCrc)
        {
            batch.validate(end - next, Integer.MAX_VALUE);
        }
        next += (int)size;
        return true;
    }

    /**
     * @return the current batch; valid until the next call to {@link #next()}.
     */
    public RecordBatch batch()
    {
        return batch;
    }

    /**
     * @return the index just after the last whole batch returned.
     */
    public int position()
    {
        return next;
    }
}
