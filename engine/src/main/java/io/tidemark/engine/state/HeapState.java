package io.tidemark.engine.state;

import java.io.ByteArrayInputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
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
        return map == null ? null : (V)map.get(backend.currentKey(), ns, StateMap.hash(backend.currentKeyHash(), ns));
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
        map.put(backend.currentKey(), ns, StateMap.hash(backend.currentKeyHash(), ns), value);
    }

    @SuppressWarnings("unchecked")
    final V delete(final N ns)
    {
        final StateMap map = maps[backend.currentKeyGroupIndex()];
        return map == null ? null : (V)map.remove(backend.currentKey(), ns, StateMap.hash(backend.currentKeyHash(), ns));
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
     * Writes every entry, grouped by key group: the key group, its entry count, then each
     * entry's key, namespace and value.
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
        for (int index = 0; index < maps.length; index++)
        {
            final StateMap map = maps[index];
            if (map == null || map.size() == 0)
            {
                continue;
            }
            out.writeInt(backend.keyGroupRange().start() + index);
            out.writeInt(map.size());
            map.forEach((key, ns, value) ->
            {
                keys.serialize(key, out);
                namespaceSerializer.serialize((N)ns, out);
                valueSerializer.serialize((V)value, out);
            });
        }
    }

    /**
     * Reads what {@link #snapshot} wrote, keeping only the key groups this backend owns.
     */
    final void restore(final byte[] snapshot) throws IOException
    {
        final DataInput in = new DataInputStream(new ByteArrayInputStream(snapshot));
        final TypeSerializer<Object> keys = backend.keySerializer();
        final int groups = in.readInt();
        for (int g = 0; g < groups; g++)
        {
            final int keyGroup = in.readInt();
            final int entries = in.readInt();
            final boolean owned = backend.keyGroupRange().contains(keyGroup);
            final int index = keyGroup - backend.keyGroupRange().start();
            for (int e = 0; e < entries; e++)
            {
                final Object key = keys.deserialize(in);
                final N ns = namespaceSerializer.deserialize(in);
                final V value = valueSerializer.deserialize(in);
                if (owned)
                {
                    if (maps[index] == null)
                    {
                        maps[index] = new StateMap();
                    }
                    maps[index].put(key, ns, StateMap.hash(key.hashCode(), ns), value);
                }
            }
        }
    }
}
