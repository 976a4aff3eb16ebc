package io.tidemark.log.group;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.GroupIdNotFoundException;
import io.tidemark.log.errors.InvalidGroupIdException;
import io.tidemark.log.errors.NonEmptyGroupException;
import io.tidemark.log.topic.LogManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka's DeleteGroups and OffsetDelete on the coordinator: the refusals (unknown, empty id,
 * members, a member subscribed to the topic), what is deleted, and that the deletion holds
 * after a restart replays the offsets topic while the offsets of other groups stay.
 */
class GroupDeletionTest
{
    private static final GroupConfig CONFIG = GroupConfig.defaults().withSessionTimeouts(50, 60_000).withInitialRebalanceDelay(0);
    private static final TopicPartition EVENTS_0 = new TopicPartition("events", 0);
    private static final TopicPartition EVENTS_1 = new TopicPartition("events", 1);
    private static final TopicPartition OTHER_0 = new TopicPartition("other", 0);

    @TempDir
    Path dataDir;

    private static JoinGroupRequest join(final String group, final String protocolType, final List<String> topics)
    {
        final byte[] subscription = ConsumerProtocol.encodeSubscription(Subscription.of(topics, List.of(), -1));
        return new JoinGroupRequest(group, "", "client", protocolType, List.of(new JoinGroupRequest.Protocol("range", subscription)),
            10_000, 10_000);
    }

    private static Map<TopicPartition, OffsetAndMetadata> offsets(final long offset, final TopicPartition... partitions)
    {
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (final TopicPartition partition : partitions)
        {
            offsets.put(partition, OffsetAndMetadata.of(offset));
        }
        return offsets;
    }

    @Test
    void aGroupWithoutMembersIsDeletedWithItsOffsetsForGood() throws Exception
    {
        try (LogManager logs = LogManager.open(dataDir, LogConfig.DEFAULTS); GroupCoordinator coordinator = new GroupCoordinator(logs, CONFIG))
        {
            logs.createTopic("events", 2, Map.of());
            coordinator.commitOffsets("gone", -1, "", offsets(5, EVENTS_0, EVENTS_1));
            coordinator.commitOffsets("kept", -1, "", offsets(7, EVENTS_0));

            assertThrows(GroupIdNotFoundException.class, () -> coordinator.deleteGroup("never-seen"));
            assertThrows(InvalidGroupIdException.class, () -> coordinator.deleteGroup(""));
            final JoinGroupResult member = coordinator.joinGroup(join("busy", ConsumerProtocol.PROTOCOL_TYPE, List.of("events")))
                .get(10, TimeUnit.SECONDS);
            assertThrows(NonEmptyGroupException.class, () -> coordinator.deleteGroup("busy"));
            coordinator.leaveGroup("busy", member.memberId());
            coordinator.deleteGroup("busy");
            assertEquals(GroupState.DEAD, coordinator.describeGroup("busy").state(), "an empty group without offsets is deleted too");

            coordinator.deleteGroup("gone");
            assertEquals(Map.of(), coordinator.fetchOffsets("gone", null));
            assertFalse(coordinator.listGroups().containsKey("gone"));
            assertThrows(GroupIdNotFoundException.class, () -> coordinator.deleteGroup("gone"), "deleted already");

            final JoinGroupResult again = coordinator.joinGroup(join("busy", ConsumerProtocol.PROTOCOL_TYPE, List.of("events")))
                .get(10, TimeUnit.SECONDS);
            assertEquals(1, again.generationId(), "a member that joins after the deletion starts a new group");
        }
        try (LogManager logs = LogManager.open(dataDir, LogConfig.DEFAULTS); GroupCoordinator coordinator = new GroupCoordinator(logs, CONFIG))
        {
            assertEquals(Map.of(), coordinator.fetchOffsets("gone", null), "the tombstones are replayed");
            assertFalse(coordinator.listGroups().containsKey("gone"));
            assertEquals(GroupState.DEAD, coordinator.describeGroup("gone").state());
            assertEquals(offsets(7, EVENTS_0), coordinator.fetchOffsets("kept", null), "another group's offsets stay");
        }
    }

    @Test
    void offsetDeleteKeepsTheOffsetsOfTopicsAMemberSubscribesTo() throws Exception
    {
        try (LogManager logs = LogManager.open(dataDir, LogConfig.DEFAULTS); GroupCoordinator coordinator = new GroupCoordinator(logs, CONFIG))
        {
            logs.createTopic("events", 2, Map.of());
            logs.createTopic("other", 1, Map.of());
            coordinator.commitOffsets("readers", -1, "", offsets(3, EVENTS_0, EVENTS_1, OTHER_0));
            coordinator.joinGroup(join("readers", ConsumerProtocol.PROTOCOL_TYPE, List.of("events"))).get(10, TimeUnit.SECONDS);

            final Set<TopicPartition> kept = coordinator.deleteOffsets("readers", List.of(EVENTS_0, OTHER_0));
            assertEquals(Set.of(EVENTS_0), kept, "a member subscribes to events");
            assertEquals(offsets(3, EVENTS_0, EVENTS_1), coordinator.fetchOffsets("readers", null));
            assertEquals(Set.of(), coordinator.deleteOffsets("readers", List.of(OTHER_0)), "deleting what is gone changes nothing");

            assertThrows(GroupIdNotFoundException.class, () -> coordinator.deleteOffsets("never-seen", List.of(EVENTS_0)));
            assertThrows(InvalidGroupIdException.class, () -> coordinator.deleteOffsets("", List.of(EVENTS_0)));
            coordinator.joinGroup(join("connectors", "connect", List.of("events"))).get(10, TimeUnit.SECONDS);
            assertThrows(NonEmptyGroupException.class, () -> coordinator.deleteOffsets("connectors", List.of(OTHER_0)),
                "which topics a group of another kind reads is unknown");
        }
        try (LogManager logs = LogManager.open(dataDir, LogConfig.DEFAULTS); GroupCoordinator coordinator = new GroupCoordinator(logs, CONFIG))
        {
            assertEquals(offsets(3, EVENTS_0, EVENTS_1), coordinator.fetchOffsets("readers", null), "the deletion holds after a restart");
            assertTrue(coordinator.deleteOffsets("readers", List.of(EVENTS_0, EVENTS_1)).isEmpty(), "no member after the restart");
            assertEquals(Map.of(), coordinator.fetchOffsets("readers", null));
        }
    }
}
