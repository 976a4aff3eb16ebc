package io.tidemark.engine.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.checkpoint.CheckpointBarrier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;

class ChannelTest
{
    /** Records what a reader hands over, as readable strings. */
    static class Recorder implements ChannelReader.Handler
    {
        final List<String> seen = new ArrayList<>();

        @Override
        public void onRecord(final Object key, final Object value, final long timestamp)
        {
            seen.add((key == null ? "" : key + ":") + value + "@" + timestamp);
        }

        @Override
        public void onWatermark(final long watermark)
        {
            seen.add("wm" + watermark);
        }

        @Override
        public void onIdle(final boolean idle)
        {
            seen.add(idle ? "idle" : "active");
        }

        @Override
        public void onBarrier(final CheckpointBarrier barrier)
        {
            seen.add("barrier" + barrier.id());
        }

        @Override
        public void onEndOfInput()
        {
            seen.add("end");
        }
    }

    private static ChannelWriter writer(final Channel channel, final int batchSize, final long flushTimeoutNanos, final JobControl control)
    {
        return new ChannelWriter(channel, batchSize, flushTimeoutNanos, new BackoffIdleStrategy(1, 1, 1_000, 100_000), control, new Doorbell());
    }

    @Test
    void recordsAndControlElementsArriveInOrderWithTheirKeysAndTimestamps()
    {
        final Channel channel = new Channel("test", 8);
        final ChannelWriter writer = writer(channel, 1, 0, new JobControl(1));
        final ChannelReader reader = new ChannelReader(channel);
        final Recorder recorder = new Recorder();
        writer.writeRecord("k", "a", 1);
        writer.writeWatermark(5);
        writer.writeIdle(true);
        writer.writeIdle(false);
        writer.writeRecord(null, "b", 7);
        writer.writeEndOfInput();
        assertEquals(6, reader.drain(recorder, 100));
        assertEquals(List.of("k:a@1", "wm5", "idle", "active", "b@7", "end"), recorder.seen);
        assertEquals(0, reader.drain(recorder, 100));
    }

    @Test
    void aBarrierIsPublishedAtOnceAndEndsTheDrainSoThatWhatFollowsCanBeHeldBack()
    {
        final Channel channel = new Channel("test", 16);
        final ChannelWriter writer = writer(channel, 8, TimeUnit.SECONDS.toNanos(60), new JobControl(1));
        final ChannelReader reader = new ChannelReader(channel);
        final Recorder recorder = new Recorder();
        writer.writeRecord(null, "a", 1);
        writer.writeBarrier(new CheckpointBarrier(3, 0, false));
        writer.writeRecord(null, "b", 2);
        writer.flush();
        assertEquals(2, reader.drain(recorder, 100), "the drain stops right after the barrier");
        assertEquals(List.of("a@1", "barrier3"), recorder.seen);
        assertTrue(reader.hasInput());
        assertEquals(1, reader.drain(recorder, 100));
        assertEquals(List.of("a@1", "barrier3", "b@2"), recorder.seen);
    }

    @Test
    void aSleepingConsumerWakesWhenAWriterPublishesNotWhenItsTimerEnds() throws InterruptedException
    {
        final Channel channel = new Channel("test", 8);
        final Doorbell doorbell = new Doorbell();
        final ChannelWriter writer = new ChannelWriter(channel, 4, TimeUnit.SECONDS.toNanos(60), new BackoffIdleStrategy(1, 1, 1_000, 100_000), new JobControl(1), doorbell);
        final ChannelReader reader = new ChannelReader(channel);
        final AtomicLong wokeAfterNanos = new AtomicLong(-1);
        final Thread consumer = new Thread(() ->
        {
            final long start = System.nanoTime();
            while (!reader.hasInput())
            {
                // A minute-long sleep: only the doorbell can end it in time for the assertion.
                doorbell.sleep(TimeUnit.SECONDS.toNanos(60), reader::hasInput);
            }
            wokeAfterNanos.set(System.nanoTime() - start);
        });
        consumer.start();
        writer.writeRecord(null, "a", 0);
        writer.flush();
        consumer.join(TimeUnit.SECONDS.toMillis(30));
        assertTrue(wokeAfterNanos.get() >= 0 && wokeAfterNanos.get() < TimeUnit.SECONDS.toNanos(30), "woke after " + wokeAfterNanos.get() + " ns");
        final Recorder recorder = new Recorder();
        assertEquals(1, reader.drain(recorder, 10));
        assertEquals(List.of("a@0"), recorder.seen);
    }

    @Test
    void flushPublishesWhatABatchHoldsBack()
    {
        final Channel channel = new Channel("test", 8);
        final ChannelWriter writer = writer(channel, 4, TimeUnit.SECONDS.toNanos(60), new JobControl(1));
        final ChannelReader reader = new ChannelReader(channel);
        writer.writeRecord(null, "a", 0);
        assertFalse(reader.hasInput(), "a batch of 4 holds one record back");
        writer.flush();
        assertTrue(reader.hasInput());
        final Recorder recorder = new Recorder();
        assertEquals(1, reader.drain(recorder, 10));
        assertFalse(reader.hasInput());
    }

    @Test
    void recordsStayInvisibleUntilTheirBatchIsFullOrTheFlushTimeoutPasses()
    {
        final Channel channel = new Channel("test", 16);
        final long timeout = TimeUnit.MILLISECONDS.toNanos(50);
        final ChannelWriter writer = writer(channel, 3, timeout, new JobControl(1));
        final ChannelReader reader = new ChannelReader(channel);
        final Recorder recorder = new Recorder();
        writer.writeRecord(null, "a", 0);
        writer.writeRecord(null, "b", 0);
        assertEquals(0, reader.drain(recorder, 100), "a batch of 3 is not full yet");
        writer.writeRecord(null, "c", 0);
        assertEquals(3, reader.drain(recorder, 100));
        writer.writeRecord(null, "d", 0);
        writer.flushIfDue(System.nanoTime());
        assertEquals(0, reader.drain(recorder, 100), "the timeout has not passed");
        writer.flushIfDue(System.nanoTime() + timeout);
        assertEquals(1, reader.drain(recorder, 100));
        writer.writeRecord(null, "e", 0);
        writer.writeWatermark(9);
        assertEquals(2, reader.drain(recorder, 100), "a control element publishes what is pending");
    }

    @Test
    void aFullChannelBlocksItsProducerUntilTheConsumerCatchesUp() throws Exception
    {
        final Channel channel = new Channel("test", 4);
        final ChannelWriter writer = writer(channel, 1, 0, new JobControl(1));
        final ChannelReader reader = new ChannelReader(channel);
        final AtomicLong written = new AtomicLong();
        final Thread producer = new Thread(() ->
        {
            for (int i = 0; i < 10; i++)
            {
                writer.writeRecord(null, i, i);
                written.incrementAndGet();
            }
        });
        producer.start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (written.get() < 4 && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
        }
        assertEquals(4, written.get(), "four slots filled");
        producer.join(50);
        assertTrue(producer.isAlive(), "the fifth write waits for room");
        assertEquals(4, written.get());
        final Recorder recorder = new Recorder();
        while (recorder.seen.size() < 10 && System.nanoTime() < deadline)
        {
            reader.drain(recorder, 2);
        }
        producer.join(TimeUnit.SECONDS.toMillis(10));
        assertEquals(List.of("0@0", "1@1", "2@2", "3@3", "4@4", "5@5", "6@6", "7@7", "8@8", "9@9"), recorder.seen);
        assertTrue(writer.backpressureWaits() > 0);
    }

    @Test
    void aProducerWaitingOnAFullChannelStopsWhenTheJobIsCancelled()
    {
        final Channel channel = new Channel("test", 2);
        final JobControl control = new JobControl(1);
        final ChannelWriter writer = writer(channel, 1, 0, control);
        writer.writeRecord(null, "a", 0);
        writer.writeRecord(null, "b", 0);
        control.cancel();
        assertThrows(JobControl.CancelledException.class, () -> writer.writeRecord(null, "c", 0));
    }

    @Test
    void manyRecordsCrossThreadsInOrderThroughASmallRing() throws Exception
    {
        final Channel channel = new Channel("test", 64);
        final JobControl control = new JobControl(1);
        final ChannelWriter writer = writer(channel, 16, TimeUnit.MILLISECONDS.toNanos(1), control);
        final ChannelReader reader = new ChannelReader(channel);
        // The ring wraps about 800 times; more only makes the test slow on a loaded machine.
        final int count = 50_000;
        final Thread producer = new Thread(() ->
        {
            try
            {
                for (long i = 0; i < count; i++)
                {
                    writer.writeRecord(null, i, i);
                }
                writer.writeEndOfInput();
            }
            catch (final JobControl.CancelledException e)
            {
                // The reader gave up: the assertions below say how far it got.
            }
        });
        producer.start();
        final long[] expected = {0};
        final boolean[] ended = {false};
        final ChannelReader.Handler check = new Recorder()
        {
            @Override
            public void onRecord(final Object key, final Object value, final long timestamp)
            {
                assertEquals(expected[0], (long)(Long)value);
                assertEquals(expected[0], timestamp);
                expected[0]++;
            }

            @Override
            public void onEndOfInput()
            {
                ended[0] = true;
            }
        };
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!ended[0] && System.nanoTime() < deadline)
        {
            if (reader.drain(check, 100) == 0)
            {
                Thread.yield();
            }
        }
        // A writer blocked on a full ring would otherwise wait forever for a reader that gave up.
        control.cancel();
        producer.join();
        assertTrue(ended[0]);
        assertEquals(count, expected[0]);
    }

    @Test
    void theCapacityMustBeAPowerOfTwo()
    {
        assertThrows(IllegalArgumentException.class, () -> new Channel("test", 12));
    }
}
