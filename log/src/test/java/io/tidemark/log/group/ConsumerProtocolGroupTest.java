package io.tidemark.log.group;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.FencedMemberEpochException;
import io.tidemark.log.errors.GroupIdNotFoundException;
import io.tidemark.log.errors.IllegalGenerationException;
import io.tidemark.log.errors.InconsistentGroupProtocolException;
import io.tidemark.log.errors.InvalidRegularExpressionException;
import io.tidemark.log.errors.StaleMemberEpochException;
import io.tidemark.log.errors.UnknownMemberIdException;
import io.tidemark.log.errors.UnreleasedInstanceIdException;
import io.tidemark.log.errors.UnsupportedAssignorException;
import io.tidemark.log.topic.LogManager;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reconciliation rules of the consumer group protocol on one group: a partition is given to
 * its new owner only once its previous owner has reported it revoked; the group, assignment
 * and member epochs; fencing of wrong epochs; leaving, session expiry and the rebalance
 * timeout; static members; the assignors; offset commits by epoch; and, on the coordinator,
 * a group id held by one protocol refusing the other while it has members.
 */
class ConsumerProtocolGroupTest
{
    private static final long MS = 1_000_000L;
    private static final ConsumerProtocolConfig CONFIG = ConsumerProtocolConfig.defaults();

    @TempDir
    Path dataDir;

    private final Map<String, Integer> topics = new HashMap<>(Map.of("events", 4));
    private final ConsumerProtocolGroup group = new ConsumerProtocolGroup("g", CONFIG, () -> Map.copyOf(topics));

    private static GroupHeartbeat join(final String member, final String instanceId, final List<String> topics, final String regex)
    {
        return new GroupHeartbeat("g", member, 0, instanceId, null, 1_000, topics, regex, null, Set.of(), "client", "/127.0.0.1");
    }

    private static GroupHeartbeat beat(final String member, final int epoch, final Set<TopicPartition> owned)
    {
        return new GroupHeartbeat("g", member, epoch, null, null, -1, null, null, null, owned, "client", "/127.0.0.1");
    }

    private static Set<TopicPartition> events(final int... partitions)
    {
        final Set<TopicPartition> set = new HashSet<>();
        for (final int p : partitions)
        {
            set.add(new TopicPartition("events", p));
        }
        return set;
    }

    /** Every partition is owned (assigned or pending revocation) by at most one member. */
    private void assertNoPartitionOwnedTwice()
    {
        final Set<TopicPartition> seen = new HashSet<>();
        for (final ConsumerProtocolDescription.Member member : group.describe().members())
        {
            for (final TopicPartition partition : member.assignment())
            {
                assertTrue(seen.add(partition), partition + " owned twice: " + group.describe());
            }
        }
    }

    @Test
    void aPartitionMovesOnlyAfterItsOwnerRevokedIt()
    {
        final GroupHeartbeatResult a = group.heartbeat(join("a", null, List.of("events"), null), 0);
        assertEquals(1, a.memberEpoch());
        assertEquals(events(0, 1, 2, 3), a.assignment());
        assertNull(group.heartbeat(beat("a", 1, events(0, 1, 2, 3)), MS).assignment(), "an unchanged assignment is not sent again");

        final GroupHeartbeatResult b = group.heartbeat(join("b", null, List.of("events"), null), 2 * MS);
        assertEquals(2, b.memberEpoch(), "b is at the new assignment epoch");
        assertEquals(Set.of(), b.assignment(), "b gets nothing while a owns everything");
        assertEquals("Reconciling", group.state());

        final GroupHeartbeatResult revoking = group.heartbeat(beat("a", 1, events(0, 1, 2, 3)), 3 * MS);
        assertEquals(1, revoking.memberEpoch(), "a keeps its epoch until it has revoked");
        assertEquals(2, revoking.assignment().size(), "a is told to keep half");
        assertNoPartitionOwnedTwice();
        final Set<TopicPartition> revoked = events(0, 1, 2, 3);
        revoked.removeAll(revoking.assignment());

        assertNull(group.heartbeat(beat("b", 2, Set.of()), 4 * MS).assignment(), "b still waits: a has not revoked");
        final GroupHeartbeatResult stillOwning = group.heartbeat(beat("a", 1, events(0, 1, 2, 3)), 5 * MS);
        assertEquals(1, stillOwning.memberEpoch(), "a reporting the partitions still owned stays at its epoch");

        final GroupHeartbeatResult revokedNow = group.heartbeat(beat("a", 1, revoking.assignment()), 6 * MS);
        assertEquals(2, revokedNow.memberEpoch(), "a reached the assignment epoch once it revoked");
        final GroupHeartbeatResult given = group.heartbeat(beat("b", 2, Set.of()), 7 * MS);
        assertEquals(revoked, given.assignment(), "b gets the revoked partitions");
        assertNoPartitionOwnedTwice();
        group.heartbeat(beat("b", 2, revoked), 8 * MS);
        assertEquals("Stable", group.state());

        final ConsumerProtocolDescription described = group.describe();
        assertEquals(2, described.groupEpoch());
        assertEquals(2, described.assignmentEpoch());
        assertEquals("uniform", described.assignor());
        assertEquals(2, described.rebalances(), "one target per assignment epoch");
        assertEquals(5, described.lastRebalanceMs(), "from b's join (2 ms) to b's heartbeat that gave it its target (7 ms)");
    }

    @Test
    void wrongEpochsAreFencedAndUnknownMembersRefused()
    {
        group.heartbeat(join("a", null, List.of("events"), null), 0);
        assertThrows(FencedMemberEpochException.class, () -> group.heartbeat(beat("a", 5, Set.of()), MS));
        assertThrows(FencedMemberEpochException.class, () -> group.heartbeat(beat("a", 2, Set.of()), MS));
        assertThrows(UnknownMemberIdException.class, () -> group.heartbeat(beat("stranger", 1, Set.of()), MS));
        assertThrows(UnknownMemberIdException.class, () -> group.heartbeat(
            new GroupHeartbeat("g", "stranger", -1, null, null, -1, null, null, null, null, "client", "/127.0.0.1"), MS));
        assertThrows(UnsupportedAssignorException.class, () -> group.heartbeat(
            new GroupHeartbeat("g", "a", 1, null, null, -1, null, null, "sticky", null, "client", "/127.0.0.1"), MS));
        assertThrows(InvalidRegularExpressionException.class, () -> group.heartbeat(join("c", null, null, "events("), MS));

        // b joins (epoch 2); a, told to revoke at epoch 1, revokes and moves to 2; a member that
        // missed that answer may still speak at its previous epoch if it owns nothing it was not given.
        group.heartbeat(join("b", null, List.of("events"), null), 2 * MS);
        final GroupHeartbeatResult revoking = group.heartbeat(beat("a", 1, events(0, 1, 2, 3)), 3 * MS);
        assertEquals(2, group.heartbeat(beat("a", 1, revoking.assignment()), 4 * MS).memberEpoch());
        assertEquals(2, group.heartbeat(beat("a", 1, revoking.assignment()), 5 * MS).memberEpoch());
        assertThrows(FencedMemberEpochException.class, () -> group.heartbeat(beat("a", 1, events(0, 1, 2, 3)), 6 * MS));

        group.validateOffsets("a", 2, true);
        assertThrows(StaleMemberEpochException.class, () -> group.validateOffsets("a", 1, true));
        assertThrows(UnknownMemberIdException.class, () -> group.validateOffsets("stranger", 2, true));
        assertThrows(UnknownMemberIdException.class, () -> group.validateOffsets("", -1, true), "no commits from outside while it has members");
        group.validateOffsets(null, -1, false);
    }

    @Test
    void aMemberThatDoesNotRevokeInTimeIsRemovedAndSilentMembersExpire()
    {
        group.heartbeat(join("a", null, List.of("events"), null), 0);
        group.heartbeat(join("b", null, List.of("events"), null), MS);
        group.heartbeat(beat("a", 1, events(0, 1, 2, 3)), 2 * MS);
        group.tick(500 * MS);
        assertEquals(2, group.describe().members().size(), "within the rebalance timeout of 1 s");
        group.tick(1_003 * MS);
        assertEquals(List.of("b"), group.describe().members().stream().map(ConsumerProtocolDescription.Member::memberId).toList());
        assertThrows(UnknownMemberIdException.class, () -> group.heartbeat(beat("a", 1, Set.of()), 1_004 * MS));
        final GroupHeartbeatResult b = group.heartbeat(beat("b", 2, Set.of()), 1_005 * MS);
        assertEquals(events(0, 1, 2, 3), b.assignment(), "the fenced member's partitions are free");

        group.tick((1_005 + CONFIG.sessionTimeoutMs()) * MS + 1);
        assertEquals("Empty", group.state(), "b's session expired");
    }

    @Test
    void aLeavingMemberFreesItsPartitionsAtOnce()
    {
        group.heartbeat(join("a", null, List.of("events"), null), 0);
        group.heartbeat(join("b", null, List.of("events"), null), MS);
        final GroupHeartbeatResult left = group.heartbeat(
            new GroupHeartbeat("g", "a", -1, null, null, -1, null, null, null, null, "client", "/127.0.0.1"), 2 * MS);
        assertEquals(-1, left.memberEpoch());
        final GroupHeartbeatResult b = group.heartbeat(beat("b", 2, Set.of()), 3 * MS);
        assertEquals(3, b.memberEpoch());
        assertEquals(events(0, 1, 2, 3), b.assignment());
    }

    @Test
    void aStaticMemberComingBackTakesOverItsPartitions()
    {
        final GroupHeartbeatResult first = group.heartbeat(join("a1", "instance-a", List.of("events"), null), 0);
        assertThrows(UnreleasedInstanceIdException.class, () -> group.heartbeat(join("a2", "instance-a", List.of("events"), null), MS));
        group.heartbeat(new GroupHeartbeat("g", "a1", -2, "instance-a", null, -1, null, null, null, null, "client", "/127.0.0.1"), 2 * MS);
        final GroupHeartbeatResult back = group.heartbeat(join("a2", "instance-a", List.of("events"), null), 3 * MS);
        assertEquals(first.assignment(), back.assignment());
        assertEquals(List.of("a2"), group.describe().members().stream().map(ConsumerProtocolDescription.Member::memberId).toList());
    }

    @Test
    void newPartitionsAndMatchingTopicsTriggerANewAssignment()
    {
        final GroupHeartbeatResult a = group.heartbeat(join("a", null, List.of(), "ev.*|__.*"), 0);
        assertEquals(events(0, 1, 2, 3), a.assignment());
        topics.put("events", 6);
        topics.put("evidence", 1);
        topics.put("__consumer_offsets", 4);
        topics.put("other", 1);
        final GroupHeartbeatResult grown = group.heartbeat(beat("a", 1, events(0, 1, 2, 3)), MS);
        assertEquals(2, grown.memberEpoch());
        final Set<TopicPartition> expected = events(0, 1, 2, 3, 4, 5);
        expected.add(new TopicPartition("evidence", 0));
        assertEquals(expected, grown.assignment());
    }

    @Test
    void theRangeAssignorGivesContiguousRangesAndUniformBalancesStickily()
    {
        final Map<String, Set<String>> subscriptions = Map.of("a", Set.of("t"), "b", Set.of("t"), "c", Set.of("t"));
        final Map<String, Set<TopicPartition>> range = TargetAssignor.named("range").assign(subscriptions, Map.of("t", 7), Map.of());
        assertEquals(Set.of(tp(0), tp(1), tp(2)), range.get("a"));
        assertEquals(Set.of(tp(3), tp(4)), range.get("b"));
        assertEquals(Set.of(tp(5), tp(6)), range.get("c"));

        final Map<String, Set<TopicPartition>> before = Map.of("a", Set.of(tp(0), tp(1), tp(2), tp(3)), "b", Set.of(tp(4), tp(5), tp(6)));
        final Map<String, Set<TopicPartition>> uniform = TargetAssignor.named("uniform").assign(subscriptions, Map.of("t", 7), before);
        assertEquals(7, uniform.values().stream().mapToInt(Set::size).sum());
        uniform.values().forEach(target -> assertTrue(target.size() == 2 || target.size() == 3, uniform.toString()));
        assertTrue(before.get("a").containsAll(uniform.get("a")) && before.get("b").containsAll(uniform.get("b")),
            "a and b only give partitions up: " + uniform);
    }

    private static TopicPartition tp(final int partition)
    {
        return new TopicPartition("t", partition);
    }

    @Test
    void aGroupIdOfOneProtocolRefusesTheOtherWhileItHasMembers() throws Exception
    {
        try (LogManager logs = LogManager.open(dataDir, LogConfig.DEFAULTS);
             GroupCoordinator coordinator = new GroupCoordinator(logs, GroupConfig.defaults().withInitialRebalanceDelay(0), CONFIG,
                 SystemEpochClock.INSTANCE))
        {
            logs.createTopic("events", 2, Map.of());
            final GroupHeartbeatResult member = coordinator.consumerGroupHeartbeat(
                new GroupHeartbeat("shared", "m", 0, null, null, 1_000, List.of("events"), null, null, Set.of(), "client", "/127.0.0.1"));
            final byte[] subscription = ConsumerProtocol.encodeSubscription(Subscription.of(List.of("events"), List.of(), -1));
            final JoinGroupRequest classicJoin = new JoinGroupRequest("shared", "", "client", "consumer",
                List.of(new JoinGroupRequest.Protocol("range", subscription)), 10_000, 10_000);
            assertThrows(InconsistentGroupProtocolException.class, () -> coordinator.joinGroup(classicJoin));
            final Map<TopicPartition, OffsetAndMetadata> offsets = Map.of(new TopicPartition("events", 0), OffsetAndMetadata.of(5));
            coordinator.commitOffsets("shared", member.memberEpoch(), "m", offsets);
            assertThrows(StaleMemberEpochException.class, () -> coordinator.commitOffsets("shared", member.memberEpoch() + 1, "m", offsets));
            assertThrows(UnknownMemberIdException.class, () -> coordinator.commitOffsets("shared", -1, "", offsets));
            assertThrows(IllegalGenerationException.class, () -> coordinator.commitTransactionalOffsets("shared", 1L, (short)0,
                member.memberEpoch() + 1, "m", offsets));
            assertEquals(5, coordinator.fetchOffsets("shared", null).get(new TopicPartition("events", 0)).offset());
            assertEquals(Map.of("shared", "Stable"), coordinator.listConsumerGroups());
            assertEquals(Map.of(), coordinator.listGroups());

            coordinator.consumerGroupHeartbeat(new GroupHeartbeat("shared", "m", -1, null, null, -1, null, null, null, null, "c", "/h"));
            coordinator.joinGroup(classicJoin).get();
            assertEquals(Map.of(), coordinator.listConsumerGroups(), "the empty group became a classic one");
            assertThrows(GroupIdNotFoundException.class, () -> coordinator.consumerGroupHeartbeat(
                new GroupHeartbeat("shared", "n", 0, null, null, 1_000, List.of("events"), null, null, Set.of(), "client", "/127.0.0.1")));
            assertEquals(1, member.memberEpoch());
        }
    }
}
