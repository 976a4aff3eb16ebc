package io.tidemark.engine.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broadcast states of one operator subtask, one per {@link MapStateDescriptor} its
 * broadcast stream named, by name; written into and read from the operator's snapshot.
 * Every subtask holds the same contents, so restoring several subtasks' snapshots into one
 * (after a change of parallelism) gives that same contents again.
 */
public final class BroadcastStates
{
    private final Map<String, Heap<?, ?>> states = new LinkedHashMap<>();

    /**
     * @param descriptors the states the broadcast stream declared.
     */
    public BroadcastStates(final List<MapStateDescriptor<?, ?>> descriptors)
    {
        for (final MapStateDescriptor<?, ?> descriptor : descriptors)
        {
            states.put(descriptor.name(), new Heap<>(descriptor));
        }
    }

    /**
     * @param descriptor one of the descriptors the broadcast stream declared.
     * @param <K>        the map's key type.
     * @param <V>        the map's value type.
     * @return its state.
     * @throws IllegalArgumentException if the broadcast stream declared no state of that name.
     */
    @SuppressWarnings("unchecked")
    public <K, V> BroadcastState<K, V> get(final MapStateDescriptor<K, V> descriptor)
    {
        final Heap<?, ?> state = states.get(descriptor.name());
        if (state == null)
        {
            throw new IllegalArgumentException("no broadcast state '" + descriptor.name() + "': the broadcast stream declares " + states.keySet());
        }
        return (BroadcastState<K, V>)state;
    }

    /**
     * Writes every state: the count, then per state its name, entry count and entries.
     *
     * @param out where to write.
     * @throws IOException if an entry cannot be serialized.
     */
    public void snapshot(final DataOutput out) throws IOException
    {
        out.writeInt(states.size());
        for (final Map.Entry<String, Heap<?, ?>> state : states.entrySet())
        {
            out.writeUTF(state.getKey());
            state.getValue().write(out);
        }
    }

    /**
     * Reads what {@link #snapshot} wrote into the states of the same names.
     *
     * @param in where to read.
     * @throws IOException if the bytes name a state this operator does not declare.
     */
    public void restore(final DataInput in) throws IOException
    {
        final int count = in.readInt();
        for (int i = 0; i < count; i++)
        {
            final String name = in.readUTF();
            final Heap<?, ?> state = states.get(name);
            if (state == null)
            {
                throw new IOException("the snapshot holds broadcast state '" + name + "', which this operator does not declare " + states.keySet());
            }
            state.read(in);
        }
    }

    /** One broadcast state: a map in insertion order. */
    private static final class Heap<K, V> implements BroadcastState<K, V>
    {
        private final MapStateDescriptor<K, V> descriptor;
        private final Map<K, V> map = new LinkedHashMap<>();

        Heap(final MapStateDescriptor<K, V> descriptor)
        {
            this.descriptor = descriptor;
        }

        @Override
        public V get(final K key)
        {
            return map.get(key);
        }

        @Override
        public boolean contains(final K key)
        {
            return map.containsKey(key);
        }

        @Override
        public Iterable<Map.Entry<K, V>> immutableEntries()
        {
            return Collections.unmodifiableMap(map).entrySet();
        }

        @Override
        public void put(final K key, final V value)
        {
            map.put(key, value);
        }

        @Override
        public void remove(final K key)
        {
            map.remove(key);
        }

        @Override
        public void clear()
        {
            map.clear();
        }

        @Override
        public Iterable<Map.Entry<K, V>> entries()
        {
            return map.entrySet();
        }

        void write(final DataOutput out) throws IOException
        {
            out.writeInt(map.size());
            for (final Map.Entry<K, V> entry : map.entrySet())
            {
                descriptor.keySerializer().serialize(entry.getKey(), out);
                descriptor.valueSerializer().serialize(entry.getValue(), out);
            }
        }

        void read(final DataInput in) throws IOException
        {
            final int size = in.readInt();
            for (int i = 0; i < size; i++)
            {
                map.put(descriptor.keySerializer().deserialize(in), descriptor.valueSerializer().deserialize(in));
            }
        }
    }
}
