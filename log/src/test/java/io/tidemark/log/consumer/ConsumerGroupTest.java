package io.tidemark.log.consumer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.CommitFailedException;
import io.tidemark.log.group.ConsumerProtocol;
import io.tidemark.log.group.GroupConfig;
import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.group.GroupState;
import io.tidemark.log.group.JoinGroupRequest;
import io.tidemark.log.group.JoinGroupResult;
import io.tidemark.log.group.OffsetAndMetadata;
import io.tidemark.log.group.OffsetStore;
import io.tidemark.log.group.StickyAssignor;
import io.tidemark.log.group.Subscription;
import io.tidemark.log.producer.Producer;
import io.tidemark.log.producer.ProducerConfig;
import io.tidemark.log.producer.ProducerRecord;
import io.tidemark.log.record.Record;
import io.tidemark.log.record.RecordBatchCursor;
import io.tidemark.log.topic.LogManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Consumer groups end to end with real consumers on their own threads: the partitions are
 * shared so that each record is read once, members beyond the partition count idle, a
 * member that goes silent or stops polling hands its partitions over, and committed offsets
 * survive a restart.
 */
class ConsumerGroupTest
{
    private static final String TOPIC = "orders";
    private static final int PARTITIONS = 4;
    private static final String GROUP = "billing";
    /** The silent member's session: expiring it takes this long, and the machine may be slow before it goes silent. */
    private static final int ZOMBIE_SESSION_MS = 5_000;
    private static final GroupConfig GROUPS = GroupConfig.defaults().withSessionTimeouts(100, 60_000).withInitialRebalanceDelay(0);

    @TempDir
    Path dataDir;

    private LogManager logs;
    private GroupCoordinator coordinator;
    private final List<Member> members = new ArrayList<>();

    @BeforeEach
    void open()
    {
        logs = LogManager.open(dataDir, LogConfig.DEFAULTS);
        logs.createTopic(TOPIC, PARTITIONS, Map.of());
        coordinator = new GroupCoordinator(logs, GROUPS);
    }

    @AfterEach
    void close() throws InterruptedException
    {
        for (final Member member : members)
        {
            member.stop();
        }
        coordinator.close();
        logs.close();
    }

    private static ConsumerConfig config(final String client)
    {
        return ConsumerConfig.defaults().withGroup(GROUP, client).withAutoOffsetReset(OffsetReset.EARLIEST)
            .withTimeouts(1_000, 50, 30_000).withAutoCommit(false, 1_000);
    }

    /** Sends {@code perKey} records for each of {@code keys} keys, values "key:seq", keyed by the default partitioner. */
    private int produce(final int keys, final int perKey)
    {
        try (Producer producer = new Producer(logs, ProducerConfig.defaults().withLingerMs(0)))
        {
            for (int seq = 0; seq < perKey; seq++)
            {
                for (int k = 0; k < keys; k++)
                {
                    producer.send(new ProducerRecord(TOPIC, ("key-" + k).getBytes(StandardCharsets.UTF_8),
                        ("key-" + k + ":" + seq).getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();
        }
        return keys * perKey;
    }

    private static void waitUntil(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    private Member start(final String client)
    {
        return start(client, config(client));
    }

    private Member start(final String client, final ConsumerConfig config)
    {
        final Member member = new Member(new Consumer(logs, coordinator, config));
        members.add(member);
        member.thread.start();
        return member;
    }

    private boolean stableWith(final int count)
    {
        final var description = coordinator.describeGroup(GROUP);
        return description.state() == GroupState.STABLE && description.members().size() == count &&
            members.stream().filter(m -> !m.stopped).allMatch(m -> m.generationSeen.get() == description.generationId());
    }

    @ParameterizedTest(name = "{0} consumers over " + PARTITIONS + " partitions")
    @ValueSource(ints = {2, 4, 6})
    void aGroupReadsEveryRecordExactlyOnceInKeyOrder(final int consumers) throws InterruptedException
    {
        // Exactly once holds only while no rebalance moves a partition between a read and its
        // commit. A session of 30 s (heartbeats every 50 ms) keeps a member that is merely
        // slow on a loaded machine in the group; with 1 s a late heartbeat legitimately
        // expels it and its uncommitted records are read again by the new owner.
        for (int i = 0; i < consumers; i++)
        {
            start("c" + i, config("c" + i).withTimeouts(30_000, 50, 60_000));
        }
        waitUntil(() -> stableWith(consumers), "the group is stable with " + consumers + " members");
        final int generation = coordinator.describeGroup(GROUP).generationId();
        final int produced = produce(50, 200);
        waitUntil(() -> members.stream().mapToInt(m -> m.records.size()).sum() >= produced, "every record is consumed");
        assertEquals(generation, coordinator.describeGroup(GROUP).generationId(), "no rebalance while the records were read");
        final Map<Member, Set<TopicPartition>> ownedAtTheEnd = new HashMap<>();
        members.forEach(m -> ownedAtTheEnd.put(m, Set.copyOf(m.owned)));
        waitUntil(() -> coordinator.lag(GROUP).values().stream().allMatch(lag -> lag == 0), "the commits catch up: lag 0 everywhere");
        for (final Member member : members)
        {
            member.stop();
        }

        final Set<String> seen = new HashSet<>();
        int total = 0;
        for (final Member member : members)
        {
            final Map<String, Integer> lastSeqPerKey = new HashMap<>();
            for (final ConsumerRecord record : member.records)
            {
                total++;
                assertTrue(seen.add(record.topicPartition() + "@" + record.offset()), "read twice: " + record.topicPartition() + "@" + record.offset());
                assertTrue(ownedAtTheEnd.get(member).contains(record.topicPartition()), "read from a partition it does not own");
                final String[] value = new String(record.value(), StandardCharsets.UTF_8).split(":");
                final int seq = Integer.parseInt(value[1]);
                assertEquals(lastSeqPerKey.getOrDefault(value[0], -1) + 1, seq, "per-key order of " + value[0]);
                lastSeqPerKey.put(value[0], seq);
            }
        }
        assertEquals(produced, total, "exactly once, nothing lost");
        final long owners = ownedAtTheEnd.values().stream().filter(owned -> !owned.isEmpty()).count();
        assertEquals(Math.min(consumers, PARTITIONS), owners, "each partition has one owner; members beyond the partition count idle");
        final Set<TopicPartition> union = new HashSet<>();
        ownedAtTheEnd.values().forEach(owned -> owned.forEach(p -> assertTrue(union.add(p), p + " owned twice")));
        assertEquals(PARTITIONS, union.size());
    }

    @Test
    void anIdleMemberTakesOverWhenAnOwnerLeaves() throws InterruptedException
    {
        for (int i = 0; i < PARTITIONS + 1; i++)
        {
            start("c" + i, config("c" + i).withAssignors(List.of(new StickyAssignor())));
        }
        waitUntil(() -> stableWith(PARTITIONS + 1), "the group is stable");
        final Member idle = members.stream().filter(m -> m.owned.isEmpty()).findFirst().orElseThrow();
        final Member owner = members.stream().filter(m -> !m.owned.isEmpty()).findFirst().orElseThrow();
        final Set<TopicPartition> handedOver = Set.copyOf(owner.owned);
        owner.stop();
        waitUntil(() -> stableWith(PARTITIONS) && !idle.owned.isEmpty(), "the idle member owns partitions");
        assertEquals(handedOver, Set.copyOf(idle.owned), "the sticky default moves only the leaver's partitions");
    }

    /**
     * A member that processes and commits some of what it read, then goes silent (as a crashed
     * process does): after its session timeout the others take its partitions from its last
     * commit. Nothing is lost; what it processed but did not commit is processed twice, and
     * nothing else is.
     */
    @Test
    void aSilentMembersPartitionsResumeFromItsCommitsAfterTheSessionTimeout() throws Exception
    {
        final Member survivor = start("survivor");
        waitUntil(() -> stableWith(1), "the survivor is alone and stable");

        final byte[] subscription = ConsumerProtocol.encodeSubscription(Subscription.of(List.of(TOPIC), List.of(), -1));
        final JoinGroupResult joined = coordinator.joinGroup(new JoinGroupRequest(GROUP, "", "zombie", ConsumerProtocol.PROTOCOL_TYPE,
            List.of(new JoinGroupRequest.Protocol("range", subscription)), ZOMBIE_SESSION_MS, 10_000)).get(20, TimeUnit.SECONDS);
        final List<TopicPartition> zombieOwns = ConsumerProtocol.decodeAssignment(
            coordinator.syncGroup(GROUP, joined.generationId(), joined.memberId(), Map.of()).get(20, TimeUnit.SECONDS)).partitions();
        assertEquals(PARTITIONS / 2, zombieOwns.size());
        waitUntil(() -> stableWith(2), "survivor and zombie are stable");

        coordinator.heartbeat(GROUP, joined.generationId(), joined.memberId());
        final int produced = produce(40, 100);
        coordinator.heartbeat(GROUP, joined.generationId(), joined.memberId());
        // The zombie reads all of its partitions, commits the first half of each, then stops heartbeating.
        // Its session is long enough that a loaded machine cannot expire it before the commit.
        final Set<String> zombieProcessed = new HashSet<>();
        final Map<TopicPartition, OffsetAndMetadata> zombieCommits = new HashMap<>();
        int uncommitted = 0;
        for (final TopicPartition partition : zombieOwns)
        {
            final long end = logs.partition(partition).logEndOffset();
            readOffsets(partition, end).forEach(offset -> zombieProcessed.add(partition + "@" + offset));
            zombieCommits.put(partition, OffsetAndMetadata.of(end / 2));
            uncommitted += (int)(end - end / 2);
        }
        coordinator.heartbeat(GROUP, joined.generationId(), joined.memberId());
        coordinator.commitOffsets(GROUP, joined.generationId(), joined.memberId(), zombieCommits);
        final long silentSince = System.nanoTime();

        waitUntil(() -> survivor.owned.size() == PARTITIONS, "the survivor owns every partition");
        assertTrue(System.nanoTime() - silentSince >= TimeUnit.MILLISECONDS.toNanos(ZOMBIE_SESSION_MS - 100), "not before the session timeout");
        final int expectedBySurvivor = produced - zombieProcessed.size() + uncommitted;
        waitUntil(() -> survivor.records.size() >= expectedBySurvivor, "the survivor reads the rest");

        final Set<String> survivorRead = new HashSet<>();
        survivor.records.forEach(r -> assertTrue(survivorRead.add(r.topicPartition() + "@" + r.offset()), "the survivor read a record twice"));
        final Set<String> all = new HashSet<>(survivorRead);
        all.addAll(zombieProcessed);
        assertEquals(produced, all.size(), "nothing lost");
        final Set<String> duplicates = new HashSet<>(survivorRead);
        duplicates.retainAll(zombieProcessed);
        assertEquals(uncommitted, duplicates.size(), "processed twice: exactly what the zombie processed but did not commit");
        assertEquals(expectedBySurvivor, survivor.records.size());
    }

    @Test
    void aConsumerThatStopsPollingIsRemovedAndLearnsItsPartitionsWereLost() throws Exception
    {
        final Member steady = start("steady");
        final CountDownLatch resume = new CountDownLatch(1);
        final AtomicReference<Exception> commitError = new AtomicReference<>();
        final CountDownLatch stuckOwnsPartitions = new CountDownLatch(1);
        final List<String> events = new ArrayList<>();
        final Consumer stuck = new Consumer(logs, coordinator, config("stuck").withTimeouts(1_000, 50, 400));
        final Thread stuckThread = new Thread(() ->
        {
            stuck.subscribe(List.of(TOPIC), new ConsumerRebalanceListener()
            {
                @Override
                public void onPartitionsRevoked(final Collection<TopicPartition> partitions)
                {
                    events.add("revoked " + partitions.size());
                }

                @Override
                public void onPartitionsAssigned(final Collection<TopicPartition> partitions)
                {
                    events.add("assigned " + partitions.size());
                }

                @Override
                public void onPartitionsLost(final Collection<TopicPartition> partitions)
                {
                    events.add("lost " + partitions.size());
                }
            });
            while (stuck.assignment().isEmpty() || coordinator.describeGroup(GROUP).members().size() < 2 ||
                coordinator.describeGroup(GROUP).state() != GroupState.STABLE)
            {
                stuck.poll(Duration.ofMillis(20));
            }
            stuckOwnsPartitions.countDown();
            try
            {
                resume.await(); // the application hangs between polls
                stuck.commitSync();
            }
            catch (final Exception e)
            {
                commitError.set(e);
            }
            stuck.poll(Duration.ofMillis(100));
        });
        stuckThread.start();
        assertTrue(stuckOwnsPartitions.await(20, TimeUnit.SECONDS), "the stuck consumer got its share");
        waitUntil(() -> steady.owned.size() == PARTITIONS, "the steady member took over every partition");
        resume.countDown();
        stuckThread.join(20_000);
        stuck.close();
        assertTrue(commitError.get() instanceof CommitFailedException, "a commit after removal fails: " + commitError.get());
        assertTrue(events.contains("lost " + PARTITIONS / 2), "told that its partitions were lost, not revoked: " + events);
    }

    @Test
    void committedOffsetsAndTheGroupsPlaceSurviveARestart() throws Exception
    {
        final int produced = produce(10, 100);
        try (Consumer first = new Consumer(logs, coordinator, config("first")))
        {
            first.subscribe(List.of(TOPIC));
            int read = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (read < produced / 2 && System.nanoTime() < deadline)
            {
                read += first.poll(Duration.ofMillis(50)).size();
            }
            first.commitSync();
        }
        final Map<TopicPartition, OffsetAndMetadata> committed = coordinator.fetchOffsets(GROUP, null);
        final long committedTotal = committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        assertTrue(committedTotal >= produced / 2, "committed " + committedTotal);
        coordinator.close();
        logs.close();

        logs = LogManager.open(dataDir, LogConfig.DEFAULTS);
        coordinator = new GroupCoordinator(logs, GROUPS);
        assertEquals(committed, coordinator.fetchOffsets(GROUP, null));
        final Member next = start("after-restart");
        waitUntil(() -> next.records.size() >= produced - committedTotal, "the rest is read");
        assertEquals(produced - committedTotal, next.records.size(), "only what was not committed is read again");
    }

    @Test
    void theOffsetsTopicIsCompactedByRewritingItsLiveOffsets() throws Exception
    {
        final TopicPartition p0 = new TopicPartition(TOPIC, 0);
        final TopicPartition p1 = new TopicPartition(TOPIC, 1);
        for (int i = 1; i <= 25_000; i++)
        {
            coordinator.commitOffsets("busy", -1, "", Map.of(p0, OffsetAndMetadata.of(i), p1, OffsetAndMetadata.of(2L * i)));
        }
        final var log = logs.partition(new TopicPartition(OffsetStore.TOPIC, Math.floorMod("busy".hashCode(), GROUPS.offsetsTopicPartitions())));
        assertTrue(log.logEndOffset() - log.logStartOffset() <= 20_002, "old commits are dropped: " + log);
        assertTrue(log.logStartOffset() > 0, "segments before the rewrite were deleted: " + log);
        coordinator.close();
        logs.close();
        logs = LogManager.open(dataDir, LogConfig.DEFAULTS);
        coordinator = new GroupCoordinator(logs, GROUPS);
        assertEquals(Map.of(p0, OffsetAndMetadata.of(25_000), p1, OffsetAndMetadata.of(50_000)), coordinator.fetchOffsets("busy", null));
    }

    @Test
    void aSubscribedTopicCreatedLaterIsPickedUpByARebalance() throws InterruptedException
    {
        final Member member = new Member(new Consumer(logs, coordinator, config("early")), List.of(TOPIC, "later"));
        members.add(member);
        member.thread.start();
        waitUntil(() -> stableWith(1) && member.owned.size() == PARTITIONS, "the member owns the existing topic");
        logs.createTopic("later", 2, Map.of());
        waitUntil(() -> member.owned.size() == PARTITIONS + 2, "the new topic's partitions are assigned");
    }

    @Test
    void autoCommitRecordsWhatPollReturnedAndCommitAsyncReportsItsOutcome() throws Exception
    {
        final int produced = produce(8, 50);
        try (Consumer consumer = new Consumer(logs, coordinator, config("auto").withAutoCommit(true, 50)))
        {
            consumer.subscribe(List.of(TOPIC));
            int read = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (read < produced && System.nanoTime() < deadline)
            {
                read += consumer.poll(Duration.ofMillis(20)).size();
            }
            assertEquals(produced, read);
            waitUntil(() ->
            {
                consumer.poll(Duration.ofMillis(10)); // auto-commit happens inside poll
                return coordinator.fetchOffsets(GROUP, null).values().stream().mapToLong(OffsetAndMetadata::offset).sum() == produced;
            }, "auto-commit records every position");

            final AtomicReference<Exception> outcome = new AtomicReference<>(new Exception("not called"));
            final TopicPartition p0 = new TopicPartition(TOPIC, 0);
            consumer.commitAsync(Map.of(p0, OffsetAndMetadata.of(1)), (offsets, error) -> outcome.set(error));
            assertEquals(null, outcome.get(), "committed");
            assertEquals(1, consumer.committed(List.of(p0)).get(p0).offset());
            consumer.commitAsync(Map.of(new TopicPartition("nope", 0), OffsetAndMetadata.of(1)), (offsets, error) -> outcome.set(error));
            assertTrue(outcome.get() instanceof io.tidemark.log.errors.UnknownTopicOrPartitionException, "the error goes to the callback: " + outcome.get());
        }
    }

    @Test
    void consumerSettingsUseKafkasKeysAndRefuseUnknownOnes()
    {
        final ConsumerConfig config = ConsumerConfig.fromMap(Map.of("group.id", "g", "auto.offset.reset", "earliest",
            "session.timeout.ms", "10000", "heartbeat.interval.ms", "1000", "enable.auto.commit", "false",
            "partition.assignment.strategy", "sticky, org.apache.kafka.clients.consumer.RangeAssignor"));
        assertEquals("g", config.groupId());
        assertEquals(OffsetReset.EARLIEST, config.autoOffsetReset());
        assertEquals(10_000, config.sessionTimeoutMs());
        assertEquals(List.of("sticky", "range"), config.assignors().stream().map(a -> a.name()).toList());
        assertTrue(!config.enableAutoCommit());
        for (final Map<String, String> bad : List.of(Map.of("auto.offset.reset", "smallest"), Map.of("fetch.min.bytes", "1"),
            Map.of("partition.assignment.strategy", "cooperative-sticky"), Map.of("heartbeat.interval.ms", "50000"),
            Map.of("enable.auto.commit", "yes")))
        {
            assertThrows(io.tidemark.log.errors.InvalidConfigurationException.class, () -> ConsumerConfig.fromMap(bad), bad.toString());
        }
    }

    @Test
    void misuseIsAClearError()
    {
        try (Consumer noGroup = new Consumer(logs, coordinator, ConsumerConfig.defaults()))
        {
            final IllegalStateException e = assertThrows(IllegalStateException.class, () -> noGroup.subscribe(List.of(TOPIC)));
            assertTrue(e.getMessage().contains("group.id"), e.getMessage());
            assertThrows(IllegalStateException.class, noGroup::commitSync);
        }
        try (Consumer manual = new Consumer(logs, coordinator, config("manual")))
        {
            manual.assign(List.of(new TopicPartition(TOPIC, 0)));
            assertThrows(IllegalStateException.class, () -> manual.subscribe(List.of(TOPIC)));
        }
        try (Consumer subscribed = new Consumer(logs, coordinator, config("subscribed")))
        {
            subscribed.subscribe(List.of(TOPIC));
            assertThrows(IllegalStateException.class, () -> subscribed.assign(List.of(new TopicPartition(TOPIC, 0))));
            assertThrows(CommitFailedException.class, () -> subscribed.commitSync(Map.of(new TopicPartition(TOPIC, 0), OffsetAndMetadata.of(1))),
                "not a member yet: nothing to commit for");
        }
    }

    private List<Long> readOffsets(final TopicPartition partition, final long end) throws Exception
    {
        final List<Long> offsets = new ArrayList<>();
        final RecordBatchCursor cursor = new RecordBatchCursor();
        long position = 0;
        while (position < end)
        {
            final ByteBuffer bytes = logs.partition(partition).read(position, 1 << 20).buffer();
            cursor.wrap(bytes, true);
            while (cursor.next())
            {
                final Record record = cursor.batch().records();
                while (record.next())
                {
                    offsets.add(record.offset());
                }
                position = cursor.batch().lastOffset() + 1;
            }
        }
        return offsets;
    }

    /** A consumer on its own thread that commits after every poll, as an application would. */
    private static final class Member
    {
        final Consumer consumer;
        final List<ConsumerRecord> records = java.util.Collections.synchronizedList(new ArrayList<>());
        final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
        final java.util.concurrent.atomic.AtomicInteger generationSeen = new java.util.concurrent.atomic.AtomicInteger(-1);
        final Thread thread;
        volatile boolean stopped;

        final List<String> topics;

        Member(final Consumer consumer)
        {
            this(consumer, List.of(TOPIC));
        }

        Member(final Consumer consumer, final List<String> topics)
        {
            this.consumer = consumer;
            this.topics = topics;
            this.thread = new Thread(this::run);
        }

        private void run()
        {
            consumer.subscribe(topics, new ConsumerRebalanceListener()
            {
                @Override
                public void onPartitionsRevoked(final Collection<TopicPartition> partitions)
                {
                    owned.clear();
                }

                @Override
                public void onPartitionsAssigned(final Collection<TopicPartition> partitions)
                {
                    owned.addAll(partitions);
                }
            });
            while (!stopped)
            {
                final List<ConsumerRecord> polled = consumer.poll(Duration.ofMillis(20));
                generationSeen.set(consumer.groupMetadata().generationId());
                records.addAll(polled);
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
            thread.join(20_000);
        }
    }
}
