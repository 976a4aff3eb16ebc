package io.tidemark.log.record;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;

/**
 * Decompresses zstd frames in one call with a native context reused batch after batch: a
 * stream per batch costs a fresh native context and its buffers, several times the work of
 * decoding 100 records. Kafka's producers write frames without a content size, so the output
 * buffer is grown until the frame fits; it keeps its size for the next batch. The context is
 * freed when its owner becomes unreachable.
 */
final class ZstdDecoder
{
    private static final Cleaner CLEANER = Cleaner.create();
    /** Room for a batch that compressed this many times over, before the first retry. */
    private static final int EXPECTED_RATIO = 8;

    private final ZstdDecompressCtx context = new ZstdDecompressCtx();
    /** A copy of the compressed bytes when they are not in a heap array (a memory map). */
    private byte[] input = new byte[0];

    /**
     * @param owner the object whose unreachability frees the native context.
     */
    ZstdDecoder(final Object owner)
    {
        final ZstdDecompressCtx toFree = context;
        CLEANER.register(owner, toFree::close);
    }

    /**
     * Decompresses the frames in {@code src} from {@code from} to {@code to}, appending to
     * {@code out}.
     *
     * @throws CorruptRecordException if they do not decompress.
     */
    void decompress(final ByteBuffer src, final int from, final int to, final RecordsBuffer out)
    {
        final int length = to - from;
        final byte[] bytes;
        final int offset;
        if (src.hasArray())
        {
            bytes = src.array();
            offset = src.arrayOffset() + from;
        }
        else
        {
            if (input.length < length)
            {
                input = new byte[Math.max(length, 2 * input.length)];
            }
            src.get(from, input, 0, length);
            bytes = input;
            offset = 0;
        }
        out.reserve((int)Math.min(Integer.MAX_VALUE, Math.max(4096L, (long)EXPECTED_RATIO * length)));
        while (true)
        {
            try
            {
                out.advance(context.decompressByteArray(out.array(), out.size(), out.array().length - out.size(), bytes, offset, length));
                return;
            }
            catch (final ZstdException e)
            {
                if (e.getErrorCode() != Zstd.errDstSizeTooSmall())
                {
                    throw new CorruptRecordException("zstd frame does not decompress: " + e.getMessage(), e);
                }
                out.reserve(2 * (out.array().length - out.size()) + 1);
            }
        }
    }
}
