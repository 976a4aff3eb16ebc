package io.tidemark.log.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OffsetMapTest
{
    /** The smallest map: 16 entries of 24 bytes, 14 of them used at load factor 0.9. */
    private static final int SMALLEST = 16 * 24;

    private static ByteBuffer key(final String text)
    {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean put(final OffsetMap map, final String key, final long offset)
    {
        final ByteBuffer bytes = key(key);
        return map.put(bytes, 0, bytes.remaining(), offset);
    }

    private static long get(final OffsetMap map, final String key)
    {
        final ByteBuffer bytes = key(key);
        return map.get(bytes, 0, bytes.remaining());
    }

    @Test
    void theHashIsMurmur3x64With128BitsWhateverTheBuffersByteOrderAndWhereTheKeyLies()
    {
        // Reference values of MurmurHash3_x64_128 with seed 0 (h1, h2), from Guava's implementation.
        final Map<String, long[]> reference = Map.of(
            "", new long[] {0, 0},
            "a", new long[] {0x85555565f6597889L, 0xe6b53a48510e895aL},
            "key-00000042", new long[] {0xaec09bbd901dd368L, 0x2bfdd3b2aeeeaacaL},
            "0123456789abcdef", new long[] {0x4be06d94cf4ad1a7L, 0x87c35b5c63a708daL},
            "the quick brown fox jumps over the lazy dog!", new long[] {0x955009b8fc6c3366L, 0x379557b3935c6380L});
        final KeyHash hash = new KeyHash();
        for (final Map.Entry<String, long[]> entry : reference.entrySet())
        {
            final byte[] text = entry.getKey().getBytes(StandardCharsets.UTF_8);
            for (final ByteOrder order : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN))
            {
                final ByteBuffer framed = ByteBuffer.allocate(text.length + 3).order(order);
                framed.put(3, text);
                hash.hash(framed, 3, text.length);
                assertEquals(entry.getValue()[0], hash.high(), entry.getKey() + " h1, " + order);
                assertEquals(entry.getValue()[1], hash.low(), entry.getKey() + " h2, " + order);
            }
        }
    }

    @Test
    void aKeyGetsItsLatestOffsetAnAbsentOneMinusOneAndTheEmptyKeyIsAKeyLikeAnother()
    {
        final OffsetMap map = new OffsetMap(1 << 16, 0.9);
        map.clear(100);
        assertEquals(-1, get(map, "a"));
        assertTrue(put(map, "a", 3));
        assertTrue(put(map, "b", 4));
        assertTrue(put(map, "a", 7));
        assertTrue(put(map, "", 0), "the empty key, whose hash is all zeros");
        assertEquals(7, get(map, "a"), "a later put overwrites");
        assertEquals(4, get(map, "b"));
        assertEquals(0, get(map, ""));
        assertEquals(-1, get(map, "c"));
        assertEquals(3, map.size(), "an overwrite adds no entry");
        map.clear(100);
        assertEquals(0, map.size());
        assertEquals(-1, get(map, "a"), "clearing forgets every key");
        assertEquals(-1, get(map, ""));
    }

    @Test
    void aFullMapRefusesANewKeyChangingNothingButStillTakesNewOffsetsOfItsKeys()
    {
        final OffsetMap map = new OffsetMap(SMALLEST, 0.9);
        assertEquals(14, map.maxEntries());
        map.clear(1_000);
        for (int i = 0; i < 14; i++)
        {
            assertTrue(put(map, "k" + i, i), "key " + i + " fits");
        }
        assertFalse(put(map, "new", 99), "the 15th key does not fit");
        assertEquals(-1, get(map, "new"));
        assertEquals(14, map.size());
        assertTrue(put(map, "k3", 100), "a key already there takes its new offset");
        assertEquals(100, get(map, "k3"));
        for (int i = 0; i < 14; i++)
        {
            assertEquals(i == 3 ? 100 : i, get(map, "k" + i));
        }
    }

    @Test
    void aRoundSizedForFewKeysUsesFewSlotsAndABiggerOneTheWholeMemory()
    {
        final OffsetMap map = new OffsetMap(24 * 1000, 0.5);
        map.clear(4);
        int fitted = 0;
        while (put(map, "k" + fitted, fitted))
        {
            fitted++;
        }
        assertTrue(fitted >= 4 && fitted < 500, "room for the round's 4 keys, not the whole map's: " + fitted);
        map.clear(1_000_000);
        fitted = 0;
        while (put(map, "k" + fitted, fitted))
        {
            fitted++;
        }
        assertEquals(500, fitted, "half of the 1000 entries");
        assertEquals(500, map.maxEntries());
    }

    @Test
    void aMapOfSeveralMemoryBlocksHoldsEveryKeyAcrossTheirBoundaries()
    {
        final OffsetMap map = new OffsetMap(24 * 100_000, 0.9);
        for (int round = 0; round < 2; round++)
        {
            map.clear(90_000);
            for (int i = 0; i < 90_000; i++)
            {
                assertTrue(put(map, "key-" + i, round * 1_000_000 + i), "key " + i);
            }
            assertFalse(put(map, "one more", 0), "90,000 of 100,000 entries at 0.9: full");
            for (int i = 0; i < 90_000; i++)
            {
                assertEquals(round * 1_000_000 + i, get(map, "key-" + i), "key " + i + " in round " + round);
            }
        }
    }

    @Test
    void aSizeOrLoadFactorOutOfRangeIsRefusedWithTheRange()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new OffsetMap(100, 0.9)).getMessage().contains("384"));
        assertThrows(IllegalArgumentException.class, () -> new OffsetMap(1L << 31, 0.9));
        assertThrows(IllegalArgumentException.class, () -> new OffsetMap(1 << 20, 0));
        assertThrows(IllegalArgumentException.class, () -> new OffsetMap(1 << 20, 1.01));
        assertThrows(IllegalArgumentException.class, () -> new OffsetMap(1 << 20, Double.NaN));
    }

    @Test
    void aSizeAndLoadFactorHoldingNoKeyAreRefusedSinceNoRoundCouldCleanAnything()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new OffsetMap(SMALLEST, 0.05)).getMessage().contains("holds no key"),
            "16 entries at 0.05 hold 0.8 keys");
        assertEquals(1, new OffsetMap(20 * 24, 0.05).maxEntries(), "20 entries at 0.05 hold one");
        assertEquals(15, new OffsetMap(SMALLEST, 1).maxEntries(), "a full load factor keeps one entry empty, where probes stop");
    }

    /** For any puts, the map agrees with a hash map of the keys' latest offsets, as long as it takes them. */
    @Property(tries = 200)
    void theMapAgreesWithAHashMapOfLatestOffsetsUntilItIsFull(
        @ForAll @Size(max = 300) final List<@IntRange(max = 120) Integer> keys,
        @ForAll @IntRange(min = 1, max = 60) final int entryBudget)
    {
        final OffsetMap map = new OffsetMap(24L * Math.max(16, entryBudget), 0.75);
        map.clear(keys.size());
        final Map<String, Long> model = new HashMap<>();
        long offset = 0;
        for (final int key : keys)
        {
            final String name = "key-" + key;
            final boolean known = model.containsKey(name);
            final boolean full = model.size() >= map.maxEntries();
            assertEquals(known || !full, put(map, name, offset), name);
            if (known || !full)
            {
                model.put(name, offset);
            }
            offset++;
        }
        for (int key = 0; key <= 120; key++)
        {
            assertEquals(model.getOrDefault("key-" + key, -1L), get(map, "key-" + key), "key-" + key);
        }
        assertEquals(model.size(), map.size());
    }
}
