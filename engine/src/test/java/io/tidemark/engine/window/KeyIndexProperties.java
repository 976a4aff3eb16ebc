package io.tidemark.engine.window;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The key index's {@code long} table agrees with a {@link HashMap} through any mix of puts,
 * updates and removes: keys drawn from a small range (dense ids, long probe runs once the
 * table wraps), from multiples of a power of two (the keys a weak hash would pile up) and
 * from all longs, across growth.
 */
class KeyIndexProperties
{
    @Property(tries = 300)
    void agreesWithAHashMap(@ForAll final long seed, @ForAll @IntRange(min = 0, max = 5_000) final int operations,
        @ForAll @IntRange(min = 0, max = 2) final int keyShape)
    {
        final Random random = new Random(seed);
        final KeyIndex index = new KeyIndex();
        final Map<Long, Integer> expected = new HashMap<>();
        for (int i = 0; i < operations; i++)
        {
            final long key = switch (keyShape)
            {
                case 0 -> random.nextInt(3_000) - 1_000;
                case 1 -> (long)random.nextInt(3_000) << 20;
                default -> random.nextLong();
            };
            final int choice = random.nextInt(10);
            if (choice < 5)
            {
                index.put(key, i);
                expected.put(key, i);
            }
            else if (choice < 8)
            {
                index.remove(key);
                expected.remove(key);
            }
            else
            {
                assertEquals(expected.getOrDefault(key, KeyIndex.NONE).intValue(), index.get(key));
            }
        }
        assertEquals(expected.size(), index.size());
        for (final Map.Entry<Long, Integer> entry : expected.entrySet())
        {
            assertEquals(entry.getValue().intValue(), index.get(entry.getKey().longValue()));
        }
        for (final Long key : expected.keySet())
        {
            index.remove(key.longValue());
        }
        assertEquals(0, index.size());
        assertEquals(KeyIndex.NONE, index.get(0L));
    }
}
