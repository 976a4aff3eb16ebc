package io.tidemark.engine.state;

import java.io.ByteArrayOutputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * What {@link KeyedStateBackend} needs of every state it holds, whatever the state keeps its
 * entries in: the descriptor it was made from, the namespace in force, and snapshots written
 * and read key group by key group, so that a rescaled job can hand each group to the subtask
 * that now owns it.
 *
 * @param <N> the namespace type.
 */
abstract class BackendState<N> implements InternalKvState<N>
{
    final KeyedStateBackend backend;
    private final StateDescriptor<?> descriptor;
    TypeSerializer<N> namespaceSerializer;
    N namespace;

    BackendState(final KeyedStateBackend backend, final StateDescriptor<?> descriptor)
    {
        this.backend = backend;
        this.descriptor = descriptor;
    }

    final StateDescriptor<?> descriptor()
    {
        return descriptor;
    }

    /**
     * Refuses a namespace this kind of state cannot be kept per; every namespace by default.
     *
     * @param namespace a namespace the state is about to be used in.
     * @throws UnsupportedOperationException if the state cannot be kept per that namespace.
     */
    void checkNamespace(final Object namespace)
    {
    }

    @SuppressWarnings("unchecked")
    final void bindNamespace(final TypeSerializer<?> serializer, final Object initial)
    {
        this.namespaceSerializer = (TypeSerializer<N>)serializer;
        this.namespace = (N)initial;
    }

    @Override
    public void setCurrentNamespace(final N namespace)
    {
        this.namespace = namespace;
    }

    /**
     * @param groupIndex a key group, counted from the first this backend owns.
     * @return the number of entries the group holds.
     */
    abstract int entryCount(int groupIndex);

    /**
     * Writes the block of one key group that holds entries; {@link #restoreGroup} reads it.
     *
     * @param groupIndex a key group, counted from the first this backend owns.
     * @param out        where to write.
     */
    abstract void writeGroup(int groupIndex, DataOutput out) throws IOException;

    /**
     * Adds the entries of one key group's block, as {@link #writeGroup} wrote it, to those
     * held; an entry already held for the same key and namespace is replaced.
     *
     * @param keyGroup a key group this backend owns.
     * @param block    the group's block.
     */
    abstract void restoreGroup(int keyGroup, byte[] block) throws IOException;

    /**
     * @return the number of entries held, over every key group.
     */
    final int entryCount()
    {
        int count = 0;
        for (int index = 0; index < backend.keyGroupRange().size(); index++)
        {
            count += entryCount(index);
        }
        return count;
    }

    /**
     * Writes every key group that holds entries: the number of such groups, then for each the
     * key group, the length of its block, and the block. The length lets a backend take a
     * group apart from the others without this state's serializers, before the state is
     * registered.
     */
    final void snapshot(final DataOutput out) throws IOException
    {
        final int owned = backend.keyGroupRange().size();
        int groups = 0;
        for (int index = 0; index < owned; index++)
        {
            groups += entryCount(index) > 0 ? 1 : 0;
        }
        out.writeInt(groups);
        final ByteArrayOutputStream block = new ByteArrayOutputStream();
        final DataOutputStream blockOut = new DataOutputStream(block);
        for (int index = 0; index < owned; index++)
        {
            if (entryCount(index) == 0)
            {
                continue;
            }
            block.reset();
            writeGroup(index, blockOut);
            out.writeInt(backend.keyGroupRange().start() + index);
            out.writeInt(block.size());
            out.write(block.toByteArray());
        }
    }
}
