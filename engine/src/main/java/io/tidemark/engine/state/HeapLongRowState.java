package io.tidemark.engine.state;

import java.io.ByteArrayInputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;

/**
 * {@link LongRowState} on the heap: one {@link LongRowTable} per key group. A key group's
 * snapshot block is the row width, then the table's entries; a block of rows of another width
 * is refused on restore rather than read askew. (The width tells rows apart from rows, not
 * from another kind of state that a job renamed to this state's name.)
 */
final class HeapLongRowState extends BackendState<VoidNamespace> implements LongRowState
{
    private final int width;
    private final LongRowTable[] tables;

    HeapLongRowState(final KeyedStateBackend backend, final LongRowStateDescriptor descriptor)
    {
        super(backend, descriptor);
        this.width = descriptor.width();
        this.tables = new LongRowTable[backend.keyGroupRange().size()];
    }

    @Override
    public void setCurrentNamespace(final VoidNamespace namespace)
    {
        checkNamespace(namespace);
    }

    @Override
    void checkNamespace(final Object namespace)
    {
        if (namespace != VoidNamespace.INSTANCE)
        {
            throw new UnsupportedOperationException(descriptor() + " has one row per key and cannot be kept per " + namespace);
        }
    }

    @Override
    public int width()
    {
        return width;
    }

    @Override
    public boolean get(final long[] row)
    {
        final long key = currentKey();
        final LongRowTable table = tables[backend.currentKeyGroupIndex()];
        return table != null && table.get(key, row);
    }

    @Override
    public void put(final long[] row)
    {
        final long key = currentKey();
        final int index = backend.currentKeyGroupIndex();
        LongRowTable table = tables[index];
        if (table == null)
        {
            table = new LongRowTable(width);
            tables[index] = table;
        }
        table.put(key, row);
    }

    @Override
    public void clear()
    {
        final long key = currentKey();
        final LongRowTable table = tables[backend.currentKeyGroupIndex()];
        if (table != null)
        {
            table.remove(key);
        }
    }

    private long currentKey()
    {
        if (!backend.currentKeyIsLong())
        {
            throw new IllegalStateException(descriptor() + " needs Long keys, not " + backend.currentKey().getClass().getName());
        }
        return backend.currentLongKey();
    }

    @Override
    int entryCount(final int groupIndex)
    {
        final LongRowTable table = tables[groupIndex];
        return table == null ? 0 : table.size();
    }

    @Override
    void writeGroup(final int groupIndex, final DataOutput out) throws IOException
    {
        out.writeInt(width);
        tables[groupIndex].writeTo(out);
    }

    @Override
    void restoreGroup(final int keyGroup, final byte[] block) throws IOException
    {
        final DataInput in = new DataInputStream(new ByteArrayInputStream(block));
        final int written = in.readInt();
        if (written != width)
        {
            throw new IOException(descriptor() + " restores rows of " + written + " longs, not " + width);
        }
        final int index = keyGroup - backend.keyGroupRange().start();
        if (tables[index] == null)
        {
            tables[index] = new LongRowTable(width);
        }
        tables[index].readFrom(in, new long[width]);
    }
}
