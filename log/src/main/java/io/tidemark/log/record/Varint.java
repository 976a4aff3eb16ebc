package io.tidemark.log.record;

import java.nio.ByteBuffer;

/**
 * Zig-zag variable-length integers as the record format uses them: seven bits a byte, least
 * significant group first, the top bit set on every byte but the last. Zig-zag maps small
 * negative numbers to small positive ones, so -1 (a null key) takes one byte.
 *
 * <p>Reading lives in {@link Record}, which keeps the position as it goes.
 */
public final class Varint
{
    /** The most bytes an encoded 32-bit value takes. */
    public static final int MAX_VARINT_SIZE = 5;
    /** The most bytes an encoded 64-bit value takes. */
    public static final int MAX_VARLONG_SIZE = 10;

    private Varint()
    {
    }

    /**
     * Size of a 32-bit value once encoded.
     *
     * @param value the value.
     * @return 1 to 5.
     */
    public static int sizeOfVarint(final int value)
    {
        final int zigzag = (value << 1) ^ (value >> 31);
        // Each byte carries 7 bits: count the significant bits, round up to groups of 7.
        final int bits = 32 - Integer.numberOfLeadingZeros(zigzag | 1);
        return (bits + 6) / 7;
    }

    /**
     * Size of a 64-bit value once encoded.
     *
     * @param value the value.
     * @return 1 to 10.
     */
    public static int sizeOfVarlong(final long value)
    {
        final long zigzag = (value << 1) ^ (value >> 63);
        final int bits = 64 - Long.numberOfLeadingZeros(zigzag | 1);
        return (bits + 6) / 7;
    }

    /**
     * Writes a 32-bit value at an absolute index.
     *
     * @param buffer the destination; its position is not changed.
     * @param index where the first byte goes.
     * @param value the value.
     * @return the index after the last byte written.
     */
    public static int putVarint(final ByteBuffer buffer, final int index, final int value)
    {
        int zigzag = (value << 1) ^ (value >> 31);
        int i = index;
        while ((zigzag & ~0x7F) != 0)
        {
            buffer.put(i++, (byte)((zigzag & 0x7F) | 0x80));
            zigzag >>>= 7;
        }
        buffer.put(i++, (byte)zigzag);
        return i;
    }

    /**
     * Writes a 64-bit value at an absolute index.
     *
     * @param buffer the destination; its position is not changed.
     * @param index where the first byte goes.
     * @param value the value.
     * @return the index after the last byte written.
     */
    public static int putVarlong(final ByteBuffer buffer, final int index, final long value)
    {
        long zigzag = (value << 1) ^ (value >> 63);
        int i = index;
        while ((zigzag & ~0x7FL) != 0)
        {
            buffer.put(i++, (byte)((zigzag & 0x7F) | 0x80));
            zigzag >>>= 7;
        }
        buffer.put(i++, (byte)zigzag);
        return i;
    }
}
