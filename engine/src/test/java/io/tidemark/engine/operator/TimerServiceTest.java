package io.tidemark.engine.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemark.engine.state.KeyGroupRange;
import io.tidemark.engine.state.KeyGroups;
import io.tidemark.engine.state.KeyedStateBackend;
import io.tidemark.engine.state.Serializers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimerServiceTest
{
    private static final int MAX_PARALLELISM = 8;

    private final List<String> fired = new ArrayList<>();

    private TimerService<String> service(final KeyedStateBackend backend)
    {
        return new TimerService<>(backend, new TimerService.Target<>()
        {
            @Override
            public void onEventTime(final long timestamp, final String namespace)
            {
                fired.add("event " + backend.currentKey() + "/" + namespace + "@" + timestamp);
            }

            @Override
            public void onProcessingTime(final long timestamp, final String namespace)
            {
                fired.add("processing " + backend.currentKey() + "/" + namespace + "@" + timestamp);
            }
        }, Serializers.STRING);
    }

    private static KeyedStateBackend backend(final KeyGroupRange range)
    {
        return new KeyedStateBackend(MAX_PARALLELISM, range, Serializers.any());
    }

    @Test
    void timersFireOnceInTimestampOrderWithTheirKeyCurrent() throws Exception
    {
        final KeyedStateBackend backend = backend(new KeyGroupRange(0, MAX_PARALLELISM - 1));
        final TimerService<String> timers = service(backend);
        backend.setCurrentKey("b");
        timers.registerEventTimeTimer("w", 30);
        timers.registerEventTimeTimer("w", 30);
        timers.registerEventTimeTimer("w", 10);
        backend.setCurrentKey("a");
        timers.registerEventTimeTimer("w", 20);
        timers.registerEventTimeTimer("w", 10);
        timers.registerProcessingTimeTimer("p", 5);
        backend.setCurrentKey("b");
        timers.deleteEventTimeTimer("w", 10);
        timers.advanceWatermark(25);
        assertEquals(List.of("event a/w@10", "event a/w@20"), fired);
        assertEquals(25, timers.currentWatermark());
        timers.advanceProcessingTime(4);
        timers.advanceProcessingTime(5);
        timers.advanceWatermark(Long.MAX_VALUE);
        assertEquals(List.of("event a/w@10", "event a/w@20", "processing a/p@5", "event b/w@30"), fired);
    }

    @Test
    void timersSurviveASnapshotAndEachSubtaskKeepsItsOwnKeys() throws Exception
    {
        final KeyedStateBackend all = backend(new KeyGroupRange(0, MAX_PARALLELISM - 1));
        final TimerService<String> timers = service(all);
        final List<String> keys = List.of("a", "b", "c", "d", "e", "f", "g", "h");
        for (int i = 0; i < keys.size(); i++)
        {
            all.setCurrentKey(keys.get(i));
            timers.registerEventTimeTimer("w", 100 - i);
            timers.registerProcessingTimeTimer("p", 7);
        }
        timers.advanceWatermark(50);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        timers.snapshot(new DataOutputStream(bytes));

        final List<String> restoredFirings = new ArrayList<>();
        for (int subtask = 0; subtask < 2; subtask++)
        {
            fired.clear();
            final KeyGroupRange range = KeyGroups.rangeFor(MAX_PARALLELISM, 2, subtask);
            final TimerService<String> half = service(backend(range));
            half.restore(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertEquals(50, half.currentWatermark());
            half.advanceWatermark(Long.MAX_VALUE);
            half.advanceProcessingTime(Long.MAX_VALUE);
            for (final String firing : fired)
            {
                final String key = firing.substring(firing.indexOf(' ') + 1, firing.indexOf('/'));
                assertEquals(true, range.contains(KeyGroups.keyGroupFor(key, MAX_PARALLELISM)), firing);
            }
            restoredFirings.addAll(fired);
        }
        assertEquals(16, restoredFirings.size(), "every timer is restored exactly once, by the subtask that owns its key");
    }

    @Test
    void aLongKeySetByValueIsTheSameKeyAsItsBoxAndStaysByValueWhenItsTimerFires() throws Exception
    {
        final KeyedStateBackend backend = backend(new KeyGroupRange(0, MAX_PARALLELISM - 1));
        final List<Boolean> firedByValue = new ArrayList<>();
        final TimerService<String> timers = new TimerService<>(backend, new TimerService.Target<>()
        {
            @Override
            public void onEventTime(final long timestamp, final String namespace)
            {
                fired.add("event " + backend.currentKey() + "/" + namespace + "@" + timestamp);
                firedByValue.add(backend.currentKeyIsLong());
            }

            @Override
            public void onProcessingTime(final long timestamp, final String namespace)
            {
                fired.add("processing " + backend.currentKey() + "/" + namespace + "@" + timestamp);
            }
        }, Serializers.STRING);
        backend.setCurrentLongKey(7);
        timers.registerEventTimeTimer("w", 20);
        timers.registerEventTimeTimer("w", 10);
        timers.registerProcessingTimeTimer("p", 5);
        backend.setCurrentKey(7L);
        timers.registerEventTimeTimer("w", 20);
        timers.deleteEventTimeTimer("w", 10);
        backend.setCurrentKey("s");
        timers.registerEventTimeTimer("w", 20);
        assertEquals(2, timers.eventTimeTimerCount());

        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        timers.snapshot(new DataOutputStream(bytes));
        timers.restore(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(2, timers.eventTimeTimerCount(), "a restored Long key is the timer registered by value");
        assertEquals(1, timers.processingTimeTimerCount());

        backend.setCurrentLongKey(7);
        timers.deleteProcessingTimeTimer("p", 5);
        timers.advanceProcessingTime(Long.MAX_VALUE);
        timers.advanceWatermark(Long.MAX_VALUE);
        assertEquals(List.of("event 7/w@20", "event s/w@20"), fired);
        assertEquals(List.of(true, false), firedByValue);
    }
}
