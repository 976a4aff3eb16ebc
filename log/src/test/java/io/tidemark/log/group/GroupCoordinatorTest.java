package io.tidemark.log.group;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.tidemark.log.LogConfig;
import io.tidemark.log.TopicPartition;
import io.tidemark.log.errors.FencedInstanceIdException;
import io.tidemark.log.errors.IllegalGenerationException;
import io.tidemark.log.errors.InconsistentGroupProtocolException;
import io.tidemark.log.errors.InvalidGroupIdException;
import io.tidemark.log.errors.InvalidSessionTimeoutException;
import io.tidemark.log.errors.NonEmptyGroupException;
import io.tidemark.log.errors.OffsetMetadataTooLargeException;
import io.tidemark.log.errors.RebalanceInProgressException;
import io.tidemark.log.errors.UnknownMemberIdException;
import io.tidemark.log.errors.UnknownTopicOrPartitionException;
import io.tidemark.log.topic.LogManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The coordinator driven as a wire client drives it: join, sync, heartbeat, leave and commit
 * requests, with the answers and errors Kafka's classic protocol gives.
 */
class GroupCoordinatorTest
{
    private static final String GROUP = "readers";
    private static final GroupConfig CONFIG = GroupConfig.defaults().withSessionTimeouts(50, 60_000).withInitialRebalanceDelay(0);
    private static final TopicPartition P0 = new TopicPartition("events", 0);

    @TempDir
    Path dataDir;

    private LogManager logs;
    private GroupCoordinator coordinator;

    @BeforeEach
    void open()
    {
        logs = LogManager.open(dataDir, LogConfig.DEFAULTS);
        logs.createTopic("events", 4, Map.of());
        coordinator = new GroupCoordinator(logs, CONFIG);
    }

    @AfterEach
    void close()
    {
        coordinator.close();
        logs.close();
    }

    private static JoinGroupRequest join(final String memberId, final int sessionMs, final int rebalanceMs, final String... protocols)
    {
        return new JoinGroupRequest(GROUP, memberId, "client", ConsumerProtocol.PROTOCOL_TYPE,
            java.util.Arrays.stream(protocols).map(p -> new JoinGroupRequest.Protocol(p, p.getBytes())).toList(), sessionMs, rebalanceMs);
    }

    /** A static member's join, as a JoinGroup 9 (which can be told to skip the assignment) or older. */
    private static JoinGroupRequest staticJoin(final String memberId, final String instanceId, final boolean skips, final int sessionMs,
        final String... protocols)
    {
        return new JoinGroupRequest(GROUP, memberId, "client", ConsumerProtocol.PROTOCOL_TYPE,
            java.util.Arrays.stream(protocols).map(p -> new JoinGroupRequest.Protocol(p, p.getBytes())).toList(), sessionMs, 10_000,
            "/127.0.0.1", instanceId, skips);
    }

    /**
     * A stable group of a static leader (instance "s") and a dynamic follower, with their
     * assignments "S" and "D".
     *
     * @return the leader's and the follower's join results.
     */
    private List<JoinGroupResult> stableGroupWithAStaticLeader() throws Exception
    {
        final JoinGroupResult leader = await(coordinator.joinGroup(staticJoin("", "s", true, 10_000, "range")));
        await(coordinator.syncGroup(GROUP, 1, leader.memberId(), "s", Map.of(leader.memberId(), "S".getBytes())));
        final CompletableFuture<JoinGroupResult> follower = coordinator.joinGroup(join("", 10_000, 10_000, "range"));
        final JoinGroupResult leaderAgain = await(coordinator.joinGroup(staticJoin(leader.memberId(), "s", true, 10_000, "range")));
        final JoinGroupResult followerJoined = await(follower);
        final CompletableFuture<byte[]> followerSync = coordinator.syncGroup(GROUP, 2, followerJoined.memberId(), Map.of());
        await(coordinator.syncGroup(GROUP, 2, leader.memberId(), "s",
            Map.of(leader.memberId(), "S".getBytes(), followerJoined.memberId(), "D".getBytes())));
        assertEquals("D", new String(await(followerSync)));
        return List.of(leaderAgain, followerJoined);
    }

    private static <T> T await(final CompletableFuture<T> future) throws Exception
    {
        return future.get(10, TimeUnit.SECONDS);
    }

    private static void waitUntil(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void aSecondMemberRebalancesTheGroupIntoANewGeneration() throws Exception
    {
        final JoinGroupResult first = await(coordinator.joinGroup(join("", 10_000, 10_000, "range")));
        assertTrue(first.isLeader());
        assertEquals(1, first.generationId());
        assertEquals(1, first.members().size());
        final byte[] own = "a".getBytes();
        assertEquals("a", new String(await(coordinator.syncGroup(GROUP, 1, first.memberId(), Map.of(first.memberId(), own)))));
        assertEquals(GroupState.STABLE, coordinator.describeGroup(GROUP).state());
        coordinator.heartbeat(GROUP, 1, first.memberId());

        final CompletableFuture<JoinGroupResult> second = coordinator.joinGroup(join("", 10_000, 10_000, "range"));
        assertFalse(second.isDone(), "the join waits for the known member to rejoin");
        final GroupDescription rebalancing = coordinator.describeGroup(GROUP);
        assertEquals(GroupState.PREPARING_REBALANCE, rebalancing.state());
        assertEquals("", rebalancing.protocolName());
        for (final GroupDescription.Member member : rebalancing.members())
        {
            assertEquals(0, member.metadata().length + member.assignment().length, "as in Kafka, no member bytes while rebalancing");
        }
        assertThrows(RebalanceInProgressException.class, () -> coordinator.heartbeat(GROUP, 1, first.memberId()));
        final JoinGroupResult firstAgain = await(coordinator.joinGroup(join(first.memberId(), 10_000, 10_000, "range")));
        final JoinGroupResult secondResult = await(second);
        assertEquals(2, firstAgain.generationId());
        assertEquals(2, secondResult.generationId());
        assertEquals(first.memberId(), secondResult.leaderId(), "the leader stays the leader");
        assertEquals(2, firstAgain.members().size());
        assertTrue(secondResult.members().isEmpty(), "only the leader sees the members");

        final CompletableFuture<byte[]> followerSync = coordinator.syncGroup(GROUP, 2, secondResult.memberId(), Map.of());
        assertFalse(followerSync.isDone(), "a follower waits for the leader's assignment");
        assertThrows(IllegalGenerationException.class, () -> coordinator.syncGroup(GROUP, 1, first.memberId(), Map.of()));
        await(coordinator.syncGroup(GROUP, 2, first.memberId(), Map.of(first.memberId(), own, secondResult.memberId(), "b".getBytes())));
        assertEquals("b", new String(await(followerSync)));
        final GroupDescription described = coordinator.describeGroup(GROUP);
        assertEquals(GroupState.STABLE, described.state());
        assertEquals("range", described.protocolName());
        assertEquals(2, described.members().size());
    }

    @Test
    void aSilentMemberIsRemovedAfterItsSessionTimeoutAndTheOthersRebalance() throws Exception
    {
        final JoinGroupResult a = await(coordinator.joinGroup(join("", 10_000, 10_000, "range")));
        final CompletableFuture<JoinGroupResult> bJoin = coordinator.joinGroup(join("", 200, 10_000, "range"));
        final JoinGroupResult aAgain = await(coordinator.joinGroup(join(a.memberId(), 10_000, 10_000, "range")));
        final JoinGroupResult b = await(bJoin);
        coordinator.syncGroup(GROUP, 2, b.memberId(), Map.of());
        await(coordinator.syncGroup(GROUP, 2, a.memberId(), Map.of()));
        // b never heartbeats again; a does, and is told to rejoin once b has expired
        waitUntil(() ->
        {
            try
            {
                coordinator.heartbeat(GROUP, aAgain.generationId(), a.memberId());
                return false;
            }
            catch (final RebalanceInProgressException e)
            {
                return true;
            }
        }, "the coordinator notices b is gone");
        assertThrows(UnknownMemberIdException.class, () -> coordinator.heartbeat(GROUP, 2, b.memberId()));
        final JoinGroupResult alone = await(coordinator.joinGroup(join(a.memberId(), 10_000, 10_000, "range")));
        assertEquals(3, alone.generationId());
        assertEquals(1, alone.members().size());
    }

    @Test
    void aMemberThatDoesNotRejoinWithinTheRebalanceTimeoutIsDropped() throws Exception
    {
        final JoinGroupResult a = await(coordinator.joinGroup(join("", 10_000, 300, "range")));
        await(coordinator.syncGroup(GROUP, 1, a.memberId(), Map.of()));
        final long start = System.nanoTime();
        final JoinGroupResult b = await(coordinator.joinGroup(join("", 10_000, 300, "range")));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(250), "waited for a to rejoin");
        assertEquals(2, b.generationId());
        assertEquals(b.memberId(), b.leaderId(), "a was dropped, b leads");
        assertThrows(UnknownMemberIdException.class, () -> coordinator.heartbeat(GROUP, 1, a.memberId()));
    }

    @Test
    void leavingStartsARebalanceAndTheLastToLeaveEmptiesTheGroup() throws Exception
    {
        final JoinGroupResult a = await(coordinator.joinGroup(join("", 10_000, 10_000, "range")));
        await(coordinator.syncGroup(GROUP, 1, a.memberId(), Map.of()));
        coordinator.leaveGroup(GROUP, a.memberId());
        assertEquals(GroupState.EMPTY, coordinator.describeGroup(GROUP).state());
        assertEquals(ConsumerProtocol.PROTOCOL_TYPE, coordinator.describeGroup(GROUP).protocolType(), "an empty group keeps its type, as in Kafka");
        assertThrows(UnknownMemberIdException.class, () -> coordinator.leaveGroup(GROUP, a.memberId()));
        assertEquals(Map.of(GROUP, GroupState.EMPTY), coordinator.listGroups());
    }

    @Test
    void commitsFromStaleGenerationsOrNonMembersAreRejected() throws Exception
    {
        final JoinGroupResult a = await(coordinator.joinGroup(join("", 10_000, 10_000, "range")));
        await(coordinator.syncGroup(GROUP, 1, a.memberId(), Map.of()));
        coordinator.commitOffsets(GROUP, 1, a.memberId(), Map.of(P0, OffsetAndMetadata.of(5)));
        assertEquals(5, coordinator.fetchOffsets(GROUP, List.of(P0)).get(P0).offset());

        assertThrows(IllegalGenerationException.class, () -> coordinator.commitOffsets(GROUP, 0, a.memberId(), Map.of(P0, OffsetAndMetadata.of(9))));
        assertThrows(UnknownMemberIdException.class, () -> coordinator.commitOffsets(GROUP, 1, "stranger", Map.of(P0, OffsetAndMetadata.of(9))));
        assertThrows(UnknownMemberIdException.class, () -> coordinator.commitOffsets(GROUP, -1, "", Map.of(P0, OffsetAndMetadata.of(9))),
            "a group with members takes no commits from outside");
        assertThrows(UnknownTopicOrPartitionException.class,
            () -> coordinator.commitOffsets(GROUP, 1, a.memberId(), Map.of(new TopicPartition("nope", 0), OffsetAndMetadata.of(1))));
        assertThrows(OffsetMetadataTooLargeException.class,
            () -> coordinator.commitOffsets(GROUP, 1, a.memberId(), Map.of(P0, new OffsetAndMetadata(1, -1, "x".repeat(5000)))));
        assertEquals(5, coordinator.fetchOffsets(GROUP, List.of(P0)).get(P0).offset(), "no rejected commit got through");

        final CompletableFuture<JoinGroupResult> b = coordinator.joinGroup(join("", 10_000, 10_000, "range"));
        coordinator.commitOffsets(GROUP, 1, a.memberId(), Map.of(P0, OffsetAndMetadata.of(7)));
        assertEquals(7, coordinator.fetchOffsets(GROUP, List.of(P0)).get(P0).offset(),
            "while the group prepares a rebalance, owners may still commit what they processed");
        await(coordinator.joinGroup(join(a.memberId(), 10_000, 10_000, "range")));
        await(b);
        assertThrows(RebalanceInProgressException.class,
            () -> coordinator.commitOffsets(GROUP, 2, a.memberId(), Map.of(P0, OffsetAndMetadata.of(8))), "not while partitions are being assigned");
        assertThrows(IllegalGenerationException.class, () -> coordinator.commitOffsets(GROUP, 1, a.memberId(), Map.of(P0, OffsetAndMetadata.of(8))));
    }

    @Test
    void aGroupWithoutMembersTakesCommitsFromConsumersThatAssignThemselves()
    {
        coordinator.commitOffsets("manual", -1, "", Map.of(P0, OffsetAndMetadata.of(3)));
        assertEquals(3, coordinator.fetchOffsets("manual", null).get(P0).offset());
        assertEquals(GroupState.EMPTY, coordinator.describeGroup("manual").state());
        assertEquals(GroupState.DEAD, coordinator.describeGroup("never-seen").state());
    }

    @Test
    void badJoinsAreClearErrors() throws Exception
    {
        assertThrows(InvalidGroupIdException.class, () -> coordinator.joinGroup(new JoinGroupRequest("", "", "c", "consumer",
            List.of(new JoinGroupRequest.Protocol("range", new byte[0])), 10_000, 10_000)));
        final InvalidSessionTimeoutException tooShort = assertThrows(InvalidSessionTimeoutException.class,
            () -> coordinator.joinGroup(join("", 10, 10_000, "range")));
        assertTrue(tooShort.getMessage().contains("group.min.session.timeout.ms"), tooShort.getMessage());
        assertThrows(UnknownMemberIdException.class, () -> coordinator.joinGroup(join("made-up", 10_000, 10_000, "range")));

        final JoinGroupResult a = await(coordinator.joinGroup(join("", 10_000, 10_000, "range", "sticky")));
        await(coordinator.syncGroup(GROUP, 1, a.memberId(), Map.of()));
        assertThrows(InconsistentGroupProtocolException.class, () -> coordinator.joinGroup(join("", 10_000, 10_000, "roundrobin")));
        assertThrows(InconsistentGroupProtocolException.class, () -> coordinator.joinGroup(new JoinGroupRequest(GROUP, "", "c", "connect",
            List.of(new JoinGroupRequest.Protocol("range", new byte[0])), 10_000, 10_000)));
        assertThrows(NonEmptyGroupException.class, () -> coordinator.deleteGroup(GROUP));
        assertEquals(GroupState.STABLE, coordinator.describeGroup(GROUP).state(), "the bad joins changed nothing");
    }

    @Test
    void membersVoteForTheAssignorEveryoneSupports() throws Exception
    {
        final CompletableFuture<JoinGroupResult> a = coordinator.joinGroup(join("", 10_000, 10_000, "sticky", "range"));
        final JoinGroupResult first = await(a);
        assertEquals("sticky", first.protocolName());
        await(coordinator.syncGroup(GROUP, 1, first.memberId(), Map.of()));
        final CompletableFuture<JoinGroupResult> b = coordinator.joinGroup(join("", 10_000, 10_000, "range", "sticky"));
        final CompletableFuture<JoinGroupResult> c = coordinator.joinGroup(join("", 10_000, 10_000, "range"));
        final JoinGroupResult again = await(coordinator.joinGroup(join(first.memberId(), 10_000, 10_000, "sticky", "range")));
        assertEquals("range", again.protocolName(), "only range is common to all three");
        assertEquals("range", await(b).protocolName());
        assertEquals("range", await(c).protocolName());
    }

    @Test
    void aFailedJoinAnswersTheWaitingMemberWithTheReason() throws Exception
    {
        final JoinGroupResult a = await(coordinator.joinGroup(join("", 10_000, 10_000, "range")));
        await(coordinator.syncGroup(GROUP, 1, a.memberId(), Map.of()));
        final CompletableFuture<JoinGroupResult> b = coordinator.joinGroup(join("", 10_000, 10_000, "range"));
        final String bId = coordinator.describeGroup(GROUP).members().stream().map(GroupDescription.Member::memberId)
            .filter(id -> !id.equals(a.memberId())).findFirst().orElseThrow();
        coordinator.leaveGroup(GROUP, bId);
        final ExecutionException failed = assertThrows(ExecutionException.class, () -> b.get(10, TimeUnit.SECONDS));
        assertInstanceOf(UnknownMemberIdException.class, failed.getCause());
    }

    @Test
    void aReturningStaticMemberTakesOverWithoutARebalanceAndItsPredecessorIsFenced() throws Exception
    {
        final List<JoinGroupResult> group = stableGroupWithAStaticLeader();
        final String old = group.get(0).memberId();
        final String follower = group.get(1).memberId();

        final JoinGroupResult returned = await(coordinator.joinGroup(staticJoin("", "s", false, 10_000, "range")));
        assertFalse(returned.memberId().equals(old), "a new member id replaces the old one");
        assertTrue(returned.memberId().startsWith("s-"), "as Kafka's, a static member's id starts with its instance id");
        assertEquals(2, returned.generationId(), "no rebalance: the generation in force");
        assertEquals(old, returned.leaderId(), "before JoinGroup 9 the returning leader is told the old id, so it follows");
        assertFalse(returned.skipAssignment());
        assertTrue(returned.members().isEmpty());
        assertEquals(GroupState.STABLE, coordinator.describeGroup(GROUP).state());
        coordinator.heartbeat(GROUP, 2, follower);
        assertEquals("S", new String(await(coordinator.syncGroup(GROUP, 2, returned.memberId(), "s", Map.of()))), "its assignment is kept");

        assertThrows(FencedInstanceIdException.class, () -> coordinator.heartbeat(GROUP, 2, old, "s"));
        assertThrows(FencedInstanceIdException.class, () -> coordinator.syncGroup(GROUP, 2, old, "s", Map.of()));
        assertThrows(FencedInstanceIdException.class, () -> coordinator.commitOffsets(GROUP, 2, old, "s", Map.of(P0, OffsetAndMetadata.of(4))));
        assertThrows(FencedInstanceIdException.class,
            () -> coordinator.commitTransactionalOffsets(GROUP, 7, (short)0, 2, old, "s", Map.of(P0, OffsetAndMetadata.of(4))));
        assertThrows(FencedInstanceIdException.class, () -> coordinator.joinGroup(staticJoin(old, "s", true, 10_000, "range")));
        assertThrows(FencedInstanceIdException.class, () -> coordinator.leaveGroup(GROUP, old, "s"));
        assertThrows(UnknownMemberIdException.class, () -> coordinator.heartbeat(GROUP, 2, old), "without its instance id it is just gone");
        assertThrows(UnknownMemberIdException.class, () -> coordinator.heartbeat(GROUP, 2, returned.memberId(), "t"),
            "an instance id the group does not know");
        assertTrue(coordinator.fetchOffsets(GROUP, List.of(P0)).isEmpty(), "no fenced commit got through");

        coordinator.heartbeat(GROUP, 2, returned.memberId(), "s");
        coordinator.commitOffsets(GROUP, 2, returned.memberId(), "s", Map.of(P0, OffsetAndMetadata.of(4)));
        assertEquals(4, coordinator.fetchOffsets(GROUP, List.of(P0)).get(P0).offset());
        final GroupDescription described = coordinator.describeGroup(GROUP);
        assertEquals(GroupState.STABLE, described.state());
        assertEquals(List.of(follower, returned.memberId()), described.members().stream().map(GroupDescription.Member::memberId).toList());
    }

    @Test
    void aReturningStaticLeaderIsToldToSkipTheAssignment() throws Exception
    {
        final String follower = stableGroupWithAStaticLeader().get(1).memberId();
        final JoinGroupResult returned = await(coordinator.joinGroup(staticJoin("", "s", true, 10_000, "range")));
        assertEquals(returned.memberId(), returned.leaderId(), "it leads under its new id");
        assertTrue(returned.skipAssignment(), "the members keep their assignments");
        assertEquals(2, returned.generationId());
        assertEquals(List.of(follower, returned.memberId()), returned.members().stream().map(JoinGroupResult.Member::memberId).toList());
        assertEquals("s", returned.members().get(1).groupInstanceId());
        assertEquals(null, returned.members().get(0).groupInstanceId());
        assertEquals("S", new String(await(coordinator.syncGroup(GROUP, 2, returned.memberId(), "s", Map.of()))));
        assertEquals(GroupState.STABLE, coordinator.describeGroup(GROUP).state());
    }

    @Test
    void aStaticMemberThatChangesTheAssignorOrReturnsDuringTheAssignmentRebalances() throws Exception
    {
        final JoinGroupResult first = await(coordinator.joinGroup(staticJoin("", "s", true, 10_000, "range")));
        await(coordinator.syncGroup(GROUP, 1, first.memberId(), "s", Map.of()));
        final JoinGroupResult changed = await(coordinator.joinGroup(staticJoin("", "s", true, 10_000, "roundrobin")));
        assertEquals(2, changed.generationId(), "the assignor the members vote for changes: a rebalance");
        assertEquals("roundrobin", changed.protocolName());
        assertFalse(changed.skipAssignment(), "the new generation needs an assignment");
        assertEquals(GroupState.COMPLETING_REBALANCE, coordinator.describeGroup(GROUP).state());

        // During CompletingRebalance the leader may be assigning to the old id: the return rebalances.
        final JoinGroupResult again = await(coordinator.joinGroup(staticJoin("", "s", true, 10_000, "roundrobin")));
        assertEquals(3, again.generationId());
        assertThrows(FencedInstanceIdException.class, () -> coordinator.syncGroup(GROUP, 2, changed.memberId(), "s", Map.of()));
    }

    @Test
    void aStaticMemberWaitingForItsAssignmentIsFencedByItsSuccessor() throws Exception
    {
        final JoinGroupResult leader = await(coordinator.joinGroup(join("", 10_000, 10_000, "range")));
        await(coordinator.syncGroup(GROUP, 1, leader.memberId(), Map.of()));
        final CompletableFuture<JoinGroupResult> staticJoined = coordinator.joinGroup(staticJoin("", "s", true, 10_000, "range"));
        await(coordinator.joinGroup(join(leader.memberId(), 10_000, 10_000, "range")));
        final JoinGroupResult first = await(staticJoined);
        final CompletableFuture<byte[]> waiting = coordinator.syncGroup(GROUP, 2, first.memberId(), "s", Map.of());
        assertFalse(waiting.isDone());
        coordinator.joinGroup(staticJoin("", "s", true, 10_000, "range"));
        assertFailsWith(FencedInstanceIdException.class, () -> waiting);
    }

    @Test
    void anAbsentStaticMemberKeepsItsPlaceThroughARebalanceUntilItsSessionExpires() throws Exception
    {
        final JoinGroupResult leader = await(coordinator.joinGroup(join("", 10_000, 300, "range")));
        await(coordinator.syncGroup(GROUP, 1, leader.memberId(), Map.of()));
        final CompletableFuture<JoinGroupResult> staticJoined = coordinator.joinGroup(new JoinGroupRequest(GROUP, "", "client",
            ConsumerProtocol.PROTOCOL_TYPE, List.of(new JoinGroupRequest.Protocol("range", new byte[0])), 3_000, 300, "", "s", true));
        await(coordinator.joinGroup(join(leader.memberId(), 10_000, 300, "range")));
        final String absent = await(staticJoined).memberId();
        await(coordinator.syncGroup(GROUP, 2, leader.memberId(), Map.of(absent, "S".getBytes())));

        // The static member goes quiet; a newcomer's rebalance ends at the rebalance timeout without it.
        final CompletableFuture<JoinGroupResult> newcomer = coordinator.joinGroup(join("", 10_000, 300, "range"));
        final JoinGroupResult leaderAgain = await(coordinator.joinGroup(join(leader.memberId(), 10_000, 300, "range")));
        await(newcomer);
        assertEquals(3, leaderAgain.generationId());
        assertTrue(leaderAgain.members().stream().anyMatch(m -> m.memberId().equals(absent)),
            "the leader assigns to the absent static member too: its partitions wait for it");
        assertThrows(IllegalGenerationException.class, () -> coordinator.heartbeat(GROUP, 2, absent, "s"), "it must rejoin");
        // That heartbeat renewed its session; it expires only after a further silence.
        waitUntil(() -> coordinator.describeGroup(GROUP).members().size() == 2, "the static member's session expires");
        assertEquals(GroupState.PREPARING_REBALANCE, coordinator.describeGroup(GROUP).state(), "its expiry rebalances the others");
    }

    @Test
    void anAdministratorRemovesStaticMembersByInstanceId() throws Exception
    {
        final List<JoinGroupResult> group = stableGroupWithAStaticLeader();
        assertThrows(UnknownMemberIdException.class, () -> coordinator.leaveGroup(GROUP, "", "nobody"));
        assertThrows(FencedInstanceIdException.class, () -> coordinator.leaveGroup(GROUP, group.get(1).memberId(), "s"),
            "the member id does not match the instance id's");
        assertEquals(2, coordinator.describeGroup(GROUP).members().size(), "the refused removals changed nothing");
        coordinator.leaveGroup(GROUP, "", "s");
        assertEquals(List.of(group.get(1).memberId()), coordinator.describeGroup(GROUP).members().stream().map(GroupDescription.Member::memberId).toList());
        assertEquals(GroupState.PREPARING_REBALANCE, coordinator.describeGroup(GROUP).state());
        assertThrows(UnknownMemberIdException.class, () -> coordinator.leaveGroup(GROUP, "", "s"), "gone, and its instance id with it");
        final CompletableFuture<JoinGroupResult> fresh = coordinator.joinGroup(staticJoin("", "s", true, 10_000, "range"));
        await(coordinator.joinGroup(join(group.get(1).memberId(), 10_000, 10_000, "range")));
        assertNotEquals(group.get(0).memberId(), await(fresh).memberId(), "it joins again as a new member");
    }

    @Test
    void aFollowerRejoiningUnchangedGetsTheGenerationInForceWhileTheLeaderRebalances() throws Exception
    {
        final List<JoinGroupResult> group = stableGroupWithAStaticLeader();
        final JoinGroupResult follower = await(coordinator.joinGroup(join(group.get(1).memberId(), 10_000, 10_000, "range")));
        assertEquals(2, follower.generationId(), "as Kafka: a follower that missed its answer is given it again");
        assertEquals(GroupState.STABLE, coordinator.describeGroup(GROUP).state());
        assertEquals("D", new String(await(coordinator.syncGroup(GROUP, 2, follower.memberId(), Map.of()))));

        final CompletableFuture<JoinGroupResult> changed = coordinator.joinGroup(join(follower.memberId(), 10_000, 10_000, "range", "sticky"));
        assertFalse(changed.isDone(), "changed metadata rebalances");
        assertEquals(GroupState.PREPARING_REBALANCE, coordinator.describeGroup(GROUP).state());
    }

    private static void assertFailsWith(final Class<? extends Throwable> expected, final java.util.concurrent.Callable<CompletableFuture<?>> call)
    {
        final ExecutionException failed = assertThrows(ExecutionException.class, () -> call.call().get(10, TimeUnit.SECONDS));
        assertInstanceOf(expected, failed.getCause());
    }

    @Test
    void concurrentCommitsOfManyGroupsAreAllKeptAcrossARestart() throws Exception
    {
        final int groups = 8;
        final int commits = 2_000;
        final java.util.List<Thread> threads = new java.util.ArrayList<>();
        final java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        for (int g = 0; g < groups; g++)
        {
            final String group = "group-" + g;
            threads.add(new Thread(() ->
            {
                try
                {
                    for (int i = 1; i <= commits; i++)
                    {
                        coordinator.commitOffsets(group, -1, "", Map.of(P0, new OffsetAndMetadata(i, -1, group + "@" + i)));
                    }
                }
                catch (final Throwable t)
                {
                    failed.set(t);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (final Thread thread : threads)
        {
            thread.join(60_000);
        }
        assertEquals(null, failed.get());
        coordinator.close();
        logs.close();
        logs = LogManager.open(dataDir, LogConfig.DEFAULTS);
        coordinator = new GroupCoordinator(logs, CONFIG);
        for (int g = 0; g < groups; g++)
        {
            assertEquals(new OffsetAndMetadata(commits, -1, "group-" + g + "@" + commits), coordinator.fetchOffsets("group-" + g, null).get(P0));
        }
    }

    @Test
    void lagIsTheLogEndMinusTheCommittedOffset()
    {
        final var producer = new io.tidemark.log.producer.Producer(logs, io.tidemark.log.producer.ProducerConfig.defaults());
        for (int i = 0; i < 10; i++)
        {
            producer.send(new io.tidemark.log.producer.ProducerRecord("events", 0, (long)i, null, new byte[] {1}, new io.tidemark.log.record.Header[0]));
        }
        producer.flush();
        producer.close();
        coordinator.commitOffsets(GROUP, -1, "", Map.of(P0, OffsetAndMetadata.of(4), new TopicPartition("events", 1), OffsetAndMetadata.of(0)));
        assertEquals(Map.of(P0, 6L, new TopicPartition("events", 1), 0L), coordinator.lag(GROUP));
        assertThrows(io.tidemark.log.errors.GroupIdNotFoundException.class, () -> coordinator.lag("nobody"));
    }
}
