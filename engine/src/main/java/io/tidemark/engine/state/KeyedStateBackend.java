package io.tidemark.engine.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Holds the keyed state of one operator subtask, on the heap, organised by key group.
 *
 * <p>The operator calls {@link #setCurrentKey} once per record (and before each timer);
 * every state handle then reads and writes the entry of that key. The key's hash and key
 * group are computed there, once, not on each state access.
 *
 * <p>{@link #snapshot} writes every state, key group by key group, to bytes;
 * {@link #restore} reads them back, keeping only the key groups this subtask owns. It may run
 * several times, once per snapshot of the subtasks a rescaled job inherits key groups from,
 * merging what they hold; and before or after the operator registers its states (states not
 * yet registered are kept as the bytes of their owned key groups until they are, and a
 * snapshot taken meanwhile writes those bytes back). Not thread-safe: one task thread owns it.
 */
public final class KeyedStateBackend
{
    private final int maxParallelism;
    private final KeyGroupRange keyGroupRange;
    private final TypeSerializer<Object> keySerializer;
    private final Map<String, BackendState<?>> states = new TreeMap<>();
    // Restored state not yet registered: per state name, the block of each owned key group.
    private final Map<String, SortedMap<Integer, byte[]>> restoredButUnregistered = new HashMap<>();
    /** The current key as an object; for a key set by value, boxed on first demand. */
    private Object currentKey;
    private boolean currentKeyIsLong;
    private long currentLongKey;
    private int currentKeyHash;
    private int currentKeyGroupIndex;

    /**
     * @param maxParallelism the number of key groups.
     * @param keyGroupRange  the key groups this subtask owns.
     * @param keySerializer  how to snapshot keys.
     */
    public KeyedStateBackend(final int maxParallelism, final KeyGroupRange keyGroupRange, final TypeSerializer<Object> keySerializer)
    {
        this.maxParallelism = maxParallelism;
        this.keyGroupRange = keyGroupRange;
        this.keySerializer = keySerializer;
    }

    /**
     * Makes {@code key} the key that state handles read and write.
     *
     * @param key the key of the record or timer being processed.
     * @throws IllegalStateException if the key belongs to a key group this subtask does not
     *                               own: records were routed to the wrong subtask.
     */
    public void setCurrentKey(final Object key)
    {
        if (key instanceof Long number)
        {
            setCurrentLongKey(number);
            currentKey = key;
            return;
        }
        final int hash = key.hashCode();
        final int keyGroup = KeyGroups.keyGroupForHash(hash, maxParallelism);
        if (!keyGroupRange.contains(keyGroup))
        {
            throw notOwned(key, keyGroup);
        }
        currentKeyGroupIndex = keyGroup - keyGroupRange.start();
        currentKeyHash = hash;
        currentKey = key;
        currentKeyIsLong = false;
    }

    /**
     * Makes the {@code Long} of {@code key} the current key without boxing it: the states find
     * its entries by value, and {@link #currentKey} boxes it only if asked (for a timer, or the
     * function's {@code getCurrentKey}).
     *
     * @param key the key of the record or timer being processed.
     * @throws IllegalStateException if the key belongs to a key group this subtask does not
     *                               own.
     */
    public void setCurrentLongKey(final long key)
    {
        final int hash = Long.hashCode(key);
        final int keyGroup = KeyGroups.keyGroupForHash(hash, maxParallelism);
        if (!keyGroupRange.contains(keyGroup))
        {
            throw notOwned(key, keyGroup);
        }
        currentKeyGroupIndex = keyGroup - keyGroupRange.start();
        currentKeyHash = hash;
        currentKey = null;
        currentKeyIsLong = true;
        currentLongKey = key;
    }

    private IllegalStateException notOwned(final Object key, final int keyGroup)
    {
        return new IllegalStateException("key " + key + " is in key group " + keyGroup + ", outside this subtask's " + keyGroupRange);
    }

    /**
     * @return the current key.
     */
    public Object currentKey()
    {
        if (currentKey == null && currentKeyIsLong)
        {
            currentKey = currentLongKey;
        }
        return currentKey;
    }

    /**
     * @return whether the current key is a {@code Long}, kept by value ({@link #currentLongKey}).
     */
    public boolean currentKeyIsLong()
    {
        return currentKeyIsLong;
    }

    /**
     * @return the current key's value, when {@link #currentKeyIsLong}.
     */
    public long currentLongKey()
    {
        return currentLongKey;
    }

    /**
     * @return the key groups this backend owns.
     */
    public KeyGroupRange keyGroupRange()
    {
        return keyGroupRange;
    }

    /**
     * @return the number of key groups of the job.
     */
    public int maxParallelism()
    {
        return maxParallelism;
    }

    /**
     * Returns the state with the descriptor's name, creating it on first use, in the
     * namespace of a key alone ({@link VoidNamespace}).
     *
     * @param descriptor names and describes the state.
     * @param <S>        the state type.
     * @return the state handle.
     */
    public <S extends State> S getState(final StateDescriptor<S> descriptor)
    {
        return getPartitionedState(descriptor, VoidNamespace.SERIALIZER, VoidNamespace.INSTANCE);
    }

    /**
     * Returns the state with the descriptor's name, creating it on first use, for use with
     * namespaces (windows). The caller sets the namespace through
     * {@link InternalKvState#setCurrentNamespace} before each use.
     *
     * @param descriptor          names and describes the state.
     * @param namespaceSerializer how to snapshot a namespace.
     * @param initialNamespace    the namespace in force until the caller sets another.
     * @param <N>                 the namespace type.
     * @param <S>                 the state type; the returned object also implements
     *                            {@link InternalKvState}, and {@link InternalAppendingState}
     *                            for list, reducing and aggregating state.
     * @return the state handle.
     * @throws IllegalStateException if a state of another kind has the same name.
     */
    @SuppressWarnings("unchecked")
    public <N, S extends State> S getPartitionedState(final StateDescriptor<S> descriptor, final TypeSerializer<N> namespaceSerializer, final N initialNamespace)
    {
        final BackendState<?> existing = states.get(descriptor.name());
        if (existing != null)
        {
            if (!existing.descriptor().sameShape(descriptor))
            {
                throw new IllegalStateException("state '" + descriptor.name() + "' already exists as " + existing.descriptor() + ", not " + descriptor);
            }
            existing.checkNamespace(initialNamespace);
            return (S)existing;
        }
        final BackendState<?> created = descriptor.createState(this);
        created.checkNamespace(initialNamespace);
        created.bindNamespace(namespaceSerializer, initialNamespace);
        // Left pending until restored: a state that cannot read them (another row width) leaves them for a later snapshot.
        final SortedMap<Integer, byte[]> restored = restoredButUnregistered.get(descriptor.name());
        if (restored != null)
        {
            try
            {
                for (final Map.Entry<Integer, byte[]> group : restored.entrySet())
                {
                    created.restoreGroup(group.getKey(), group.getValue());
                }
            }
            catch (final IOException e)
            {
                throw new IllegalStateException("cannot restore state '" + descriptor.name() + "'", e);
            }
            restoredButUnregistered.remove(descriptor.name());
        }
        states.put(descriptor.name(), created);
        return (S)created;
    }

    /**
     * @param name a state name.
     * @return the number of (key, namespace) entries that state holds; 0 if it does not
     * exist. For tests and metrics: proves that cleaned-up windows leave nothing behind.
     */
    public int entryCount(final String name)
    {
        final BackendState<?> state = states.get(name);
        return state == null ? 0 : state.entryCount();
    }

    /**
     * Writes every state to {@code out}: the number of states, then for each, its name and a
     * length-prefixed block of its entries grouped by key group.
     *
     * @param out where to write.
     * @throws IOException if a value cannot be serialized.
     */
    public void snapshot(final DataOutput out) throws IOException
    {
        final Map<String, byte[]> blocks = new TreeMap<>();
        for (final Map.Entry<String, SortedMap<Integer, byte[]>> unregistered : restoredButUnregistered.entrySet())
        {
            blocks.put(unregistered.getKey(), block(unregistered.getValue()));
        }
        for (final Map.Entry<String, BackendState<?>> entry : states.entrySet())
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            entry.getValue().snapshot(new DataOutputStream(bytes));
            blocks.put(entry.getKey(), bytes.toByteArray());
        }
        out.writeInt(blocks.size());
        for (final Map.Entry<String, byte[]> block : blocks.entrySet())
        {
            out.writeUTF(block.getKey());
            out.writeInt(block.getValue().length);
            out.write(block.getValue());
        }
    }

    /**
     * Reads what {@link #snapshot} wrote, keeping only the key groups this backend owns and
     * adding them to what it holds: called once per inherited snapshot, it merges them.
     *
     * @param in where to read.
     * @throws IOException if the bytes are not a snapshot.
     */
    public void restore(final DataInput in) throws IOException
    {
        final int count = in.readInt();
        for (int i = 0; i < count; i++)
        {
            final String name = in.readUTF();
            final byte[] block = new byte[in.readInt()];
            in.readFully(block);
            final BackendState<?> registered = states.get(name);
            final DataInput groups = new DataInputStream(new ByteArrayInputStream(block));
            final int groupCount = groups.readInt();
            for (int g = 0; g < groupCount; g++)
            {
                final int keyGroup = groups.readInt();
                final byte[] group = new byte[groups.readInt()];
                groups.readFully(group);
                if (!keyGroupRange.contains(keyGroup))
                {
                    continue;
                }
                if (registered != null)
                {
                    registered.restoreGroup(keyGroup, group);
                }
                else
                {
                    restoredButUnregistered.computeIfAbsent(name, n -> new TreeMap<>()).put(keyGroup, group);
                }
            }
        }
    }

    /**
     * @return the block of a state, as {@link BackendState#snapshot} writes it, from the blocks of
     * its key groups.
     */
    private static byte[] block(final SortedMap<Integer, byte[]> groups) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(groups.size());
        for (final Map.Entry<Integer, byte[]> group : groups.entrySet())
        {
            out.writeInt(group.getKey());
            out.writeInt(group.getValue().length);
            out.write(group.getValue());
        }
        return bytes.toByteArray();
    }

    int currentKeyHash()
    {
        return currentKeyHash;
    }

    int currentKeyGroupIndex()
    {
        return currentKeyGroupIndex;
    }

    /**
     * @return how keys are written to snapshots; timers use it too.
     */
    public TypeSerializer<Object> keySerializer()
    {
        return keySerializer;
    }
}
