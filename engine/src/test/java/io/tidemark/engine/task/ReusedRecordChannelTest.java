package io.tidemark.engine.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.tidemark.engine.functions.ReusableRecord;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;

class ReusedRecordChannelTest
{
    /** A mutable record, as a source that reuses one would emit. */
    static final class Counter implements ReusableRecord<Counter>
    {
        long value;

        Counter(final long value)
        {
            this.value = value;
        }

        @Override
        public Counter copy()
        {
            return new Counter(value);
        }

        @Override
        public void copyFrom(final Counter other)
        {
            value = other.value;
        }
    }

    /** Keeps what it is handed: the records themselves, and their values at the time. */
    static final class Keeper extends ChannelTest.Recorder
    {
        final List<Object> records = new ArrayList<>();
        final List<Long> longKeys = new ArrayList<>();

        @Override
        public void onRecord(final Object key, final Object value, final long timestamp)
        {
            records.add(value);
            seen.add(((Counter)value).value + "@" + timestamp);
        }

        @Override
        public void onLongKeyedRecord(final long key, final Object value, final long timestamp)
        {
            longKeys.add(key);
            onRecord(null, value, timestamp);
        }
    }

    private static ChannelWriter writer(final Channel channel)
    {
        return new ChannelWriter(channel, 1, 0, new BackoffIdleStrategy(1, 1, 1_000, 100_000), new JobControl(1), new Doorbell());
    }

    /** A channel whose writer copies, as one from a source that reuses its records. */
    private static Channel copyingChannel(final int capacity)
    {
        return new Channel("test", capacity, false, true);
    }

    private static ChannelReader recyclingReader(final Channel channel)
    {
        final ChannelReader reader = new ChannelReader(channel);
        reader.recycleRecords();
        return reader;
    }

    @Test
    void aWriterOfAProducerThatDoesNotReuseItsRecordsPassesThemByReference()
    {
        final Channel channel = new Channel("test", 4);
        final ChannelWriter writer = writer(channel);
        final ChannelReader reader = recyclingReader(channel);
        final Counter fresh = new Counter(1);
        writer.writeRecord(null, fresh, 1);
        final Keeper keeper = new Keeper();
        reader.drain(keeper, 10);
        assertSame(fresh, keeper.records.get(0));
    }

    @Test
    void aRecyclingReaderOfAChannelThatPassesReferencesKeepsNoRecordAlive()
    {
        final Channel channel = new Channel("test", 8);
        final ChannelWriter writer = writer(channel);
        final ChannelReader reader = recyclingReader(channel);
        writer.writeRecord(null, new Counter(1), 1);
        writer.writeRecord(null, new StringBuilder("not reusable"), 2);
        assertEquals(2, reader.drain(new ChannelTest.Recorder(), 10));
        for (final Object slot : channel.values)
        {
            assertNull(slot, "the ring keeps a handed-over record that no writer will copy into");
        }
    }

    @Test
    void aReusableRecordIsCopiedSoThatItsProducerCanRefillIt()
    {
        final Channel channel = copyingChannel(4);
        final ChannelWriter writer = writer(channel);
        final ChannelReader reader = new ChannelReader(channel);
        final Counter reused = new Counter(0);
        for (long i = 1; i <= 3; i++)
        {
            reused.value = i;
            writer.writeRecord(null, reused, i);
        }
        reused.value = 99;
        final Keeper keeper = new Keeper();
        assertEquals(3, reader.drain(keeper, 10));
        assertEquals(List.of("1@1", "2@2", "3@3"), keeper.seen);
        for (final Object record : keeper.records)
        {
            assertNotSame(reused, record);
        }
        // Without recycling, a consumer may keep what it got: the next lap gets new records.
        for (long i = 4; i <= 7; i++)
        {
            reused.value = i;
            writer.writeRecord(null, reused, i);
            reader.drain(keeper, 10);
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), keeper.records.stream().map(r -> ((Counter)r).value).toList());
    }

    @Test
    void aRecyclingConsumerGetsTheSlotsOwnRecordsLapAfterLap()
    {
        final Channel channel = copyingChannel(2);
        final ChannelWriter writer = writer(channel);
        final ChannelReader reader = recyclingReader(channel);
        final Counter reused = new Counter(0);
        final Keeper keeper = new Keeper();
        for (long i = 0; i < 6; i++)
        {
            reused.value = i;
            writer.writeRecord(null, reused, i);
            assertEquals(1, reader.drain(keeper, 10));
        }
        assertEquals(List.of("0@0", "1@1", "2@2", "3@3", "4@4", "5@5"), keeper.seen);
        // Two slots: two records of the channel's own, each handed over three times.
        assertSame(keeper.records.get(0), keeper.records.get(2));
        assertSame(keeper.records.get(0), keeper.records.get(4));
        assertSame(keeper.records.get(1), keeper.records.get(5));
        assertNotSame(keeper.records.get(0), keeper.records.get(1));
        assertNotSame(reused, keeper.records.get(0));
    }

    @Test
    void aLongKeyedChannelCarriesItsKeysByValue()
    {
        final Channel channel = new Channel("test", 4, true);
        final ChannelWriter writer = writer(channel);
        final ChannelReader reader = new ChannelReader(channel, 1, true);
        final Keeper keeper = new Keeper();
        writer.writeLongKeyedRecord(Long.MIN_VALUE, new Counter(1), 10);
        writer.writeWatermark(10);
        writer.writeLongKeyedRecord(42, new Counter(2), 11);
        reader.drain(keeper, 10);
        assertEquals(List.of(Long.MIN_VALUE, 42L), keeper.longKeys);
        assertEquals(List.of("1@10", "wm10", "2@11"), keeper.seen);
        // A handler that takes keys as objects gets each as a Long.
        final ChannelTest.Recorder boxed = new ChannelTest.Recorder();
        writer.writeLongKeyedRecord(7, "x", 12);
        reader.drain(boxed, 10);
        assertEquals(List.of("7:x@12"), boxed.seen);
    }
}
