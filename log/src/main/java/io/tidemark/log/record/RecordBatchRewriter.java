package io.tidemark.log.record;

import java.nio.ByteBuffer;

import static io.tidemark.log.record.RecordBatchLayout.ATTRIBUTES_OFFSET;
import static io.tidemark.log.record.RecordBatchLayout.COMPRESSION_CODEC_MASK;
import static io.tidemark.log.record.RecordBatchLayout.CRC_OFFSET;
import static io.tidemark.log.record.RecordBatchLayout.HEADER_SIZE;
import static io.tidemark.log.record.RecordBatchLayout.LENGTH_OFFSET;
import static io.tidemark.log.record.RecordBatchLayout.LOG_OVERHEAD;
import static io.tidemark.log.record.RecordBatchLayout.RECORD_COUNT_OFFSET;

/**
 * A batch rewritten with some of its records, as the log cleaner keeps them: the header stays
 * (base offset, timestamps, producer id, epoch, base sequence, last offset delta, flags), so
 * every kept record keeps its offset; length, record count and CRC are made anew. The records
 * of a compressed batch are compressed again with the batch's codec; a batch left without
 * records is written uncompressed (a header alone, as Kafka writes an empty batch it keeps).
 *
 * <p>Reused batch after batch: it grows to the largest batch and then allocates no more. Not
 * thread-safe.
 */
public final class RecordBatchRewriter
{
    /** The kept records of a compressed batch, uncompressed, until {@link #finish()} compresses them. */
    private final RecordsBuffer records = new RecordsBuffer();
    private final RecordBatch rewritten = new RecordBatch();
    private ByteBuffer batch = ByteBuffer.allocate(HEADER_SIZE);
    private CompressionCodec codec = CompressionCodec.NONE;
    /** The end of the records written into {@link #batch} (uncompressed batches only). */
    private int length;
    private int count;

    /**
     * Starts the rewrite of a batch, copying its header.
     *
     * @param source the batch that {@code view} wraps.
     * @param view the batch, wrapped at {@code source}'s {@code position}.
     * @param position where the batch starts in {@code source}.
     */
    public void begin(final ByteBuffer source, final RecordBatch view, final int position)
    {
        codec = view.compression();
        grow(view.sizeInBytes()); // some of the records, compressed again, rarely outgrow all of them; finish() grows if they do
        batch.clear();
        batch.put(0, source, position, HEADER_SIZE);
        length = HEADER_SIZE;
        count = 0;
        records.clear();
    }

    /**
     * Keeps a record of the batch begun, after those kept before it.
     *
     * @param record the batch's cursor, on the record to keep.
     */
    public void keep(final Record record)
    {
        final int size = record.end() - record.start();
        if (codec == CompressionCodec.NONE)
        {
            batch.put(length, record.buffer(), record.start(), size);
            length += size;
        }
        else
        {
            records.reserve(size);
            record.buffer().get(record.start(), records.array(), records.size(), size);
            records.advance(size);
        }
        count++;
    }

    /**
     * @return how many records have been kept since {@link #begin}.
     */
    public int kept()
    {
        return count;
    }

    /**
     * Ends the rewrite: compresses the kept records if the batch was compressed, and writes
     * length, record count and CRC.
     *
     * @return the rewritten batch, from position 0 to its end; valid until the next {@link #begin}.
     */
    public ByteBuffer finish()
    {
        int end = length;
        if (codec != CompressionCodec.NONE && count == 0)
        {
            batch.putShort(ATTRIBUTES_OFFSET, (short)(batch.getShort(ATTRIBUTES_OFFSET) & ~COMPRESSION_CODEC_MASK));
        }
        else if (codec != CompressionCodec.NONE)
        {
            end = codec.compress(records, batch, HEADER_SIZE, batch.capacity());
            while (end < 0)
            {
                grow(2 * batch.capacity());
                end = codec.compress(records, batch, HEADER_SIZE, batch.capacity());
            }
        }
        batch.putInt(LENGTH_OFFSET, end - LOG_OVERHEAD);
        batch.putInt(RECORD_COUNT_OFFSET, count);
        batch.limit(end);
        batch.putInt(CRC_OFFSET, (int)rewritten.wrap(batch, 0).computeCrc());
        return batch.limit(end).position(0);
    }

    /** Makes the batch's buffer hold at least {@code capacity} bytes, keeping its header. */
    private void grow(final int capacity)
    {
        if (batch.capacity() < capacity)
        {
            final ByteBuffer larger = ByteBuffer.allocate(Math.max(capacity, batch.capacity() * 2));
            larger.put(0, batch, 0, HEADER_SIZE);
            batch = larger;
        }
    }
}
