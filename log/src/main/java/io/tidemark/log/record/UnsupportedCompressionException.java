package io.tidemark.log.record;

import io.tidemark.log.errors.LogException;

/**
 * A batch whose attributes name a compression codec that does not exist (ids 5 to 7): Kafka's
 * are 1 gzip, 2 snappy, 3 lz4 and 4 zstd. The log refuses to append such a batch, and a reader
 * fails on one rather than guess at its records.
 */
public final class UnsupportedCompressionException extends LogException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param codec the codec id from the batch attributes.
     * @param baseOffset the offset of the batch, for the message.
     */
    public UnsupportedCompressionException(final int codec, final long baseOffset)
    {
        super("record batch at offset " + baseOffset + " is compressed with codec " + codec +
            ", which is none of 0 none, 1 gzip, 2 snappy, 3 lz4 and 4 zstd");
    }
}
