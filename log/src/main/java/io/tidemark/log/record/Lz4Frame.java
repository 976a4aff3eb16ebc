package io.tidemark.log.record;

import java.nio.ByteBuffer;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Kafka's lz4: the LZ4 frame format (magic, frame descriptor, blocks of at most the
 * descriptor's block size, an end mark), which Kafka writes with independent 64 KiB blocks and
 * no checksums but the descriptor's. The blocks go through lz4-java; the frame is read and
 * written here, straight between the batch's buffer and a {@link RecordsBuffer}, so that a
 * batch costs no stream objects or block buffers. Integers in the frame are little-endian.
 */
final class Lz4Frame
{
    private static final int MAGIC = 0x184D2204;
    private static final int SUPPORTED_VERSION = 1;
    private static final int FLG_BLOCK_INDEPENDENCE = 0x20;
    private static final int FLG_BLOCK_CHECKSUM = 0x10;
    private static final int FLG_CONTENT_SIZE = 0x08;
    private static final int FLG_CONTENT_CHECKSUM = 0x04;
    private static final int FLG_RESERVED_OR_DICTIONARY = 0x03;
    /** Block size id 4 (64 KiB), as Kafka writes. */
    private static final int BLOCK_SIZE_ID = 4;
    private static final int BLOCK_SIZE = blockSize(BLOCK_SIZE_ID);
    private static final int UNCOMPRESSED_BLOCK_FLAG = 0x8000_0000;
    /** Magic, FLG, BD and the descriptor checksum, as written without a content size. */
    private static final int HEADER_SIZE = 7;
    private static final int END_MARK_SIZE = 4;

    private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4Factory.fastestInstance().safeDecompressor();
    private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
    private static final XXHash32 XXHASH = XXHashFactory.fastestInstance().hash32();

    private Lz4Frame()
    {
    }

    /**
     * Decompresses the frame in {@code src} from {@code from} to {@code to}, appending to
     * {@code out}.
     *
     * @throws CorruptRecordException if it is not a well-formed frame, a checksum fails, or a
     *         block does not decompress.
     */
    static void decompress(final ByteBuffer src, final int from, final int to, final RecordsBuffer out)
    {
        int i = from;
        need(i, HEADER_SIZE, to);
        if (intLe(src, i) != MAGIC)
        {
            throw new CorruptRecordException("lz4 frame magic " + Integer.toHexString(intLe(src, i)) + " is not " + Integer.toHexString(MAGIC));
        }
        final int flg = src.get(i + 4) & 0xFF;
        if (flg >>> 6 != SUPPORTED_VERSION || (flg & FLG_RESERVED_OR_DICTIONARY) != 0)
        {
            throw new CorruptRecordException("lz4 frame descriptor " + Integer.toHexString(flg) + ": version 1 without dictionary is read");
        }
        if ((flg & FLG_BLOCK_INDEPENDENCE) == 0)
        {
            throw new CorruptRecordException("lz4 frame of linked blocks: Kafka's independent blocks are read");
        }
        final int bd = src.get(i + 5) & 0xFF;
        final int blockSizeId = (bd >>> 4) & 0x07;
        if (blockSizeId < 4 || (bd & 0x8F) != 0)
        {
            throw new CorruptRecordException("lz4 block descriptor " + Integer.toHexString(bd) + " is invalid");
        }
        final int maxBlock = blockSize(blockSizeId);
        final int descriptorSize = (flg & FLG_CONTENT_SIZE) != 0 ? 10 : 2;
        need(i, 4 + descriptorSize + 1, to);
        final int checksum = (XXHASH.hash(src, i + 4, descriptorSize, 0) >> 8) & 0xFF;
        if (checksum != (src.get(i + 4 + descriptorSize) & 0xFF))
        {
            throw new CorruptRecordException("lz4 frame descriptor checksum mismatch");
        }
        i += 4 + descriptorSize + 1;
        final boolean blockChecksum = (flg & FLG_BLOCK_CHECKSUM) != 0;
        final int contentStart = out.size();
        while (true)
        {
            need(i, 4, to);
            final int header = intLe(src, i);
            i += 4;
            if (header == 0)
            {
                break;
            }
            final int size = header & ~UNCOMPRESSED_BLOCK_FLAG;
            if (size > maxBlock)
            {
                throw new CorruptRecordException("lz4 block of " + size + " bytes exceeds the frame's block size " + maxBlock);
            }
            need(i, size + (blockChecksum ? 4 : 0), to);
            if (blockChecksum && XXHASH.hash(src, i, size, 0) != intLe(src, i + size))
            {
                throw new CorruptRecordException("lz4 block checksum mismatch");
            }
            if ((header & UNCOMPRESSED_BLOCK_FLAG) != 0)
            {
                out.reserve(size);
                src.get(i, out.array(), out.size(), size);
                out.advance(size);
            }
            else
            {
                out.reserve(maxBlock);
                try
                {
                    out.advance(DECOMPRESSOR.decompress(src, i, size, out.buffer(), out.size(), maxBlock));
                }
                catch (final LZ4Exception e)
                {
                    throw new CorruptRecordException("lz4 block does not decompress: " + e.getMessage());
                }
            }
            i += size + (blockChecksum ? 4 : 0);
        }
        if ((flg & FLG_CONTENT_CHECKSUM) != 0)
        {
            need(i, 4, to);
            if (XXHASH.hash(out.buffer(), contentStart, out.size() - contentStart, 0) != intLe(src, i))
            {
                throw new CorruptRecordException("lz4 content checksum mismatch");
            }
        }
    }

    /**
     * Compresses {@code length} bytes of {@code src} into one frame, as Kafka's producer writes
     * it, in {@code dest} from {@code from}, without reaching {@code to}.
     *
     * @return the index after the frame, or -1 if it does not fit.
     */
    static int compress(final ByteBuffer src, final int length, final ByteBuffer dest, final int from, final int to)
    {
        if (to - from < HEADER_SIZE + END_MARK_SIZE)
        {
            return -1;
        }
        putIntLe(dest, from, MAGIC);
        dest.put(from + 4, (byte)((SUPPORTED_VERSION << 6) | FLG_BLOCK_INDEPENDENCE));
        dest.put(from + 5, (byte)(BLOCK_SIZE_ID << 4));
        dest.put(from + 6, (byte)((XXHASH.hash(dest, from + 4, 2, 0) >> 8) & 0xFF));
        int i = from + HEADER_SIZE;
        for (int block = 0; block < length; block += BLOCK_SIZE)
        {
            final int raw = Math.min(BLOCK_SIZE, length - block);
            final int room = to - i - 4 - END_MARK_SIZE;
            int written = -1;
            try
            {
                // A block that does not shrink is stored as it is, as the format allows.
                written = room > 0 ? COMPRESSOR.compress(src, block, raw, dest, i + 4, Math.min(room, raw - 1)) : -1;
            }
            catch (final LZ4Exception e)
            {
                written = -1;
            }
            if (written > 0)
            {
                putIntLe(dest, i, written);
            }
            else if (raw <= room)
            {
                putIntLe(dest, i, raw | UNCOMPRESSED_BLOCK_FLAG);
                dest.put(i + 4, src, block, raw);
                written = raw;
            }
            else
            {
                return -1;
            }
            i += 4 + written;
        }
        putIntLe(dest, i, 0);
        return i + END_MARK_SIZE;
    }

    private static int blockSize(final int id)
    {
        return 1 << (2 * id + 8);
    }

    private static void need(final int index, final int count, final int end)
    {
        if (count > end - index)
        {
            throw new CorruptRecordException("lz4 frame cut short: " + count + " more bytes needed, " + Math.max(0, end - index) + " left");
        }
    }

    private static int intLe(final ByteBuffer buffer, final int index)
    {
        return Integer.reverseBytes(buffer.getInt(index));
    }

    private static void putIntLe(final ByteBuffer buffer, final int index, final int value)
    {
        buffer.putInt(index, Integer.reverseBytes(value));
    }
}
