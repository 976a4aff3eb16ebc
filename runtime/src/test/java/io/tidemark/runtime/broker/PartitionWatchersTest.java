package io.tidemark.runtime.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;

import io.tidemark.log.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The wake-up rules of waiting fetches, one thread playing every part so that each
 * interleaving is exact: a registration is woken once, and a waiter registering again can
 * always tell whether an append slipped by in between.
 */
class PartitionWatchersTest
{
    private static final TopicPartition PARTITION = new TopicPartition("t", 0);

    private final PartitionWatchers watchers = new PartitionWatchers();
    private final List<Long> woken = new ArrayList<>();

    @Test
    void aRegistrationIsWokenOnceAndAReRegistrationWaitsForTheNextAppend()
    {
        final PartitionWatchers.Waiter waiter = new PartitionWatchers.Waiter()
        {
            @Override
            public void dataArrived(final TopicPartition partition, final int bytes, final long append)
            {
                woken.add(append);
                assertEquals(append, watchers.watch(partition, this), "nothing appended since the append waking it");
            }
        };
        assertEquals(0, watchers.watch(PARTITION, waiter));
        watchers.appended(PARTITION, 10);
        assertEquals(List.of(1L), woken, "woken once by the first append, not again by its own registration");
        watchers.appended(PARTITION, 10);
        assertEquals(List.of(1L, 2L), woken);
        watchers.unwatch(PARTITION, this::ignore);
        watchers.appended(PARTITION, 10);
        assertEquals(List.of(1L, 2L, 3L), woken, "still registered: unwatching another waiter changes nothing");
    }

    @Test
    void anAppendBetweenAWakeUpAndTheReRegistrationIsNoticed()
    {
        final long[] seenAtRegistration = new long[1];
        final PartitionWatchers.Waiter waiter = new PartitionWatchers.Waiter()
        {
            @Override
            public void dataArrived(final TopicPartition partition, final int bytes, final long append)
            {
                woken.add(append);
                if (woken.size() == 1)
                {
                    // Another producer appends while this waiter is between its wake-up and its
                    // registration: the set is empty then, so that append wakes nobody.
                    watchers.appended(partition, 600);
                    seenAtRegistration[0] = watchers.watch(partition, this);
                }
            }
        };
        watchers.watch(PARTITION, waiter);
        watchers.appended(PARTITION, 600);
        assertEquals(List.of(1L), woken, "the second append found nobody to wake");
        assertNotEquals(woken.get(0), seenAtRegistration[0], "but the count tells the waiter it missed one");
        assertEquals(2, seenAtRegistration[0]);
    }

    @Test
    void aWaiterThatFailsDoesNotKeepTheOthersFromBeingWoken()
    {
        watchers.watch(PARTITION, (partition, bytes, append) ->
        {
            throw new IllegalStateException("its event loop is shut down");
        });
        // Five more, so that whatever the set's order, some come after the failing one.
        for (int i = 0; i < 5; i++)
        {
            watchers.watch(PARTITION, (partition, bytes, append) -> woken.add(append));
        }
        watchers.appended(PARTITION, 1);
        assertEquals(List.of(1L, 1L, 1L, 1L, 1L), woken);
    }

    private void ignore(final TopicPartition partition, final int bytes, final long append)
    {
    }
}
