package io.tidemark.engine.state;

import java.io.ByteArrayInputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The common part of the heap states: values live in one {@link StateMap} per key group,
 * found through the backend's current key.
 *
 * @param <N> the namespace type.
 * @param <V> the stored value type.
 */
abstract class HeapState<N, V> extends BackendState<N>
{
    private final TypeSerializer<V> valueSerializer;
    private final StateMap[] maps;

    HeapState(final KeyedStateBackend backend, final StateDescriptor<?> descriptor, final TypeSerializer<V> valueSerializer)
    {
        super(backend, descriptor);
        this.valueSerializer = valueSerializer;
        this.maps = new StateMap[backend.keyGroupRange().size()];
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

    @Override
    final int entryCount(final int groupIndex)
    {
        final StateMap map = maps[groupIndex];
        return map == null ? 0 : map.size();
    }

    /** The block: the group's entry count, then each entry's key, namespace and value. */
    @Override
    @SuppressWarnings("unchecked")
    final void writeGroup(final int groupIndex, final DataOutput out) throws IOException
    {
        final TypeSerializer<Object> keys = backend.keySerializer();
        final StateMap map = maps[groupIndex];
        out.writeInt(map.size());
        map.forEach((key, ns, value) ->
        {
            keys.serialize(key, out);
            namespaceSerializer.serialize((N)ns, out);
            valueSerializer.serialize((V)value, out);
        });
    }

    @Override
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
