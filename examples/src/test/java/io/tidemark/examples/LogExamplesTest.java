package io.tidemark.examples;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The log examples, their output checked exactly.
 */
class LogExamplesTest
{
    @TempDir
    Path dataDir;

    @Test
    void membersSplitThePartitionsTheFourthIdlesAndTakesOverALeaversShare()
    {
        final List<Map<String, Set<Integer>>> steps = ConsumerGroupsOnTheLog.run(dataDir);
        assertEquals(Map.of("member-1", Set.of(0, 1, 2)), steps.get(0));
        assertEquals(3, steps.get(1).values().stream().mapToInt(Set::size).sum());
        assertEquals(Set.of(1, 2), Set.copyOf(steps.get(1).values().stream().map(Set::size).toList()));
        for (final Set<Integer> owned : steps.get(2).values())
        {
            assertEquals(1, owned.size(), "three members, one partition each: " + steps.get(2));
        }
        assertEquals(Set.of(), steps.get(3).get("member-4"), "the fourth member idles: " + steps.get(3));
        final Set<Integer> leaversShare = steps.get(3).get("member-1");
        assertEquals(leaversShare, steps.get(4).get("member-4"), "it takes over exactly the leaver's partition");
        assertEquals(steps.get(3).get("member-2"), steps.get(4).get("member-2"), "the others keep theirs");
        assertEquals(steps.get(3).get("member-3"), steps.get(4).get("member-3"));
    }

    @Test
    void aRewoundGroupReplaysHistoryFromTheChosenTime()
    {
        final List<List<String>> passes = RewindingAConsumerGroup.run(dataDir);
        assertEquals(List.of("order at 10:00", "order at 10:01", "order at 10:02", "order at 10:03", "order at 10:04", "order at 10:05"),
            passes.get(0));
        assertEquals(List.of(), passes.get(1), "committed: nothing new after a restart");
        assertEquals(List.of("order at 10:03", "order at 10:04", "order at 10:05"), passes.get(2));
    }

    @Test
    void anExactlyOnceCopyShowsEachOrderOnceToReadCommittedReadersDespiteTheAbortedTransaction()
    {
        final ExactlyOnceCopy.Views views = ExactlyOnceCopy.run(dataDir);
        assertEquals(List.of("TEA", "MILK", "BREAD", "EGGS", "JAM"), views.committed());
        assertEquals(List.of("TEA", "MILK", "BREAD", "EGGS", "BREAD", "EGGS", "JAM"), views.uncommitted(),
            "the aborted copies stay in the log, hidden from read_committed");
    }
}
