package io.tidemark.engine.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The chunked output writes exactly the bytes a {@link DataOutputStream} writes, whatever the
 * mix of calls, across chunk boundaries and with arrays larger than a chunk.
 */
class ChunkedOutputProperties
{
    @Property(tries = 60)
    void writesTheBytesOfADataOutputStream(@ForAll final long seed, @ForAll @IntRange(min = 0, max = 20_000) final int calls) throws IOException
    {
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        write(new DataOutputStream(expected), seed, calls);
        final ByteArrayOutputStream actual = new ByteArrayOutputStream();
        final ChunkedOutput chunked = new ChunkedOutput(new DataOutputStream(actual));
        write(chunked, seed, calls);
        chunked.flush();
        assertArrayEquals(expected.toByteArray(), actual.toByteArray());
    }

    private static void write(final DataOutput out, final long seed, final int calls) throws IOException
    {
        final Random random = new Random(seed);
        for (int i = 0; i < calls; i++)
        {
            // Strings pass what is gathered on, so they are rare: chunks fill up between them.
            final int kind = random.nextInt(100_000);
            switch (kind < 99_990 ? kind % 10 : 10 + kind % 3)
            {
                case 0 -> out.write(random.nextInt());
                case 1 -> out.writeBoolean(random.nextBoolean());
                case 2 -> out.writeByte(random.nextInt());
                case 3 -> out.writeShort(random.nextInt());
                case 4 -> out.writeChar(random.nextInt());
                case 5 -> out.writeInt(random.nextInt());
                case 6 -> out.writeLong(random.nextLong());
                case 7 -> out.writeFloat(random.nextFloat());
                case 8 -> out.writeDouble(random.nextDouble());
                case 10 -> out.writeUTF("é\u0000" + random.nextInt());
                case 11 -> out.writeChars("ü" + random.nextInt());
                case 12 -> out.writeBytes("b" + random.nextInt());
                default ->
                {
                    // Now and then an array larger than a chunk.
                    final byte[] bytes = new byte[random.nextInt(100) == 0 ? 70_000 + random.nextInt(70_000) : random.nextInt(300)];
                    random.nextBytes(bytes);
                    final int off = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
                    out.write(bytes, off, bytes.length - off);
                }
            }
        }
    }
}
