package io.tidemark.log.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import ch.qos.logback.classic.Level;
import io.tidemark.log.LogCapture;
import io.tidemark.log.LogConfig;
import io.tidemark.log.errors.RebalanceInProgressException;
import io.tidemark.log.topic.LogManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group's history is in the log at INFO: who joined, left or expired (member id, client id,
 * group), each rebalance started with its reason and each completed with its generation and
 * members.
 */
class RebalanceLoggingTest
{
    private static final String GROUP = "dashboards";

    @TempDir
    Path dataDir;

    private LogCapture captured;
    private LogManager logs;
    private GroupCoordinator coordinator;

    @BeforeEach
    void open()
    {
        captured = new LogCapture(ConsumerGroup.class);
        logs = LogManager.open(dataDir, LogConfig.DEFAULTS);
        coordinator = new GroupCoordinator(logs, GroupConfig.defaults().withSessionTimeouts(50, 60_000).withInitialRebalanceDelay(0));
    }

    @AfterEach
    void close()
    {
        coordinator.close();
        logs.close();
        captured.close();
    }

    private static JoinGroupRequest join(final String memberId, final String clientId, final int sessionMs)
    {
        return new JoinGroupRequest(GROUP, memberId, clientId, ConsumerProtocol.PROTOCOL_TYPE,
            List.of(new JoinGroupRequest.Protocol("range", new byte[0])), sessionMs, 10_000);
    }

    private static <T> T await(final CompletableFuture<T> future) throws Exception
    {
        return future.get(10, TimeUnit.SECONDS);
    }

    private List<String> lines()
    {
        return captured.lines(Level.INFO);
    }

    private void assertLogged(final Predicate<String> line, final String what)
    {
        assertEquals(1, lines().stream().filter(line).count(), what + " once, in " + lines());
    }

    @Test
    void joinsRebalancesExpiriesAndLeavesAreLogged() throws Exception
    {
        final JoinGroupResult a = await(coordinator.joinGroup(join("", "app-a", 10_000)));
        await(coordinator.syncGroup(GROUP, 1, a.memberId(), Map.of()));
        final CompletableFuture<JoinGroupResult> bJoin = coordinator.joinGroup(join("", "app-b", 200));
        await(coordinator.joinGroup(join(a.memberId(), "app-a", 10_000)));
        final JoinGroupResult b = await(bJoin);
        coordinator.syncGroup(GROUP, 2, b.memberId(), Map.of());
        await(coordinator.syncGroup(GROUP, 2, a.memberId(), Map.of()));

        assertLogged(l -> l.equals("group " + GROUP + ": member " + a.memberId() + " (client app-a) joined"), "a's join");
        assertLogged(l -> l.equals("group " + GROUP + ": member " + b.memberId() + " (client app-b) joined"), "b's join");
        assertLogged(l -> l.startsWith("group " + GROUP + ": rebalance started at generation 1: member " + b.memberId() + " joined"),
            "the rebalance b started");
        assertLogged(l -> l.startsWith("group " + GROUP + ": rebalance completed: generation 2 with 2 members") && l.contains(a.memberId())
            && l.contains(b.memberId()), "generation 2");

        // b stays silent past its 200 ms session; a heartbeats until told to rejoin.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true)
        {
            try
            {
                coordinator.heartbeat(GROUP, 2, a.memberId());
            }
            catch (final RebalanceInProgressException e)
            {
                break;
            }
            if (System.nanoTime() > deadline)
            {
                fail("b's session never expired");
            }
            Thread.sleep(5);
        }
        assertLogged(l -> l.startsWith("group " + GROUP + ": member " + b.memberId() + " (client app-b) expired: no heartbeat for "),
            "b's expiry");
        assertLogged(l -> l.equals("group " + GROUP + ": rebalance started at generation 2: the session of member " + b.memberId() + " expired"),
            "the rebalance b's expiry started");

        coordinator.leaveGroup(GROUP, a.memberId());
        assertLogged(l -> l.equals("group " + GROUP + ": member " + a.memberId() + " (client app-a) left"), "a's leave");
        assertTrue(lines().stream().allMatch(l -> l.startsWith("group " + GROUP + ": ")), "every line names the group: " + lines());
    }
}
