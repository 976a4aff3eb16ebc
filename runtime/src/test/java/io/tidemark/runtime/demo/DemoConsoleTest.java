package io.tidemark.runtime.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

import io.tidemark.engine.window.WindowResult;
import org.junit.jupiter.api.Test;

class DemoConsoleTest
{
    private static final long MINUTE = 60_000;

    @Test
    void aUsersFirstResultForAWindowAlreadyShownIsPrintedAsLate()
    {
        final StringWriter text = new StringWriter();
        final DemoConsole console = new DemoConsole(new PrintWriter(text, true), false);

        console.addPerUser(new WindowResult<>("ada", 0, MINUTE, 3L, false));
        console.addPerUser(new WindowResult<>("bob", 0, MINUTE, 2L, false));
        console.printResults();
        // carl's only view of the first minute came after it fired: a first result, but late.
        console.addPerUser(new WindowResult<>("carl", 0, MINUTE, 1L, false));
        console.addPerUser(new WindowResult<>("ada", 0, MINUTE, 4L, true));
        console.addPerUser(new WindowResult<>("ada", MINUTE, 2 * MINUTE, 5L, false));
        console.printResults();

        final List<String> lines = Arrays.stream(text.toString().split("\n")).map(line -> line.substring(10)).toList();
        assertEquals(4, lines.size(), text.toString());
        assertTrue(lines.get(0).startsWith("on time      per user") && lines.get(0).contains("2 users, top: ada 3, bob 2"), lines.get(0));
        assertTrue(lines.get(1).startsWith("on time      per user") && lines.get(1).contains("1 user, top: ada 5"), lines.get(1));
        assertTrue(lines.get(2).startsWith("LATE FIRST   per user: 1 user counted late") && lines.get(2).contains("carl"), lines.get(2));
        assertTrue(lines.get(3).startsWith("LATE UPDATE  per user: 1 windows revised, e.g. ada"), lines.get(3));
    }

    @Test
    void sessionsAreNeverLateFirsts()
    {
        final StringWriter text = new StringWriter();
        final DemoConsole console = new DemoConsole(new PrintWriter(text, true), true);

        console.addPerUser(new WindowResult<>("ada", 0, MINUTE, 3L, false));
        console.printResults();
        console.addPerUser(new WindowResult<>("bob", 0, MINUTE, 2L, false));
        console.printResults();

        final String printed = text.toString();
        assertEquals(2, printed.split("on time      sessions: 1 closed").length - 1, printed);
        assertTrue(!printed.contains("LATE"), printed);
    }
}
