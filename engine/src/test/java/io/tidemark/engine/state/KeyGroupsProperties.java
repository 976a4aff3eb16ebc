package io.tidemark.engine.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class KeyGroupsProperties
{
    @Property
    void rangesPartitionTheKeyGroupsAndAgreeWithSubtaskFor(
        @ForAll @IntRange(min = 1, max = 512) final int maxParallelism,
        @ForAll @IntRange(min = 1, max = 64) final int parallelism)
    {
        Assume.that(parallelism <= maxParallelism);
        int next = 0;
        for (int subtask = 0; subtask < parallelism; subtask++)
        {
            final KeyGroupRange range = KeyGroups.rangeFor(maxParallelism, parallelism, subtask);
            assertEquals(next, range.start(), "contiguous");
            assertTrue(range.size() >= 1, "every subtask owns a key group");
            for (int keyGroup = range.start(); keyGroup <= range.end(); keyGroup++)
            {
                assertEquals(subtask, KeyGroups.subtaskFor(keyGroup, maxParallelism, parallelism));
            }
            next = range.end() + 1;
        }
        assertEquals(maxParallelism, next, "complete");
    }

    @Property
    void aKeyGroupIsAlwaysInRange(@ForAll final int hashCode, @ForAll @IntRange(min = 1, max = 4096) final int maxParallelism)
    {
        final int keyGroup = KeyGroups.keyGroupForHash(hashCode, maxParallelism);
        assertTrue(keyGroup >= 0 && keyGroup < maxParallelism);
    }
}
