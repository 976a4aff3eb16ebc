package io.tidemark.log.record;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import org.xerial.snappy.SnappyInputStream;
import org.xerial.snappy.SnappyOutputStream;

/**
 * The codecs a record batch's records may be compressed with: attribute bits 0-2, with Kafka's
 * ids and names (those of {@code compression.type}). Each codec frames its bytes as Kafka's
 * clients do, so either side reads what the other writes: gzip is the JDK's, snappy is
 * snappy-java's stream framing, lz4 is the LZ4 frame format ({@link Lz4Frame}), and zstd is a
 * zstd frame (zstd-jni). Only the records are compressed, never the batch header.
 */
public enum CompressionCodec
{
    /** Records stored as they are: decompressing or compressing copies them. */
    NONE(0, "none")
    {
        @Override
        void decompress(final ByteBuffer src, final int from, final int to, final RecordsBuffer out)
        {
            out.reserve(to - from);
            src.get(from, out.array(), out.size(), to - from);
            out.advance(to - from);
        }

        @Override
        int compress(final RecordsBuffer records, final ByteBuffer dest, final int from, final int to)
        {
            if (records.size() > to - from)
            {
                return -1;
            }
            dest.put(from, records.array(), 0, records.size());
            return from + records.size();
        }
    },
    /** Deflate in a gzip container. */
    GZIP(1, "gzip")
    {
        @Override
        void decompress(final ByteBuffer src, final int from, final int to, final RecordsBuffer out)
        {
            readAll(src, from, to, out, in -> new GZIPInputStream(in, STREAM_BUFFER_SIZE));
        }

        @Override
        int compress(final RecordsBuffer records, final ByteBuffer dest, final int from, final int to)
        {
            return writeAll(records, dest, from, to, out -> new GZIPOutputStream(out, STREAM_BUFFER_SIZE));
        }
    },
    /** Snappy in snappy-java's stream framing. */
    SNAPPY(2, "snappy")
    {
        @Override
        void decompress(final ByteBuffer src, final int from, final int to, final RecordsBuffer out)
        {
            readAll(src, from, to, out, SnappyInputStream::new);
        }

        @Override
        int compress(final RecordsBuffer records, final ByteBuffer dest, final int from, final int to)
        {
            return writeAll(records, dest, from, to, SnappyOutputStream::new);
        }
    },
    /** The LZ4 frame format, read and written without streams. */
    LZ4(3, "lz4")
    {
        @Override
        void decompress(final ByteBuffer src, final int from, final int to, final RecordsBuffer out)
        {
            Lz4Frame.decompress(src, from, to, out);
        }

        @Override
        int compress(final RecordsBuffer records, final ByteBuffer dest, final int from, final int to)
        {
            return Lz4Frame.compress(records.buffer(), records.size(), dest, from, to);
        }
    },
    /** One zstd frame, at zstd's (and Kafka's) default level 3; read in one call ({@link ZstdDecoder}). */
    ZSTD(4, "zstd")
    {
        @Override
        void decompress(final ByteBuffer src, final int from, final int to, final RecordsBuffer out)
        {
            out.zstd().decompress(src, from, to, out);
        }

        @Override
        int compress(final RecordsBuffer records, final ByteBuffer dest, final int from, final int to)
        {
            return writeAll(records, dest, from, to, out -> new ZstdOutputStreamNoFinalizer(out, RecyclingBufferPool.INSTANCE, ZSTD_LEVEL));
        }
    };

    private static final int STREAM_BUFFER_SIZE = 8192;
    private static final int ZSTD_LEVEL = 3;
    private static final CompressionCodec[] BY_ID = values();

    private final int id;
    private final String kafkaName;

    CompressionCodec(final int id, final String kafkaName)
    {
        this.id = id;
        this.kafkaName = kafkaName;
    }

    /**
     * @return the id in a batch's attributes.
     */
    public int id()
    {
        return id;
    }

    /**
     * @return the name {@code compression.type} gives it.
     */
    public String kafkaName()
    {
        return kafkaName;
    }

    /**
     * The codec a batch's attribute bits name.
     *
     * @param id the attribute bits 0-2.
     * @param baseOffset the batch's offset, for the error.
     * @return the codec.
     * @throws UnsupportedCompressionException for an id no codec has (5 to 7).
     */
    public static CompressionCodec forId(final int id, final long baseOffset)
    {
        if (id < 0 || id >= BY_ID.length)
        {
            throw new UnsupportedCompressionException(id, baseOffset);
        }
        return BY_ID[id];
    }

    /**
     * The codec {@code compression.type} names.
     *
     * @param name none, gzip, snappy, lz4 or zstd.
     * @return the codec.
     * @throws IllegalArgumentException for any other name.
     */
    public static CompressionCodec forName(final String name)
    {
        for (final CompressionCodec codec : BY_ID)
        {
            if (codec.kafkaName.equals(name))
            {
                return codec;
            }
        }
        throw new IllegalArgumentException("unknown compression type '" + name + "'; known: none, gzip, snappy, lz4, zstd");
    }

    /**
     * Decompresses the records of a batch, appending them to {@code out}.
     *
     * @param src the batch's buffer.
     * @param from the index of the first compressed byte.
     * @param to the index after the last.
     * @param out where the records go.
     * @throws CorruptRecordException if the bytes do not decompress.
     */
    abstract void decompress(ByteBuffer src, int from, int to, RecordsBuffer out);

    /**
     * Compresses the records into {@code dest} from {@code from}, without reaching {@code to}.
     *
     * @param records the records, uncompressed.
     * @param dest the batch's buffer.
     * @param from where the compressed bytes start.
     * @param to the index they must stay below.
     * @return the index after the compressed bytes, or -1 if they do not fit.
     */
    abstract int compress(RecordsBuffer records, ByteBuffer dest, int from, int to);

    private static void readAll(final ByteBuffer src, final int from, final int to, final RecordsBuffer out,
        final StreamWrapper<InputStream> codec)
    {
        try (InputStream in = codec.wrap(new BufferRegionStreams.In(src, from, to)))
        {
            out.readFully(in);
        }
        catch (final CorruptRecordException e)
        {
            throw e;
        }
        catch (final IOException | RuntimeException e)
        {
            // The codec libraries report bad input with IOExceptions and unchecked exceptions alike.
            throw new CorruptRecordException("the records do not decompress: " + e, e);
        }
    }

    private static int writeAll(final RecordsBuffer records, final ByteBuffer dest, final int from, final int to,
        final StreamWrapper<OutputStream> codec)
    {
        final BufferRegionStreams.Out region = new BufferRegionStreams.Out(dest, from, to);
        try (OutputStream out = codec.wrap(region))
        {
            out.write(records.array(), 0, records.size());
        }
        catch (final BufferOverflowException e)
        {
            return -1;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot compress records: " + e.getMessage(), e);
        }
        return region.position();
    }

    /** Opens a codec's stream over another. */
    @FunctionalInterface
    private interface StreamWrapper<S>
    {
        S wrap(S stream) throws IOException;
    }
}
