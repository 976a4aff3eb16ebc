package io.tidemark.log.record;

import io.tidemark.log.errors.LogException;

/**
 * A batch whose records are compressed with a codec Tidemark cannot read. The log stores and
 * serves such batches untouched; only walking their records fails.
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
            " (" + codecName(codec) + "); Tidemark reads uncompressed batches only");
    }

    private static String codecName(final int codec)
    {
        return switch (codec)
        {
            case 1 -> "gzip";
            case 2 -> "snappy";
            case 3 -> "lz4";
            case 4 -> "zstd";
            default -> "unknown";
        };
    }
}
