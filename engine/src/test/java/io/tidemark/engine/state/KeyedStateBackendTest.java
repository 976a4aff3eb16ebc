package io.tidemark.engine.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.functions.AggregateFunctions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyedStateBackendTest
{
    private static final int MAX_PARALLELISM = 16;

    private static KeyedStateBackend owningEverything()
    {
        return new KeyedStateBackend(MAX_PARALLELISM, new KeyGroupRange(0, MAX_PARALLELISM - 1), Serializers.any());
    }

    @Test
    void valueStateIsPerKey()
    {
        final KeyedStateBackend backend = owningEverything();
        final ValueState<String> state = backend.getState(new ValueStateDescriptor<>("last"));
        backend.setCurrentKey("a");
        state.update("one");
        backend.setCurrentKey("b");
        assertNull(state.value());
        state.update("two");
        backend.setCurrentKey("a");
        assertEquals("one", state.value());
        state.clear();
        assertNull(state.value());
        assertEquals(1, backend.entryCount("last"));
    }

    @Test
    void aKeySetByValueIsTheSameKeyAsItsLong() throws Exception
    {
        final KeyedStateBackend backend = owningEverything();
        final ValueState<String> state = backend.getState(new ValueStateDescriptor<>("last"));
        backend.setCurrentLongKey(42);
        state.update("by value");
        assertEquals(42L, backend.currentKey());
        backend.setCurrentKey(Long.valueOf(42));
        assertEquals("by value", state.value());
        state.update("boxed");
        backend.setCurrentLongKey(43);
        assertNull(state.value());
        backend.setCurrentLongKey(42);
        assertEquals("boxed", state.value());
        // A snapshot writes the key as a Long; restored, it is found by value and boxed alike.
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        backend.snapshot(new DataOutputStream(bytes));
        final KeyedStateBackend restored = owningEverything();
        restored.restore(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        final ValueState<String> again = restored.getState(new ValueStateDescriptor<>("last"));
        restored.setCurrentLongKey(42);
        assertEquals("boxed", again.value());
        restored.setCurrentKey(42L);
        again.clear();
        restored.setCurrentLongKey(42);
        assertNull(again.value());
        assertEquals(0, restored.entryCount("last"));
        final long outside = java.util.stream.LongStream.range(0, 1000)
            .filter(key -> KeyGroups.keyGroupFor(key, MAX_PARALLELISM) >= MAX_PARALLELISM / 2).findFirst().orElseThrow();
        final KeyedStateBackend half = new KeyedStateBackend(MAX_PARALLELISM, new KeyGroupRange(0, MAX_PARALLELISM / 2 - 1), Serializers.any());
        assertThrows(IllegalStateException.class, () -> half.setCurrentLongKey(outside));
    }

    @Test
    void listMapReducingAndAggregatingStateKeepTheirOwnShape() throws Exception
    {
        final KeyedStateBackend backend = owningEverything();
        final ListState<Integer> list = backend.getState(new ListStateDescriptor<>("list"));
        final MapState<String, Integer> map = backend.getState(new MapStateDescriptor<>("map"));
        final ReducingState<Integer> max = backend.getState(new ReducingStateDescriptor<>("max", Math::max));
        final AggregatingState<String, Long> count = backend.getState(new AggregatingStateDescriptor<>("count", AggregateFunctions.count()));
        backend.setCurrentKey(7L);
        assertNull(list.get());
        list.add(3);
        list.add(1);
        map.put("x", 1);
        map.put("y", 2);
        map.remove("x");
        max.add(3);
        max.add(9);
        max.add(4);
        count.add("p");
        count.add("q");
        assertEquals(List.of(3, 1), list.get());
        assertEquals(Map.of("y", 2).entrySet(), toSet(map.entries()));
        assertFalse(map.contains("x"));
        assertEquals(9, max.get());
        assertEquals(2L, count.get());
        list.update(List.of());
        assertNull(list.get(), "an empty list clears the state");
    }

    @Test
    void namespacesSeparateValuesOfOneKeyAndMergeOnRequest() throws Exception
    {
        final KeyedStateBackend backend = owningEverything();
        final ReducingState<Long> sums = backend.getPartitionedState(new ReducingStateDescriptor<Long>("sum", Long::sum), Serializers.LONG, 0L);
        @SuppressWarnings("unchecked")
        final InternalAppendingState<Long, Long, Long> internal = (InternalAppendingState<Long, Long, Long>)sums;
        backend.setCurrentKey("k");
        internal.setCurrentNamespace(10L);
        assertTrue(internal.addAndReportCreated(5L));
        assertFalse(internal.addAndReportCreated(1L));
        internal.setCurrentNamespace(20L);
        internal.add(100L);
        internal.setCurrentNamespace(30L);
        internal.add(1000L);
        internal.mergeNamespaces(30L, List.of(10L, 20L, 30L));
        assertEquals(1106L, internal.get());
        internal.setCurrentNamespace(10L);
        assertNull(internal.get(), "merged sources are emptied");
        assertEquals(1, backend.entryCount("sum"));
    }

    @Test
    void aKeyOutsideTheOwnedKeyGroupsIsRefused()
    {
        final KeyedStateBackend backend = new KeyedStateBackend(MAX_PARALLELISM, new KeyGroupRange(0, 0), Serializers.any());
        String outside = null;
        for (int i = 0; outside == null; i++)
        {
            if (KeyGroups.keyGroupFor("k" + i, MAX_PARALLELISM) != 0)
            {
                outside = "k" + i;
            }
        }
        final String key = outside;
        assertThrows(IllegalStateException.class, () -> backend.setCurrentKey(key));
    }

    @Test
    void aStateNameCannotBeReusedForAnotherKind()
    {
        final KeyedStateBackend backend = owningEverything();
        backend.getState(new ValueStateDescriptor<String>("s"));
        assertThrows(IllegalStateException.class, () -> backend.getState(new ListStateDescriptor<String>("s")));
    }

    @Test
    void snapshotRoundTripRestoresEveryStateAndSplitsByKeyGroup() throws Exception
    {
        final KeyedStateBackend backend = owningEverything();
        final ValueState<Long> value = backend.getState(new ValueStateDescriptor<>("value", Serializers.LONG));
        final ListState<String> list = backend.getState(new ListStateDescriptor<>("list", Serializers.STRING));
        final MapState<String, Long> map = backend.getState(new MapStateDescriptor<>("map"));
        final List<Long> keys = new ArrayList<>();
        for (long key = 0; key < 200; key++)
        {
            keys.add(key);
            backend.setCurrentKey(key);
            value.update(key * 10);
            list.add("a" + key);
            list.add("b" + key);
            map.put("m", key);
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        backend.snapshot(new DataOutputStream(bytes));

        // Restore into two halves, as a job rescaled to parallelism 2 would.
        int restoredKeys = 0;
        for (int subtask = 0; subtask < 2; subtask++)
        {
            final KeyGroupRange range = KeyGroups.rangeFor(MAX_PARALLELISM, 2, subtask);
            final KeyedStateBackend half = new KeyedStateBackend(MAX_PARALLELISM, range, Serializers.any());
            // Registering one state before the restore and the others after: both orders work.
            final ValueState<Long> restoredValue = half.getState(new ValueStateDescriptor<>("value", Serializers.LONG));
            half.restore(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            final ListState<String> restoredList = half.getState(new ListStateDescriptor<>("list", Serializers.STRING));
            final MapState<String, Long> restoredMap = half.getState(new MapStateDescriptor<>("map"));
            for (final Long key : keys)
            {
                if (range.contains(KeyGroups.keyGroupFor(key, MAX_PARALLELISM)))
                {
                    restoredKeys++;
                    half.setCurrentKey(key);
                    assertEquals(key * 10, restoredValue.value());
                    assertEquals(List.of("a" + key, "b" + key), restoredList.get());
                    assertEquals(key, restoredMap.get("m"));
                }
            }
            assertEquals(half.entryCount("value"), half.entryCount("list"));
        }
        assertEquals(200, restoredKeys);
    }

    private static <T> java.util.Set<T> toSet(final Iterable<T> items)
    {
        final java.util.Set<T> set = new java.util.HashSet<>();
        items.forEach(set::add);
        return set;
    }
}
