package io.tidemark.runtime.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.tidemark.engine.window.WindowResult;
import io.tidemark.runtime.CommandOutput;
import io.tidemark.runtime.TypedDuration;
import org.junit.jupiter.api.Test;

class DemoConsoleTest
{
    private static final long MINUTE = 60_000;

    private final StringWriter text = new StringWriter();

    private List<String> lines()
    {
        return Arrays.asList(text.toString().split("\n"));
    }

    @Test
    void aUsersFirstResultForAWindowAlreadyShownIsPrintedAsLate()
    {
        final AtomicLong wall = new AtomicLong(1_000_000);
        final DemoConsole console = new DemoConsole(new PrintWriter(text, true), false, wall::get);

        console.addPerUser(new WindowResult<>("ada", 0, MINUTE, 3L, false));
        console.addPerUser(new WindowResult<>("bob", 0, MINUTE, 2L, false));
        console.printResults();
        wall.addAndGet(DemoConsole.SAME_FIRING_MILLIS + 1);
        // carl's only view of the first minute came after it fired: a first result, but late.
        console.addPerUser(new WindowResult<>("carl", 0, MINUTE, 1L, false));
        console.addPerUser(new WindowResult<>("ada", 0, MINUTE, 4L, true));
        console.addPerUser(new WindowResult<>("ada", MINUTE, 2 * MINUTE, 5L, false));
        console.printResults();

        final List<String> lines = lines();
        assertEquals(4, lines.size(), text.toString());
        assertTrue(lines.get(0).matches("  on time      event \\d\\d:\\d\\d-\\d\\d:\\d\\d per user: 2 users; top ada 3, bob 2"), lines.get(0));
        assertTrue(lines.get(1).matches("  on time      event \\d\\d:\\d\\d-\\d\\d:\\d\\d per user: 1 user; top ada 5"), lines.get(1));
        assertTrue(lines.get(2).startsWith("  LATE FIRST   1 user first counted late; carl, event "), lines.get(2));
        assertTrue(lines.get(3).startsWith("  LATE UPDATE  1 window revised; ada, event "), lines.get(3));
        assertTrue(lines.get(3).endsWith(": now 4 views"), lines.get(3));
        assertTrue(lines.get(2).endsWith(": 1 view"), lines.get(2));
    }

    /** The other subtask's results of the same firing, polled a second later, are on time. */
    @Test
    void firstResultsOfTheSameFiringPolledALittleLaterAreOnTime()
    {
        final AtomicLong wall = new AtomicLong(1_000_000);
        final DemoConsole console = new DemoConsole(new PrintWriter(text, true), false, wall::get);
        console.addPerUser(new WindowResult<>("ada", 0, MINUTE, 3L, false));
        console.printResults();
        wall.addAndGet(1_000);
        console.addPerUser(new WindowResult<>("bob", 0, MINUTE, 2L, false));
        console.addPerUser(new WindowResult<>("carl", 0, MINUTE, 1L, false));
        console.printResults();

        final List<String> lines = lines();
        assertEquals(2, lines.size(), text.toString());
        assertTrue(lines.get(1).matches("  on time      event \\d\\d:\\d\\d-\\d\\d:\\d\\d per user: 2 more users; top bob 2, carl 1"), lines.get(1));
    }

    @Test
    void sessionsAreNeverLateFirsts()
    {
        final DemoConsole console = new DemoConsole(new PrintWriter(text, true), true);

        console.addPerUser(new WindowResult<>("ada", 0, MINUTE, 3L, false));
        console.printResults();
        console.addPerUser(new WindowResult<>("bob", 0, MINUTE, 2L, false));
        console.printResults();

        final String printed = text.toString();
        assertEquals(2, printed.split("on time      1 session closed;").length - 1, printed);
        assertTrue(!printed.contains("LATE"), printed);
    }

    /** A late view that bridges two sessions withdraws them (a retraction, no count) and emits the merged one. */
    @Test
    void sessionsMergedByALateViewAreShownAsWithdrawn()
    {
        final DemoConsole console = new DemoConsole(new PrintWriter(text, true), true);
        console.addPerUser(new WindowResult<>("ada", 0, 40_000, 3L, false));
        console.addPerUser(new WindowResult<>("ada", 50_000, 90_000, 2L, false));
        console.printResults();
        console.addPerUser(new WindowResult<>("ada", 0, 40_000, null, false, true));
        console.addPerUser(new WindowResult<>("ada", 50_000, 90_000, null, false, true));
        console.addPerUser(new WindowResult<>("ada", 0, 90_000, 6L, false));
        console.printResults();

        final List<String> lines = lines();
        assertEquals(3, lines.size(), text.toString());
        assertTrue(lines.get(0).startsWith("  on time      2 sessions closed; ada, event "), lines.get(0));
        assertTrue(lines.get(1).startsWith("  on time      1 session closed; ada, event ") && lines.get(1).endsWith(": 6 views"), lines.get(1));
        assertTrue(lines.get(2).startsWith("  LATE UPDATE  2 sessions merged away; ada, event "), lines.get(2));
    }

    @Test
    void revisionsOfATotalAreCountedInEnglish()
    {
        final DemoConsole console = new DemoConsole(new PrintWriter(text, true), false);
        console.addTotal(new WindowResult<>("all users", 0, MINUTE, 1L, false));
        console.printResults();
        console.addTotal(new WindowResult<>("all users", 0, MINUTE, 2L, true));
        console.printResults();
        console.addTotal(new WindowResult<>("all users", 0, MINUTE, 3L, true));
        console.addTotal(new WindowResult<>("all users", 0, MINUTE, 4L, true));
        console.printResults();

        final List<String> lines = lines();
        assertTrue(lines.get(0).endsWith(" total: 1 view"), lines.get(0));
        assertTrue(lines.get(1).endsWith(" total: 2 views (+1 in 1 update)"), lines.get(1));
        assertTrue(lines.get(2).endsWith(" total: 4 views (+2 in 2 updates)"), lines.get(2));
    }

    @Test
    void theStatusTellsWallClockFromEventTimeAndCountsLateViewsByFate()
    {
        final DemoConsole console = new DemoConsole(new PrintWriter(text, true), false);
        console.printStatus(Long.MIN_VALUE, Long.MIN_VALUE, 0, new long[] {0, 0, 0});
        console.printStatus(10 * MINUTE, 10 * MINUTE + 7_400, 1, new long[] {1, 0, 0});
        console.printStatus(10 * MINUTE, 10 * MINUTE + 2_000, 2_353, new long[] {0, 0, 2});

        final List<String> lines = lines();
        assertTrue(lines.get(0).matches("wall \\d\\d:\\d\\d:\\d\\d  watermark none yet, newest none yet"), lines.get(0));
        assertEquals(" ".repeat(15) + "0 views sent; 0 late views", lines.get(1));
        assertTrue(lines.get(2).matches("wall \\d\\d:\\d\\d:\\d\\d  watermark event \\d\\d:\\d\\d:00\\.0, newest event \\d\\d:\\d\\d:07\\.4"), lines.get(2));
        assertEquals(" ".repeat(15) + "7.4s behind; 1 view sent; 1 late view updated", lines.get(3));
        assertEquals(" ".repeat(15) + "2s behind; 2,353 views sent; 2 late views dead-lettered", lines.get(5));
    }

    /** The largest numbers and longest names a long run can reach still fit 80 columns. */
    @Test
    void everyLineFitsEightyColumnsWithLargeCountsAndLongNames()
    {
        final DemoConsole console = new DemoConsole(new PrintWriter(text, true), false);
        final String longUser = "user-" + "9".repeat(60);
        for (int i = 0; i < 3; i++)
        {
            console.addPerUser(new WindowResult<>(longUser + i, 20_000, 80_000, 123_456_789L, false));
        }
        console.printResults();
        console.addPerUser(new WindowResult<>(longUser, 20_000, 80_000, 1L, false));
        console.addPerUser(new WindowResult<>(longUser, 20_000, 80_000, 987_654_321L, true));
        console.addTotal(new WindowResult<>("all users", 0, MINUTE, 123_456_789_012L, false));
        console.printResults();
        console.addTotal(new WindowResult<>("all users", 0, MINUTE, 223_456_789_012L, true));
        console.printResults();
        console.printStatus(10 * MINUTE, 11 * MINUTE, 9_876_543_210L, new long[] {1_234_567_890L, 1_234_567_890L, 1_234_567_890L});
        console.minutes().get(0L).updates = 1;
        new DemoSummary(Map.of(0L, 223_456_789_012L), console.minutes(), new long[] {1_234_567_890L, 1_234_567_890L, 1_234_567_890L},
            new long[] {1_234_567_890L, 1_234_567_890L, 1_234_567_890L}, 9_876_543_210L, TypedDuration.of(Duration.ofHours(1))).print(new PrintWriter(text, true));

        assertTrue(lines().size() > 10, text.toString());
        CommandOutput.assertFitsTerminal(text.toString());
        assertTrue(text.toString().contains("summary after 1h of wall time"), text.toString());
    }

    @Test
    void theSummarysWallTimeIsTheDurationAsTypedWhenTheRunTookThatLong()
    {
        final TypedDuration asked = new TypedDuration(Duration.ofSeconds(70), "70s");
        assertEquals("70s", DemoSummary.wallTime(asked, 70_300).toString());
        assertEquals("12s", DemoSummary.wallTime(asked, 12_400).toString(), "stopped early: what it took");
    }
}
