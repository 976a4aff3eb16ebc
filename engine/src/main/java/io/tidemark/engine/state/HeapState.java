package io.tidemark.engine.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The common part of the heap states: values live in one {@link StateMap} per key group,
 * found through the backend's current key, and are written to and read from snapshots key
 * group by key group so that they can later be redistributed when a job is rescaled.
 *
 * @param <N> the namespace type.
 * @param <V> the stored value type.
 */
abstract class HeapState<N, V> implements InternalKvState<N>
{
    final KeyedStateBackend backend;
    private final StateDescriptor<?> descriptor;
    private final TypeSerializer<V> valueSerializer;
    private final StateMap[] maps;
    private TypeSerializer<N> namespaceSerializer;
    N namespace;

    HeapState(final KeyedStateBackend backend, final StateDescriptor<?> descriptor, final TypeSerializer<V> valueSerializer)
    {
        this.backend = backend;
        this.descriptor = descriptor;
        this.valueSerializer = valueSerializer;
        this.maps = new StateMap[backend.keyGroupRange().size()];
    }

    final StateDescriptor<?> descriptor()
    {
        return descriptor;
    }

    @SuppressWarnings("unchecked")
    final void bindNamespace(final TypeSerializer<?> serializer, final Object initial)
    {
        this.namespaceSerializer = (TypeSerializer<N>)serializer;
        this.namespace = (N)initial;
    }

    @Override
    public final void setCurrentNamespace(final N namespace)
    {
        this.namespace = namespace;
    }

    @Override
    public void clear()
    {
        delete(namespace);
    }

    @SuppressWarnings("unchecked")
    final V read(final N ns)
    {
        final StateMap map = maps[backend.currentKeyGroupIndex()];
        if (map == null)
        {
            return null;
        }
        final int hash = StateMap.hash(backend.currentKeyHash(), ns);
        return (V)(backend.currentKeyIsLong() ? map.getLong(backend.currentLongKey(), ns, hash) : map.get(backend.currentKey(), ns, hash));
    }

    final void write(final N ns, final V value)
    {
        final int index = backend.currentKeyGroupIndex();
        StateMap map = maps[index];
        if (map == null)
        {
            map = new StateMap();
            maps[index] = map;
        }
        final int hash = StateMap.hash(backend.currentKeyHash(), ns);
        if (backend.currentKeyIsLong())
        {
            map.putLong(backend.currentLongKey(), ns, hash, value);
        }
        else
        {
            map.put(backend.currentKey(), ns, hash, value);
        }
    }

    @SuppressWarnings("unchecked")
    final V delete(final N ns)
    {
        final StateMap map = maps[backend.currentKeyGroupIndex()];
        if (map == null)
        {
            return null;
        }
        final int hash = StateMap.hash(backend.currentKeyHash(), ns);
        return (V)(backend.currentKeyIsLong() ? map.removeLong(backend.currentLongKey(), ns, hash) : map.remove(backend.currentKey(), ns, hash));
    }

    /**
     * @return the number of (key, namespace) entries held, over every key group.
     */
    final int entryCount()
    {
        int count = 0;
        for (final StateMap map : maps)
        {
            count += map == null ? 0 : map.size();
        }
        return count;
    }

    /**
     * Writes every entry, grouped by key group: the number of groups, then for each the key
     * group, the length of its block, and the block: its entry count, then each entry's key,
     * namespace and value. The length lets a backend take a group apart from the others
     * without this state's serializers, before the state is registered.
     */
    @SuppressWarnings("unchecked")
    final void snapshot(final DataOutput out) throws IOException
    {
        final TypeSerializer<Object> keys = backend.keySerializer();
        int groups = 0;
        for (final StateMap map : maps)
        {
            groups += map != null && map.size() > 0 ? 1 : 0;
        }
        out.writeInt(groups);
        final ByteArrayOutputStream block = new ByteArrayOutputStream();
        final DataOutputStream blockOut = new DataOutputStream(block);
        for (int index = 0; index < maps.length; index++)
        {
            final StateMap map = maps[index];
            if (map == null || map.size() == 0)
            {
                continue;
            }
            block.reset();
            blockOut.writeInt(map.size());
            map.forEach((key, ns, value) ->
            {
                keys.serialize(key, blockOut);
                namespaceSerializer.serialize((N)ns, blockOut);
                valueSerializer.serialize((V)value, blockOut);
            });
            out.writeInt(backend.keyGroupRange().start() + index);
            out.writeInt(block.size());
            out.write(block.toByteArray());
        }
    }

    /**
     * Adds the entries of one key group's block, as {@link #snapshot} wrote it, to those held;
     * an entry already held for the same key and namespace is replaced.
     *
     * @param keyGroup a key group this backend owns.
     * @param block    the group's block.
     */
    final void restoreGroup(final int keyGroup, final byte[] block) throws IOException
    {
        final DataInput in = new DataInputStream(new ByteArrayInputStream(block));
        final TypeSerializer<Object> keys = backend.keySerializer();
        final int index = keyGroup - backend.keyGroupRange().start();
        if (maps[index] == null)
        {
            maps[index] = new StateMap();
        }
        final int entries = in.readInt();
        for (int e = 0; e < entries; e++)
        {
            final Object key = keys.deserialize(in);
            final N ns = namespaceSerializer.deserialize(in);
            final V value = valueSerializer.deserialize(in);
            maps[index].put(key, ns, StateMap.hash(key.hashCode(), ns), value);
        }
    }
}
