package io.tidemark.runtime.broker;

import io.tidemark.log.LogSlice;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.RecordsSend;

/**
 * A fetch response's records that stay in the segment file: the response encoder
 * ({@link FrameWriter}) sends them as a {@link SliceRegion} instead of copying them into the
 * response buffer. Kafka's message classes only ask for the size.
 */
public final class SliceRecords implements BaseRecords
{
    private final LogSlice slice;

    /**
     * @param slice the stored batches to send.
     */
    public SliceRecords(final LogSlice slice)
    {
        this.slice = slice;
    }

    /**
     * @return the stored batches.
     */
    public LogSlice slice()
    {
        return slice;
    }

    @Override
    public int sizeInBytes()
    {
        return slice.sizeInBytes();
    }

    @Override
    public RecordsSend<? extends BaseRecords> toSend()
    {
        // Kafka's own network layer would call this; Tidemark's never does.
        throw new UnsupportedOperationException("a slice is sent by FrameWriter as a file region");
    }
}
