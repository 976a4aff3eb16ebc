package io.tidemark.runtime.broker;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.tidemark.log.group.GroupDescription;
import io.tidemark.log.group.GroupState;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Consumer groups with Kafka's own Java consumer against the server: three consumers share six
 * partitions, each record read once in key order; one leaves and the others take its
 * partitions; committed offsets survive a server restart; admin tools see the group and its
 * offsets.
 */
class KafkaGroupsTest
{
    private static final String TOPIC = "orders";
    private static final String GROUP = "billing";
    private static final int PARTITIONS = 6;

    @TempDir
    Path dataDir;

    private static void waitUntil(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    private static KafkaConsumer<byte[], byte[]> groupConsumer(final TestServer server, final String client)
    {
        final Properties properties = KafkaClientsTest.common(server);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, client);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 200);
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static int produce(final TestServer server, final int keys, final int perKey, final int firstSeq) throws Exception
    {
        try (KafkaProducer<byte[], byte[]> producer = KafkaClientsTest.producer(server, Map.of()))
        {
            for (int seq = firstSeq; seq < firstSeq + perKey; seq++)
            {
                for (int k = 0; k < keys; k++)
                {
                    producer.send(new ProducerRecord<>(TOPIC, ("key-" + k).getBytes(StandardCharsets.UTF_8),
                        ("key-" + k + ":" + seq).getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();
        }
        return keys * perKey;
    }

    /** A Kafka consumer on its own thread that commits after every poll. */
    private static final class Member implements Runnable
    {
        final KafkaConsumer<byte[], byte[]> consumer;
        final List<ConsumerRecord<byte[], byte[]>> records = java.util.Collections.synchronizedList(new ArrayList<>());
        final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
        final Thread thread = new Thread(this);
        volatile boolean stopped;

        Member(final KafkaConsumer<byte[], byte[]> consumer)
        {
            this.consumer = consumer;
        }

        @Override
        public void run()
        {
            consumer.subscribe(List.of(TOPIC), new ConsumerRebalanceListener()
            {
                @Override
                public void onPartitionsRevoked(final Collection<TopicPartition> partitions)
                {
                    owned.removeAll(partitions);
                }

                @Override
                public void onPartitionsAssigned(final Collection<TopicPartition> partitions)
                {
                    owned.addAll(partitions);
                }
            });
            while (!stopped)
            {
                final var polled = consumer.poll(Duration.ofMillis(50));
                polled.forEach(records::add);
                if (!polled.isEmpty())
                {
                    consumer.commitSync();
                }
            }
            consumer.close();
        }

        void stop() throws InterruptedException
        {
            stopped = true;
            thread.join(60_000);
        }
    }

    private static boolean stable(final TestServer server, final int members)
    {
        final GroupDescription group = server.server().groups().describeGroup(GROUP);
        return group.state() == GroupState.STABLE && group.members().size() == members;
    }

    @Test
    void threeKafkaConsumersShareSixPartitionsRebalanceAndResumeAfterARestart() throws Exception
    {
        try (TestServer server = TestServer.start(dataDir, Map.of("group.initial.rebalance.delay.ms", "0"));
             Admin admin = KafkaClientsTest.admin(server))
        {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short)1))).all().get();
            final List<Member> members = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                members.add(new Member(groupConsumer(server, "c" + i)));
                members.get(i).thread.start();
            }
            waitUntil(() -> stable(server, 3) && members.stream().allMatch(m -> m.owned.size() == 2), "three members with two partitions each");

            final int first = produce(server, 30, 100, 0);
            waitUntil(() -> members.stream().mapToInt(m -> m.records.size()).sum() >= first, "every record is consumed");
            final Set<String> seen = new HashSet<>();
            for (final Member member : members)
            {
                final Map<String, Integer> lastSeq = new HashMap<>();
                synchronized (member.records)
                {
                    for (final ConsumerRecord<byte[], byte[]> record : member.records)
                    {
                        assertTrue(seen.add(record.partition() + "@" + record.offset()), "read twice");
                        final String[] kv = new String(record.value(), StandardCharsets.UTF_8).split(":");
                        assertEquals(lastSeq.getOrDefault(kv[0], -1) + 1, Integer.parseInt(kv[1]), "per-key order of " + kv[0]);
                        lastSeq.put(kv[0], Integer.parseInt(kv[1]));
                    }
                }
            }
            assertEquals(first, seen.size());

            // One leaves: the other two take its partitions.
            members.get(0).stop();
            waitUntil(() -> stable(server, 2) && members.get(1).owned.size() + members.get(2).owned.size() == PARTITIONS,
                "the two left own all six partitions");
            final int second = produce(server, 30, 10, 100);
            waitUntil(() -> members.get(1).records.size() + members.get(2).records.size() >= first + second - members.get(0).records.size(),
                "the rest is consumed by the two");
            members.get(1).stop();
            members.get(2).stop();

            final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
            assertEquals(PARTITIONS, committed.size());
            assertEquals(first + second, committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum(), "everything is committed");
            assertTrue(admin.listGroups().all().get().stream().anyMatch(g -> g.groupId().equals(GROUP)), "admin lists the group");

            server.restart();
            final int third = produce(server, 30, 5, 110);
            try (KafkaConsumer<byte[], byte[]> after = groupConsumer(server, "after-restart"))
            {
                after.subscribe(List.of(TOPIC));
                final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (records.size() < third && System.nanoTime() < deadline)
                {
                    after.poll(Duration.ofMillis(100)).forEach(records::add);
                }
                assertEquals(third, records.size(), "only what came after the commits is read again");
                records.forEach(r -> assertTrue(Integer.parseInt(new String(r.value(), StandardCharsets.UTF_8).split(":")[1]) >= 110));
            }
        }
    }
}
