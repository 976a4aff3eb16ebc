package io.tidemark.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tidemark bench tradeoff} end to end: table, CSV, plot, and a written stream replayed
 * from its file with the same results.
 */
class TradeoffCommandTest
{
    @TempDir
    Path dir;

    private final CommandOutput command = new CommandOutput();

    private int run(final String... args)
    {
        return command.run(args);
    }

    @Test
    void writesTableCsvAndPlotAndReplaysTheWrittenStreamIdentically() throws IOException
    {
        final Path first = dir.resolve("first");
        final Path events = dir.resolve("events.jsonl");
        assertEquals(0, run("bench", "tradeoff", "--events", "30000", "--seed", "3", "--out", first.toString(), "--write-events", events.toString()), command.err());
        assertTrue(command.out().contains("adaptive p99.9"), command.out());
        assertEquals("", command.err(), "no progress bar where stderr is not a terminal");
        // 30,000 events are 30 s of event time: no one-minute window closes before the input ends.
        assertTrue(command.out().contains("bounded 15m: its bound is longer than the 29.998s of event time"), command.out());
        assertTrue(command.out().contains("bounded 0s: no window closed before the end of input"), command.out());
        final List<String> csv = Files.readAllLines(first.resolve("tradeoff.csv"));
        assertEquals(14, csv.size(), "a header and 13 strategies");
        assertTrue(csv.get(1).startsWith("bounded 0s,,,,"), csv.get(1));
        assertTrue(csv.get(1).endsWith(",false"), csv.get(1));
        final byte[] png = Files.readAllBytes(first.resolve("tradeoff.png"));
        assertArrayEquals(new byte[] {(byte)0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        assertEquals(30_000, Files.readAllLines(events).size());

        final Path second = dir.resolve("second");
        assertEquals(0, run("bench", "tradeoff", "--input", events.toString(), "--out", second.toString()), command.err());
        assertEquals(csv, Files.readAllLines(second.resolve("tradeoff.csv")));
    }

    /** A recorded stream (test resource): three phones for four minutes, one of them offline for 90 s. */
    @Test
    void aRecordedStreamIsReplayedThroughEveryStrategyWithAProgressBarWhenAskedFor() throws Exception
    {
        final Path recorded = Path.of(getClass().getResource("/tradeoff/recorded.csv").toURI());
        assertEquals(0, run("bench", "tradeoff", "--input", recorded.toString(), "--out", dir.toString(), "--progress"), command.err());
        final String printed = command.out();
        assertTrue(printed.contains("replaying 144 events once per strategy (13 strategies)"), printed);
        assertTrue(printed.matches("(?s).*\nbounded 2s\\s+\\d\\S*s\\s.*"), "a bound shorter than the run is measured: " + printed);
        assertTrue(printed.contains("bounded 5m: its bound is longer than the 3m56.4s of event time in the run"), printed);
        CommandOutput.assertFitsTerminal(printed);
        assertTrue(command.err().contains("\r[") && command.err().contains("%  "), "the bar, asked for: " + command.err());
        final List<String> csv = Files.readAllLines(dir.resolve("tradeoff.csv"));
        assertTrue(csv.stream().anyMatch(line -> line.startsWith("bounded 2s,") && line.endsWith(",true")), csv.toString());
    }

    @Test
    void aMalformedInputLineIsNamed() throws IOException
    {
        final Path events = dir.resolve("bad.csv");
        Files.writeString(events, "device,event_time_ms,arrival_time_ms,value\nphone-1,1000,1200,5\nphone-2,soon,1300,6\n");
        assertEquals(2, run("bench", "tradeoff", "--input", events.toString(), "--out", dir.toString()));
        assertTrue(command.err().contains("bad.csv:3:"), command.err());
    }

    @Test
    void anUnknownPolicyIsRefused()
    {
        assertEquals(2, run("bench", "tradeoff", "--late-policy", "ignore"));
        assertTrue(command.err().contains("'--late-policy'"), command.err());
        assertTrue(command.err().contains("drop, dead-letter or update"), command.err());
    }
}
