package io.tidemark.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import io.tidemark.connector.log.LogDeserializer;
import io.tidemark.connector.log.LogSource;
import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.producer.Producer;
import io.tidemark.log.producer.ProducerConfig;
import io.tidemark.log.producer.ProducerRecord;
import io.tidemark.log.topic.LogManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicW1Test
{
    @TempDir
    Path dataDir;

    @Test
    void eventsSurviveTheirRecordFormatAndOtherShapesAreRejectedByName() throws Exception
    {
        final LogDeserializer<Event> deserializer = TopicEvents.deserializer();
        for (final long i : new long[] {0, 1, 99_999, 19_999_999})
        {
            final Event event = Event.generate(i, ThroughputWorkload.W1.users());
            assertEquals(event, deserializer.deserialize(TopicEvents.key(event), TopicEvents.value(event)));
        }
        final Event negative = new Event(-1, Long.MIN_VALUE, Long.MAX_VALUE);
        assertEquals(negative, deserializer.deserialize(TopicEvents.key(negative), TopicEvents.value(negative)));
        final IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> deserializer.deserialize(new byte[8], new byte[15]));
        assertTrue(wrong.getMessage().contains("were 8 and 15"), wrong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> deserializer.deserialize(null, new byte[16]));
    }

    @Test
    void w1OverTheLoadedLogCountsEveryEventOnceFromBothPartitions()
    {
        final long events = 30_001;
        TopicW1Loader.loadLog(dataDir, "w1", events);
        try (LogManager logs = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            assertEquals(15_001, logs.partition(new TopicPartition("w1", 0)).logEndOffset(), "even events in partition 0");
            assertEquals(15_000, logs.partition(new TopicPartition("w1", 1)).logEndOffset(), "odd events in partition 1");
            // run throws unless the counts add up to the events.
            assertTrue(TopicW1Run.run(LogSource.bounded(logs, "w1", TopicEvents.deserializer()), "w1", events) > 0);
            final IllegalStateException short_ = assertThrows(IllegalStateException.class,
                () -> TopicW1Run.run(LogSource.bounded(logs, "w1", TopicEvents.deserializer()), "w1", events + 1));
            assertTrue(short_.getMessage().contains("add up to 30001, expected 30002"), short_.getMessage());
        }
    }

    @Test
    void aRecordOfAnotherShapeFailsTheRunNamingWhereItIs()
    {
        try (LogManager logs = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            logs.createTopic("mixed", 1, Map.of());
            try (Producer producer = new Producer(logs, ProducerConfig.defaults()))
            {
                final Event event = Event.generate(0, ThroughputWorkload.W1.users());
                producer.send(new ProducerRecord("mixed", 0, event.eventTimeMs(), TopicEvents.key(event), TopicEvents.value(event), null));
                producer.send(new ProducerRecord("mixed", 0, event.eventTimeMs(), TopicEvents.key(event), new byte[3], null));
                producer.flush();
            }
            final RuntimeException failed = assertThrows(RuntimeException.class,
                () -> TopicW1Run.run(LogSource.bounded(logs, "mixed", TopicEvents.deserializer()), "mixed", 2));
            assertTrue(messages(failed).contains("offset 1") && messages(failed).contains("were 8 and 3"), messages(failed));
        }
    }

    private static String messages(final Throwable thrown)
    {
        final StringBuilder all = new StringBuilder();
        for (Throwable t = thrown; t != null; t = t.getCause())
        {
            all.append(t).append('\n');
        }
        return all.toString();
    }
}
