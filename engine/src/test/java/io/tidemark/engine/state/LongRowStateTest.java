package io.tidemark.engine.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * {@link LongRowState} through {@link KeyedStateBackend}: one row per {@code Long} key,
 * independent of other keys' rows; one handle per name, and a name taken by another kind of
 * state or a width below one refused; non-{@code Long} keys and namespaces other than
 * {@link VoidNamespace#INSTANCE} refused; rows survive a snapshot and restore (registered
 * before or after), are split by key group on rescale, and are not read askew into a
 * descriptor of another width; {@code entryCount} counts rows.
 */
class LongRowStateTest
{
    private static final int MAX_PARALLELISM = 16;
    private static final int KEYS = 300;

    private static KeyedStateBackend owning(final int start, final int end)
    {
        return new KeyedStateBackend(MAX_PARALLELISM, new KeyGroupRange(start, end), Serializers.any());
    }

    private static KeyedStateBackend owningEverything()
    {
        return owning(0, MAX_PARALLELISM - 1);
    }

    private static long[] rowOf(final long key, final int width)
    {
        final long[] row = new long[width];
        for (int i = 0; i < width; i++)
        {
            row[i] = key * 1000 + i - 7;
        }
        return row;
    }

    private static byte[] snapshot(final KeyedStateBackend backend) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        backend.snapshot(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static void restore(final KeyedStateBackend backend, final byte[] snapshot) throws IOException
    {
        backend.restore(new DataInputStream(new ByteArrayInputStream(snapshot)));
    }

    /** Puts {@code rowOf(key)} for keys {@code -KEYS/2 .. KEYS/2 - 1}, through both ways of setting a key. */
    private static void fill(final KeyedStateBackend backend, final LongRowState state)
    {
        for (long key = -KEYS / 2; key < KEYS / 2; key++)
        {
            if (key % 2 == 0)
            {
                backend.setCurrentLongKey(key);
            }
            else
            {
                backend.setCurrentKey(Long.valueOf(key));
            }
            state.put(rowOf(key, state.width()));
        }
    }

    /** @return the snapshot of a backend whose state "rows", of the given width, holds every key's row. */
    private static byte[] filledSnapshot(final int width) throws IOException
    {
        final KeyedStateBackend backend = owningEverything();
        fill(backend, backend.getState(new LongRowStateDescriptor("rows", width)));
        return snapshot(backend);
    }

    private static void assertAllRows(final KeyedStateBackend backend, final LongRowState state)
    {
        for (long key = -KEYS / 2; key < KEYS / 2; key++)
        {
            backend.setCurrentLongKey(key);
            final long[] row = new long[state.width()];
            assertTrue(state.get(row), "key " + key + " lost");
            assertArrayEquals(rowOf(key, state.width()), row, "row of key " + key);
        }
    }

    @Test
    void putGetAndClearArePerKey()
    {
        final KeyedStateBackend backend = owningEverything();
        final LongRowState state = backend.getState(new LongRowStateDescriptor("rows", 3));
        assertEquals(3, state.width());
        final long[] row = {-1, -2, -3};
        backend.setCurrentLongKey(1);
        assertFalse(state.get(row));
        assertArrayEquals(new long[] {-1, -2, -3}, row, "a miss leaves the row as it was");
        state.put(new long[] {10, 11, 12});
        backend.setCurrentLongKey(2);
        assertFalse(state.get(row), "another key has no row yet");
        state.put(new long[] {20, 21, 22});
        backend.setCurrentLongKey(1);
        assertTrue(state.get(row));
        assertArrayEquals(new long[] {10, 11, 12}, row);
        // Overwriting one key's row leaves the other's.
        state.put(new long[] {13, 14, 15});
        backend.setCurrentKey(2L);
        assertTrue(state.get(row));
        assertArrayEquals(new long[] {20, 21, 22}, row);
        backend.setCurrentLongKey(1);
        assertTrue(state.get(row));
        assertArrayEquals(new long[] {13, 14, 15}, row);
        // Clearing one key's row leaves the other's.
        state.clear();
        final long[] untouched = {7, 8, 9};
        assertFalse(state.get(untouched));
        assertArrayEquals(new long[] {7, 8, 9}, untouched);
        backend.setCurrentLongKey(2);
        assertTrue(state.get(row));
        assertArrayEquals(new long[] {20, 21, 22}, row);
    }

    @Test
    void manyKeysIncludingExtremesKeepTheirOwnRows()
    {
        final KeyedStateBackend backend = owningEverything();
        final LongRowState state = backend.getState(new LongRowStateDescriptor("rows", 2));
        fill(backend, state);
        for (final long key : new long[] {Long.MIN_VALUE, Long.MAX_VALUE})
        {
            backend.setCurrentLongKey(key);
            state.put(new long[] {key, ~key});
        }
        assertAllRows(backend, state);
        for (final long key : new long[] {Long.MIN_VALUE, Long.MAX_VALUE})
        {
            backend.setCurrentKey(key);
            final long[] row = new long[2];
            assertTrue(state.get(row));
            assertArrayEquals(new long[] {key, ~key}, row);
        }
        assertEquals(KEYS + 2, backend.entryCount("rows"));
    }

    @Test
    void theSameNameGivesTheSameHandle()
    {
        final KeyedStateBackend backend = owningEverything();
        final LongRowState first = backend.getState(new LongRowStateDescriptor("rows", 2));
        final LongRowState second = backend.getState(new LongRowStateDescriptor("rows", 2));
        assertSame(first, second);
        backend.setCurrentLongKey(5);
        first.put(new long[] {1, 2});
        final long[] row = new long[2];
        assertTrue(second.get(row));
        assertArrayEquals(new long[] {1, 2}, row);
    }

    @Test
    void aNameTakenByAnotherKindOfStateIsRefused()
    {
        final KeyedStateBackend backend = owningEverything();
        backend.getState(new LongRowStateDescriptor("rows", 2));
        assertThrows(IllegalStateException.class, () -> backend.getState(new ValueStateDescriptor<Long>("rows")));
        final KeyedStateBackend other = owningEverything();
        other.getState(new ValueStateDescriptor<Long>("rows"));
        assertThrows(IllegalStateException.class, () -> other.getState(new LongRowStateDescriptor("rows", 2)));
    }

    @Test
    void aWidthOutsideOneToTheMaximumIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new LongRowStateDescriptor("rows", 0));
        assertThrows(IllegalArgumentException.class, () -> new LongRowStateDescriptor("rows", -1));
        assertThrows(IllegalArgumentException.class, () -> new LongRowStateDescriptor("rows", LongRowStateDescriptor.MAX_WIDTH + 1));
        assertEquals(1, new LongRowStateDescriptor("rows", 1).width());
        assertEquals(LongRowStateDescriptor.MAX_WIDTH, new LongRowStateDescriptor("rows", LongRowStateDescriptor.MAX_WIDTH).width());
    }

    @Test
    void aSecondDescriptorOfAnotherWidthIsRefusedNamingBoth()
    {
        final KeyedStateBackend backend = owningEverything();
        final LongRowState state = backend.getState(new LongRowStateDescriptor("rows", 2));
        assertSame(state, backend.getState(new LongRowStateDescriptor("rows", 2)), "the same width, the same state");
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> backend.getState(new LongRowStateDescriptor("rows", 3)));
        assertTrue(refused.getMessage().contains("2 longs") && refused.getMessage().contains("3 longs"), refused.getMessage());
    }

    @Test
    void aKeyThatIsNotALongIsRefusedOnPutAndThenOnGet()
    {
        final KeyedStateBackend backend = owningEverything();
        final LongRowState state = backend.getState(new LongRowStateDescriptor("rows", 2));
        backend.setCurrentKey("a");
        assertThrows(IllegalStateException.class, () -> state.put(new long[] {1, 2}));
        assertThrows(IllegalStateException.class, () -> state.get(new long[2]));
        assertEquals(0, backend.entryCount("rows"));
    }

    @Test
    void aKeyThatIsNotALongIsRefusedOnGetEvenBeforeAnyRowExists()
    {
        // A get (or clear) of a String key in a key group with no row yet must not quietly
        // answer "no row": it is the same misuse as a put, and must fail the same way.
        final KeyedStateBackend backend = owningEverything();
        final LongRowState state = backend.getState(new LongRowStateDescriptor("rows", 2));
        backend.setCurrentKey("a");
        assertThrows(IllegalStateException.class, () -> state.get(new long[2]));
    }

    @Test
    void aNamespaceOtherThanVoidIsRefused()
    {
        final KeyedStateBackend backend = owningEverything();
        final LongRowStateDescriptor descriptor = new LongRowStateDescriptor("rows", 2);
        assertThrows(UnsupportedOperationException.class, () -> backend.getPartitionedState(descriptor, Serializers.LONG, 42L));
        // Refused, it was not registered half-made: the void namespace still works.
        final LongRowState state = backend.getPartitionedState(descriptor, VoidNamespace.SERIALIZER, VoidNamespace.INSTANCE);
        backend.setCurrentLongKey(3);
        state.put(new long[] {4, 5});
        assertEquals(1, backend.entryCount("rows"));
        @SuppressWarnings("unchecked")
        final InternalKvState<VoidNamespace> internal = (InternalKvState<VoidNamespace>)state;
        assertThrows(UnsupportedOperationException.class, () -> internal.setCurrentNamespace(null));
        assertThrows(UnsupportedOperationException.class, () -> backend.getPartitionedState(descriptor, Serializers.LONG, 42L), "registered, still refused");
        internal.setCurrentNamespace(VoidNamespace.INSTANCE);
        final long[] row = new long[2];
        assertTrue(state.get(row));
        assertArrayEquals(new long[] {4, 5}, row);
    }

    @Test
    void rowsSurviveSnapshotAndRestore() throws IOException
    {
        final byte[] snapshot = filledSnapshot(4);

        final KeyedStateBackend registeredFirst = owningEverything();
        final LongRowState before = registeredFirst.getState(new LongRowStateDescriptor("rows", 4));
        restore(registeredFirst, snapshot);
        assertAllRows(registeredFirst, before);
        assertEquals(KEYS, registeredFirst.entryCount("rows"));

        final KeyedStateBackend registeredAfter = owningEverything();
        restore(registeredAfter, snapshot);
        // A snapshot taken before the state is registered writes its rows back from bytes.
        final KeyedStateBackend twice = owningEverything();
        restore(twice, snapshot(registeredAfter));
        for (final KeyedStateBackend restored : new KeyedStateBackend[] {registeredAfter, twice})
        {
            final LongRowState after = restored.getState(new LongRowStateDescriptor("rows", 4));
            assertAllRows(restored, after);
            assertEquals(KEYS, restored.entryCount("rows"));
            restored.setCurrentLongKey(KEYS);
            assertFalse(after.get(new long[4]), "a key never put is not made up");
        }
    }

    @Test
    void rescalingSplitsRowsByKeyGroup() throws IOException
    {
        final byte[] snapshot = filledSnapshot(3);
        final KeyedStateBackend low = owning(0, MAX_PARALLELISM / 2 - 1);
        final KeyedStateBackend high = owning(MAX_PARALLELISM / 2, MAX_PARALLELISM - 1);
        // One registered before the restore, the other after.
        final LongRowState lowState = low.getState(new LongRowStateDescriptor("rows", 3));
        restore(low, snapshot);
        restore(high, snapshot);
        final LongRowState highState = high.getState(new LongRowStateDescriptor("rows", 3));
        int lowKeys = 0;
        for (long key = -KEYS / 2; key < KEYS / 2; key++)
        {
            final boolean inLow = KeyGroups.keyGroupForLong(key, MAX_PARALLELISM) < MAX_PARALLELISM / 2;
            final KeyedStateBackend owner = inLow ? low : high;
            final KeyedStateBackend notOwner = inLow ? high : low;
            final LongRowState ownerState = inLow ? lowState : highState;
            lowKeys += inLow ? 1 : 0;
            owner.setCurrentLongKey(key);
            final long[] row = new long[3];
            assertTrue(ownerState.get(row), "key " + key + " lost by its owner");
            assertArrayEquals(rowOf(key, 3), row);
            final long outside = key;
            assertThrows(IllegalStateException.class, () -> notOwner.setCurrentLongKey(outside));
        }
        assertTrue(lowKeys > 0 && lowKeys < KEYS, "both halves hold keys");
        assertEquals(lowKeys, low.entryCount("rows"), "the low half holds its keys and no other");
        assertEquals(KEYS - lowKeys, high.entryCount("rows"), "the high half holds its keys and no other");
    }

    @Test
    void aSnapshotOfAnotherWidthIsRefusedNamingBothWidths() throws IOException
    {
        final byte[] snapshot = filledSnapshot(3);

        final KeyedStateBackend registeredFirst = owningEverything();
        registeredFirst.getState(new LongRowStateDescriptor("rows", 4));
        final Exception before = assertThrows(Exception.class, () -> restore(registeredFirst, snapshot));
        assertNamesBothWidths(before);

        final KeyedStateBackend registeredAfter = owningEverything();
        restore(registeredAfter, snapshot);
        final Exception after = assertThrows(Exception.class, () -> registeredAfter.getState(new LongRowStateDescriptor("rows", 4)));
        assertNamesBothWidths(after);
        // The refused rows are kept: the right width still finds them, and so does a snapshot meanwhile.
        final KeyedStateBackend again = owningEverything();
        restore(again, snapshot(registeredAfter));
        assertAllRows(again, again.getState(new LongRowStateDescriptor("rows", 3)));
        assertAllRows(registeredAfter, registeredAfter.getState(new LongRowStateDescriptor("rows", 3)));
    }

    private static void assertNamesBothWidths(final Throwable thrown)
    {
        final StringBuilder messages = new StringBuilder();
        for (Throwable t = thrown; t != null; t = t.getCause())
        {
            messages.append(t.getMessage()).append(" / ");
        }
        final String text = messages.toString();
        assertTrue(text.contains("3") && text.contains("4"), "message must name widths 3 and 4: " + text);
    }

    @Test
    void entryCountCountsRowsAndDropsOnClear()
    {
        final KeyedStateBackend backend = owningEverything();
        assertEquals(0, backend.entryCount("rows"), "no state, no rows");
        final LongRowState state = backend.getState(new LongRowStateDescriptor("rows", 1));
        assertEquals(0, backend.entryCount("rows"));
        for (long key = 0; key < 50; key++)
        {
            backend.setCurrentLongKey(key);
            state.put(new long[] {key});
        }
        assertEquals(50, backend.entryCount("rows"));
        backend.setCurrentLongKey(0);
        state.put(new long[] {99});
        assertEquals(50, backend.entryCount("rows"), "overwriting a row adds none");
        for (long key = 0; key < 50; key += 2)
        {
            backend.setCurrentLongKey(key);
            state.clear();
        }
        assertEquals(25, backend.entryCount("rows"));
        backend.setCurrentLongKey(0);
        state.clear();
        assertEquals(25, backend.entryCount("rows"), "clearing a key without a row removes nothing");
        for (long key = 1; key < 50; key += 2)
        {
            backend.setCurrentLongKey(key);
            state.clear();
        }
        assertEquals(0, backend.entryCount("rows"));
    }
}
