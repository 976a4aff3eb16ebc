package io.tidemark.log.record;

import java.nio.ByteBuffer;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.kafka.common.utils.ByteUtils;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Our varints against kafka-clients' ByteUtils: same sizes, same bytes. */
class VarintProperties
{
    @Property
    void varintsMatchKafka(@ForAll final int value)
    {
        final ByteBuffer theirs = ByteBuffer.allocate(Varint.MAX_VARINT_SIZE);
        ByteUtils.writeVarint(value, theirs);
        final ByteBuffer ours = ByteBuffer.allocate(Varint.MAX_VARINT_SIZE);
        final int end = Varint.putVarint(ours, 0, value);
        assertEquals(ByteUtils.sizeOfVarint(value), Varint.sizeOfVarint(value));
        assertEquals(theirs.position(), end);
        assertEquals(theirs.flip(), ours.limit(end));
    }

    @Property
    void varlongsMatchKafka(@ForAll final long value)
    {
        final ByteBuffer theirs = ByteBuffer.allocate(Varint.MAX_VARLONG_SIZE);
        ByteUtils.writeVarlong(value, theirs);
        final ByteBuffer ours = ByteBuffer.allocate(Varint.MAX_VARLONG_SIZE);
        final int end = Varint.putVarlong(ours, 0, value);
        assertEquals(ByteUtils.sizeOfVarlong(value), Varint.sizeOfVarlong(value));
        assertEquals(theirs.flip(), ours.limit(end));
    }
}
