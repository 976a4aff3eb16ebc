package io.tidemark.connector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.connector.log.LogDeserializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

/**
 * What the Kafka source decides without a broker: its settings, the consumer configuration it
 * builds, how checkpoints store a split, and which subtask owns a partition found later.
 */
class KafkaSourceBuilderTest
{
    private static KafkaSource.Builder<String> builder()
    {
        return KafkaSource.builder("127.0.0.1:9092", LogDeserializer.utf8Values());
    }

    @Test
    void aSplitSurvivesItsSerializer() throws IOException
    {
        final KafkaSplit split = new KafkaSplit("clicks", 7, 1041, KafkaSplit.UNBOUNDED);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        KafkaSplit.SERIALIZER.serialize(split, new DataOutputStream(bytes));
        assertEquals(split, KafkaSplit.SERIALIZER.deserialize(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
        assertEquals("clicks-7", split.splitId());
        assertEquals(new KafkaSplit("clicks", 7, 2000, KafkaSplit.UNBOUNDED), split.resumedAt(2000));
    }

    @Test
    void aPartitionFoundLaterBelongsToOneSubtaskByFlinksRule()
    {
        for (int parallelism = 1; parallelism <= 5; parallelism++)
        {
            for (int partition = 0; partition < 20; partition++)
            {
                final int owner = KafkaSource.owner("clicks", partition, parallelism);
                assertEquals(((("clicks".hashCode() * 31) & 0x7FFFFFFF) + partition) % parallelism, owner);
                assertTrue(owner >= 0 && owner < parallelism);
            }
        }
        assertTrue(KafkaSource.owner("topic-with-a-large-hash", 1000, 7) >= 0);
    }

    @Test
    void defaultsAreReadCommittedEarliestWithIdlenessAndDiscovery()
    {
        final KafkaSource<String> source = builder().topics("clicks").build();
        assertFalse(source.isBounded());
        assertEquals(KafkaSource.DEFAULT_IDLE_TIMEOUT, source.defaultIdleTimeout());
        assertEquals(KafkaSource.DEFAULT_DISCOVERY_INTERVAL, source.discoveryInterval());
        assertEquals("read_committed", source.consumerProperties().get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        assertEquals("false", source.consumerProperties().get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
        assertFalse(source.consumerProperties().containsKey(ConsumerConfig.GROUP_ID_CONFIG));
    }

    @Test
    void aBoundedSourceDoesNotDiscoverAndIdlenessCanBeTurnedOff()
    {
        final KafkaSource<String> source = builder().topicPattern(Pattern.compile("clicks-.*")).bounded().idleTimeout(Duration.ZERO).build();
        assertTrue(source.isBounded());
        assertEquals(Duration.ZERO, source.discoveryInterval());
        assertEquals(Duration.ZERO, source.defaultIdleTimeout());
    }

    @Test
    void consumerPropertiesGoToTheConsumerAndOnlyAdminKeysToTheAdmin()
    {
        final KafkaSource<String> source = builder().topics("clicks").groupId("g").property("fetch.min.bytes", "1024").property("security.protocol", "PLAINTEXT").build();
        assertEquals("1024", source.consumerProperties().get("fetch.min.bytes"));
        assertEquals("g", source.consumerProperties().get(ConsumerConfig.GROUP_ID_CONFIG));
        assertFalse(source.adminProperties().containsKey("fetch.min.bytes"), "the Admin would warn about a consumer key");
        assertEquals("PLAINTEXT", source.adminProperties().get("security.protocol"));
    }

    @Test
    void settingsThatCannotWorkAreRefusedSayingWhatToDo()
    {
        assertTrue(assertThrows(IllegalStateException.class, () -> builder().build()).getMessage().contains("topics or a topic pattern"));
        assertThrows(IllegalStateException.class, () -> builder().topics("a").topicPattern(Pattern.compile("b")).build());
        assertTrue(assertThrows(IllegalStateException.class, () -> builder().topics("a").commitOffsetsOnCheckpoint(true).build()).getMessage().contains("groupId"));
        assertThrows(IllegalStateException.class, () -> builder().topics("a").startingAt(KafkaStartPosition.committed(KafkaStartPosition.earliest())).build());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> builder().property("isolation.level", "read_uncommitted")).getMessage().contains("isolationLevel"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> builder().property("group.id", "g")).getMessage().contains("groupId"));
        assertThrows(IllegalArgumentException.class, () -> KafkaStartPosition.committed(KafkaStartPosition.timestamp(5)));
        assertThrows(IllegalArgumentException.class, () -> builder().partitionDiscovery(Duration.ofSeconds(-1)));
    }
}
