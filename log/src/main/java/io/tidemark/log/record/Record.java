package io.tidemark.log.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A cursor over the records of one batch, obtained from {@link RecordBatch#records()}. Each
 * {@link #next()} decodes one record in place; the accessors then describe it. Keys, values
 * and headers stay where the records lie, the batch's buffer (or, for a compressed batch, the
 * view's buffer of its decompressed records): {@link #keyOffset()} and {@link #valueOffset()}
 * are absolute indexes into {@link #buffer()}, so a reader can use them without copying.
 * The copying accessors ({@link #key()}, {@link #value()}, {@link #headers()}) are for
 * convenience off the hot path.
 */
public final class Record
{
    private ByteBuffer buffer;
    private int position;
    private int end;
    private int remaining;
    private long baseOffset;
    private long baseTimestamp;
    private long logAppendTime;

    private int start;
    private long offset;
    private long timestamp;
    private int keyOffset;
    private int keyLength;
    private int valueOffset;
    private int valueLength;
    private int headerCount;
    private int headersOffset;

    void reset(
        final ByteBuffer buffer,
        final int start,
        final int end,
        final int count,
        final long baseOffset,
        final long baseTimestamp,
        final long logAppendTime)
    {
        this.buffer = buffer;
        this.position = start;
        this.end = end;
        this.remaining = count;
        this.baseOffset = baseOffset;
        this.baseTimestamp = baseTimestamp;
        this.logAppendTime = logAppendTime;
    }

    /**
     * Moves to the next record.
     *
     * @return false when the batch has no more records.
     * @throws CorruptRecordException if the record's encoding runs past the batch or does not
     *         add up to its length.
     */
    public boolean next()
    {
        if (remaining == 0)
        {
            return false;
        }
        remaining--;
        start = position;
        final int length = readVarint();
        final int recordEnd = position + length;
        if (length < 0 || recordEnd > end)
        {
            throw new CorruptRecordException("record length " + length + " runs past the end of its batch");
        }
        position++; // attributes, unused
        final long timestampDelta = readVarlong();
        offset = baseOffset + readVarint();
        timestamp = logAppendTime != RecordBatchLayout.NO_TIMESTAMP ? logAppendTime : baseTimestamp + timestampDelta;
        keyLength = readVarint();
        keyOffset = position;
        skip(keyLength, recordEnd);
        valueLength = readVarint();
        valueOffset = position;
        skip(valueLength, recordEnd);
        headerCount = readVarint();
        if (headerCount < 0)
        {
            throw new CorruptRecordException("negative header count " + headerCount);
        }
        headersOffset = position;
        for (int i = 0; i < headerCount; i++)
        {
            final int keyLen = readVarint();
            if (keyLen < 0)
            {
                throw new CorruptRecordException("header key of negative length " + keyLen);
            }
            skip(keyLen, recordEnd);
            skip(readVarint(), recordEnd);
        }
        if (position != recordEnd)
        {
            throw new CorruptRecordException("record at offset " + offset + " does not add up to its length " + length);
        }
        return true;
    }

    /**
     * @return the buffer that {@link #keyOffset()} and {@link #valueOffset()} index into: the
     *         batch's own, or the decompressed records of a compressed batch (read-only,
     *         valid until its view is wrapped again).
     */
    public ByteBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return where the record's encoding (its length varint first) starts in {@link #buffer()}:
     *         the record occupies the bytes from here to {@link #end()}.
     */
    public int start()
    {
        return start;
    }

    /**
     * @return where the record's encoding ends in {@link #buffer()} (exclusive).
     */
    public int end()
    {
        return position;
    }

    /**
     * @return the record's offset in the log.
     */
    public long offset()
    {
        return offset;
    }

    /**
     * @return the record's timestamp (the batch's log-append time for such batches).
     */
    public long timestamp()
    {
        return timestamp;
    }

    /**
     * @return the key's length in bytes, or -1 for a null key.
     */
    public int keyLength()
    {
        return keyLength;
    }

    /**
     * @return the absolute index of the key's first byte in {@link #buffer()}.
     */
    public int keyOffset()
    {
        return keyOffset;
    }

    /**
     * @return the value's length in bytes, or -1 for a null value.
     */
    public int valueLength()
    {
        return valueLength;
    }

    /**
     * @return the absolute index of the value's first byte in {@link #buffer()}.
     */
    public int valueOffset()
    {
        return valueOffset;
    }

    /**
     * @return how many headers the record has.
     */
    public int headerCount()
    {
        return headerCount;
    }

    /**
     * @return a copy of the key, or null.
     */
    public byte[] key()
    {
        return copy(keyOffset, keyLength);
    }

    /**
     * @return a copy of the value, or null.
     */
    public byte[] value()
    {
        return copy(valueOffset, valueLength);
    }

    /**
     * Decodes the headers into a new list.
     *
     * @return the headers, in order; empty if none.
     */
    public List<Header> headers()
    {
        final List<Header> headers = new ArrayList<>(headerCount);
        final int saved = position;
        position = headersOffset;
        for (int i = 0; i < headerCount; i++)
        {
            final int keyLen = readVarint();
            final String key = new String(copy(position, keyLen), StandardCharsets.UTF_8);
            position += keyLen;
            final int valueLen = readVarint();
            headers.add(new Header(key, copy(position, valueLen)));
            position += Math.max(valueLen, 0);
        }
        position = saved;
        return headers;
    }

    private byte[] copy(final int index, final int length)
    {
        if (length < 0)
        {
            return null;
        }
        final byte[] bytes = new byte[length];
        buffer.get(index, bytes);
        return bytes;
    }

    private void skip(final int length, final int recordEnd)
    {
        if (length > 0)
        {
            if (length > recordEnd - position)
            {
                throw new CorruptRecordException("field of " + length + " bytes runs past the end of its record");
            }
            position += length;
        }
        else if (length < -1)
        {
            throw new CorruptRecordException("invalid field length " + length);
        }
    }

    private int readVarint()
    {
        int raw = 0;
        for (int shift = 0; shift < 35; shift += 7)
        {
            if (position >= end)
            {
                throw new CorruptRecordException("varint runs past the end of its batch");
            }
            final byte b = buffer.get(position++);
            raw |= (b & 0x7F) << shift;
            if (b >= 0)
            {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new CorruptRecordException("varint longer than " + Varint.MAX_VARINT_SIZE + " bytes");
    }

    private long readVarlong()
    {
        long raw = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (position >= end)
            {
                throw new CorruptRecordException("varlong runs past the end of its batch");
            }
            final byte b = buffer.get(position++);
            raw |= (long)(b & 0x7F) << shift;
            if (b >= 0)
            {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new CorruptRecordException("varlong longer than " + Varint.MAX_VARLONG_SIZE + " bytes");
    }
}
