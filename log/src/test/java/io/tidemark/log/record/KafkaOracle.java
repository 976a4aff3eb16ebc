package io.tidemark.log.record;

import java.nio.ByteBuffer;

import org.apache.kafka.common.compress.Compression;

/** What the tests that hold our batches against kafka-clients share. */
public final class KafkaOracle
{
    private KafkaOracle()
    {
    }

    /**
     * @param codec one of ours.
     * @return kafka-clients' compression of the same codec, at its default level.
     */
    public static Compression compression(final CompressionCodec codec)
    {
        return switch (codec)
        {
            case NONE -> Compression.NONE;
            case GZIP -> Compression.gzip().build();
            case SNAPPY -> Compression.snappy().build();
            case LZ4 -> Compression.lz4().build();
            case ZSTD -> Compression.zstd().build();
        };
    }

    /**
     * @param buffer a key or value as kafka-clients gives it, or null.
     * @return a copy of its remaining bytes, or null.
     */
    public static byte[] bytes(final ByteBuffer buffer)
    {
        if (buffer == null)
        {
            return null;
        }
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
