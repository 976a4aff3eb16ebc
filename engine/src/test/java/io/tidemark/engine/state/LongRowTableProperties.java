package io.tidemark.engine.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link LongRowTable} behaves exactly like a {@code HashMap<Long, long[]>}: for random put, get
 * and remove sequences over a small key space (so that keys collide, probe runs wrap around the
 * end of the table and backward-shift deletion happens inside runs), with negative keys and
 * {@code Long.MIN_VALUE}/{@code Long.MAX_VALUE}, and with enough keys to grow the table several
 * times, get returns the model's presence and row, copies only {@code width} longs, leaves the
 * caller's array untouched on a miss, and size matches; and what {@code writeTo} writes,
 * {@code readFrom} reads back into a fresh table with the same contents.
 */
class LongRowTableProperties
{
    private static final long SENTINEL = 0x5EED_5EED_5EED_5EEDL;
    private static final int MAX_WIDTH = 5;

    record Op(int kind, long key, List<Long> values)
    {
    }

    @Provide
    Arbitrary<List<Op>> ops()
    {
        final Arbitrary<Long> keys = Arbitraries.frequencyOf(
            Tuple.of(10, Arbitraries.longs().between(-12, 12)),
            Tuple.of(6, Arbitraries.longs().between(-150, 150)),
            Tuple.of(1, Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1, -1L, 0L)));
        final Arbitrary<List<Long>> values = Arbitraries.longs().list().ofSize(MAX_WIDTH);
        // 0..2: put (more puts than anything else, so the table grows), 3: remove, 4: get.
        return Combinators.combine(Arbitraries.integers().between(0, 4), keys, values).as(Op::new).list().ofMaxSize(700);
    }

    @Provide
    Arbitrary<List<Op>> wrappingOps()
    {
        // Keys whose home, in a table of the initial 8 slots, is one of the last two slots or
        // the first: their runs wrap around the end, and removal must shift entries back across it.
        final Arbitrary<Long> keys = Arbitraries.of(keysHomedAtTheEnd());
        final Arbitrary<List<Long>> values = Arbitraries.longs().list().ofSize(MAX_WIDTH);
        return Combinators.combine(Arbitraries.integers().between(0, 4), keys, values).as(Op::new).list().ofMaxSize(200);
    }

    @Property(tries = 300)
    void behavesLikeAHashMap(@ForAll("ops") final List<Op> ops, @ForAll @IntRange(min = 1, max = MAX_WIDTH) final int width) throws IOException
    {
        runAgainstAHashMap(ops, width);
    }

    @Property(tries = 300)
    void behavesLikeAHashMapWhenRunsWrapAroundTheEnd(@ForAll("wrappingOps") final List<Op> ops, @ForAll @IntRange(min = 1, max = MAX_WIDTH) final int width) throws IOException
    {
        runAgainstAHashMap(ops, width);
    }

    private static void runAgainstAHashMap(final List<Op> ops, final int width) throws IOException
    {
        final LongRowTable table = new LongRowTable(width);
        final Map<Long, long[]> model = new HashMap<>();
        run(table, model, ops, width);
        assertRoundTrips(table, model, width);
    }

    @Property(tries = 50)
    void growsSeveralTimesWithoutLosingARow(@ForAll @IntRange(min = 1, max = MAX_WIDTH) final int width, @ForAll @IntRange(min = 200, max = 2000) final int count) throws IOException
    {
        final LongRowTable table = new LongRowTable(width);
        final Map<Long, long[]> model = new HashMap<>();
        for (int i = 0; i < count; i++)
        {
            // Alternate signs and spread keys, so negative keys and big magnitudes are in.
            final long key = (i % 2 == 0 ? 1 : -1) * (long)i * 0x9E3779B97F4A7C15L;
            final long[] row = rowOf(key, width);
            table.put(key, row);
            model.put(key, row);
            assertEquals(model.size(), table.size());
        }
        // Remove every third key, then check all of them.
        for (int i = 0; i < count; i += 3)
        {
            final long key = (i % 2 == 0 ? 1 : -1) * (long)i * 0x9E3779B97F4A7C15L;
            assertEquals(model.remove(key) != null, table.remove(key));
        }
        assertEquals(model.size(), table.size());
        for (int i = 0; i < count; i++)
        {
            final long key = (i % 2 == 0 ? 1 : -1) * (long)i * 0x9E3779B97F4A7C15L;
            assertGetMatches(table, model, key, width);
        }
        assertRoundTrips(table, model, width);
    }

    private static void run(final LongRowTable table, final Map<Long, long[]> model, final List<Op> ops, final int width)
    {
        for (final Op op : ops)
        {
            switch (op.kind())
            {
                case 0, 1, 2 ->
                {
                    final long[] row = new long[width];
                    for (int i = 0; i < width; i++)
                    {
                        row[i] = op.values().get(i);
                    }
                    table.put(op.key(), row);
                    model.put(op.key(), row.clone());
                    // The table copied the row: changing the caller's array changes nothing.
                    Arrays.fill(row, SENTINEL);
                }
                case 3 -> assertEquals(model.remove(op.key()) != null, table.remove(op.key()), "remove " + op.key());
                default -> assertGetMatches(table, model, op.key(), width);
            }
            assertEquals(model.size(), table.size());
        }
        for (final Long key : model.keySet())
        {
            assertGetMatches(table, model, key, width);
        }
    }

    private static void assertGetMatches(final LongRowTable table, final Map<Long, long[]> model, final long key, final int width)
    {
        // One long past the row, to prove get copies only width longs.
        final long[] row = new long[width + 1];
        Arrays.fill(row, SENTINEL);
        final boolean found = table.get(key, row);
        final long[] expected = model.get(key);
        if (expected == null)
        {
            assertFalse(found, "absent key " + key + " found");
            final long[] untouched = new long[width + 1];
            Arrays.fill(untouched, SENTINEL);
            assertArrayEquals(untouched, row, "a miss must leave the caller's array as it was");
        }
        else
        {
            assertTrue(found, "key " + key + " lost");
            assertArrayEquals(expected, Arrays.copyOf(row, width), "row of key " + key);
            assertEquals(SENTINEL, row[width], "get wrote past the row");
        }
    }

    private static void assertRoundTrips(final LongRowTable table, final Map<Long, long[]> model, final int width) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        table.writeTo(new DataOutputStream(bytes));
        assertEquals(Integer.BYTES + model.size() * (long)(width + 1) * Long.BYTES, bytes.size(), "entry count, then key and row of each entry");
        final LongRowTable copy = new LongRowTable(width);
        final DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        copy.readFrom(in, new long[width]);
        assertEquals(0, in.available(), "readFrom reads exactly what writeTo wrote");
        assertEquals(model.size(), copy.size());
        for (final Long key : model.keySet())
        {
            assertGetMatches(copy, model, key, width);
        }
        // Keys never put are absent from the copy too.
        for (long key = -3; key <= 3; key++)
        {
            assertGetMatches(copy, model, key, width);
        }
        assertGetMatches(copy, model, Long.MIN_VALUE, width);
        assertGetMatches(copy, model, Long.MAX_VALUE, width);
    }

    private static long[] rowOf(final long key, final int width)
    {
        final long[] row = new long[width];
        for (int i = 0; i < width; i++)
        {
            row[i] = key * 31 + i;
        }
        return row;
    }

    /**
     * @return keys whose home slot in an 8-slot table is 6, 7 or 0, a few of each, by the same
     * mix the table uses.
     */
    private static List<Long> keysHomedAtTheEnd()
    {
        final List<Long> keys = new ArrayList<>();
        final int[] perSlot = new int[8];
        for (long key = -1000; key <= 1000 && keys.size() < 9; key++)
        {
            final int home = home8(key);
            if ((home == 6 || home == 7 || home == 0) && perSlot[home] < 3)
            {
                perSlot[home]++;
                keys.add(key);
            }
        }
        if (keys.size() < 9)
        {
            throw new IllegalStateException("not enough keys homed at the end: " + keys);
        }
        return keys;
    }

    private static int home8(final long key)
    {
        return (int)KeyGroups.mix64(key) & 7;
    }
}
