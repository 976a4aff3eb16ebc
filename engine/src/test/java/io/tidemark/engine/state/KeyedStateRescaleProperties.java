package io.tidemark.engine.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Keyed state rescaled twice, {@code p1 -> p2 -> p3}, each new backend restoring the
 * snapshots of every old one: each key ends in exactly the backend that owns its key group,
 * with its value. In the middle step the state is never registered, so what it restored is
 * written back from bytes: those too must hold only the backend's own key groups, or a key
 * would come back twice with a stale value.
 */
class KeyedStateRescaleProperties
{
    private static final int MAX_PARALLELISM = 128;
    private static final ValueStateDescriptor<Long> VALUE = new ValueStateDescriptor<>("value");

    @Property(tries = 300)
    void everyKeyEndsInItsOwnerWithItsValue(
        @ForAll @Size(max = 200) final Set<Integer> keys,
        @ForAll @IntRange(min = 1, max = 8) final int p1,
        @ForAll @IntRange(min = 1, max = 8) final int p2,
        @ForAll @IntRange(min = 1, max = 8) final int p3) throws IOException
    {
        final List<byte[]> first = new ArrayList<>();
        for (int subtask = 0; subtask < p1; subtask++)
        {
            final KeyedStateBackend backend = backend(p1, subtask);
            final ValueState<Long> state = backend.getState(VALUE);
            for (final int key : keys)
            {
                if (backend.keyGroupRange().contains(KeyGroups.keyGroupFor(key, MAX_PARALLELISM)))
                {
                    backend.setCurrentKey(key);
                    state.update(key * 7L);
                }
            }
            first.add(snapshot(backend));
        }
        final List<byte[]> second = new ArrayList<>();
        for (int subtask = 0; subtask < p2; subtask++)
        {
            final KeyedStateBackend unregistered = backend(p2, subtask);
            restoreAll(unregistered, first);
            // A stale value in a key group it does not own must not ride along.
            second.add(snapshot(unregistered));
        }
        final Map<Integer, Long> found = new HashMap<>();
        int entries = 0;
        for (int subtask = 0; subtask < p3; subtask++)
        {
            final KeyedStateBackend backend = backend(p3, subtask);
            restoreAll(backend, second);
            final ValueState<Long> state = backend.getState(VALUE);
            entries += backend.entryCount(VALUE.name());
            for (final int key : keys)
            {
                if (backend.keyGroupRange().contains(KeyGroups.keyGroupFor(key, MAX_PARALLELISM)))
                {
                    backend.setCurrentKey(key);
                    found.put(key, state.value());
                }
            }
        }
        assertEquals(keys.size(), entries, "no key twice, none lost");
        for (final int key : keys)
        {
            assertEquals(key * 7L, found.get(key));
        }
    }

    private static KeyedStateBackend backend(final int parallelism, final int subtask)
    {
        return new KeyedStateBackend(MAX_PARALLELISM, KeyGroups.rangeFor(MAX_PARALLELISM, parallelism, subtask), Serializers.any());
    }

    private static byte[] snapshot(final KeyedStateBackend backend) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        backend.snapshot(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static void restoreAll(final KeyedStateBackend backend, final List<byte[]> snapshots) throws IOException
    {
        for (final byte[] snapshot : snapshots)
        {
            backend.restore(new DataInputStream(new ByteArrayInputStream(snapshot)));
        }
    }
}
