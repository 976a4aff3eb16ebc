package io.tidemark.runtime.demo;

import io.tidemark.runtime.CommandOutput;
import io.tidemark.runtime.broker.BrokerConfig;
import io.tidemark.runtime.broker.BrokerServer;
import io.tidemark.runtime.jobs.JobState;
import io.tidemark.runtime.jobs.JobStatus;
import io.tidemark.runtime.jobs.JobSubmission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tidemark demo} headless for a few seconds: the totals it prints add up to the views
 * the generator sent.
 */
class DemoTest
{
    private static final Pattern MINUTE_ROW = Pattern.compile("^  (\\d\\d:\\d\\d)\\s+([\\d,]+)\\s+([\\d,]+)\\s+([\\d,]+)\\s+([\\d,]+)$", Pattern.MULTILINE);
    private static final Pattern SENT = Pattern.compile("summary after \\S+ of wall time: ([\\d,]+) views? sent");

    @TempDir
    Path dataDir;

    private final CommandOutput command = new CommandOutput();

    private int demo(final String... args)
    {
        final String[] line = new String[args.length + 1];
        line[0] = "demo";
        System.arraycopy(args, 0, line, 1, args.length);
        return command.run(line);
    }

    private static long number(final String text)
    {
        return Long.parseLong(text.replace(",", ""));
    }

    @Test
    void withLateUpdatesTheLastTotalOfEveryMinuteIsWhatTheGeneratorSent()
    {
        assertEquals(0, demo("--duration", "4000ms", "--speed", "60", "--users", "300", "--data-dir", dataDir.toString()), command.out() + "\n" + command.err());
        final String printed = command.out();
        assertTrue(printed.contains("  stops after 4000ms of wall time\n"), "the duration as typed: " + printed);
        assertTrue(printed.contains("  on time      event ") && printed.contains(" total: "), printed);
        assertTrue(Pattern.compile("^wall \\d\\d:\\d\\d:\\d\\d  watermark event ", Pattern.MULTILINE).matcher(printed).find(), printed);
        CommandOutput.assertFitsTerminal(printed);

        final Matcher sent = SENT.matcher(printed);
        assertTrue(sent.find(), printed);
        long sentInRows = 0;
        long lastTotals = 0;
        int rows = 0;
        final Matcher row = MINUTE_ROW.matcher(printed);
        while (row.find())
        {
            rows++;
            assertEquals(number(row.group(2)), number(row.group(4)), "minute " + row.group(1) + ": sent vs last total\n" + printed);
            assertTrue(number(row.group(3)) <= number(row.group(4)));
            sentInRows += number(row.group(2));
            lastTotals += number(row.group(4));
        }
        assertTrue(rows >= 4, "four minutes of event time at 60x: " + printed);
        assertEquals(number(sent.group(1)), sentInRows);
        assertEquals(sentInRows, lastTotals);
        assertTrue(printed.contains("every view accounted for: yes"), printed);
    }

    /**
     * 4,000 users over four minutes of event time: about 80 phones go offline, those that went
     * offline more than the watermark's lag before the end queue views that arrive late. With
     * 1,000 users over three minutes (about 15 phones), a loaded run once queued only 7 views,
     * all near the end and none late.
     */
    @Test
    void withDropTheDroppedViewsMakeUpTheDifference()
    {
        assertEquals(0, demo("--duration", "4s", "--speed", "60", "--users", "4000", "--late", "drop", "--bound", "0s", "--window", "hopping"),
            command.out() + "\n" + command.err());
        final String printed = command.out();
        final Matcher accounted = Pattern.compile("every view accounted for: yes\n    ([\\d,]+) in the last totals \\+ ([\\d,]+) dropped \\+ 0 dead-lettered; ([\\d,]+) sent")
            .matcher(printed);
        CommandOutput.assertFitsTerminal(printed);
        assertTrue(accounted.find(), printed);
        assertTrue(number(accounted.group(2)) > 0, "a bound of 0 makes views late: " + printed);
        assertEquals(number(accounted.group(3)), number(accounted.group(1)) + number(accounted.group(2)));
    }

    /** Sessions under the adaptive watermark: merged sessions are withdrawn, not counted twice, and every line fits. */
    @Test
    void sessionsUnderTheAdaptiveWatermarkAccountForEveryView()
    {
        assertEquals(0, demo("--duration", "3s", "--speed", "60", "--users", "300", "--window", "session", "--watermark", "adaptive",
            "--port", "0", "--http-port", "0"), command.out() + "\n" + command.err());
        final String printed = command.out();
        assertTrue(printed.contains("session windows") && printed.contains("watermark: adaptive, the p99 of observed lateness"), printed);
        assertTrue(printed.contains("every view accounted for: yes"), printed);
        CommandOutput.assertFitsTerminal(printed);
    }

    /** A demo killed on a data directory leaves its job RUNNING there; the server resumes it, and the next demo cancels it first. */
    @Test
    void aDemoJobLeftRunningOnTheDataDirectoryIsCancelledBeforeTheNextRun()
    {
        final BrokerConfig config = BrokerConfig.parse(new Properties(), new BrokerConfig.Flags(dataDir, "127.0.0.1", 0, "127.0.0.1", 0));
        try (BrokerServer server = BrokerServer.start(config))
        {
            server.logs().createTopic("page_views", 2, Map.of());
            server.jobs().submit(JobSubmission.builtin("demo", List.of()));
        }
        assertEquals(0, demo("--duration", "3s", "--speed", "60", "--users", "300", "--port", "0", "--http-port", "0", "--data-dir", dataDir.toString()),
            command.out() + "\n" + command.err());
        assertTrue(command.out().contains("every view accounted for: yes"), command.out());
        try (BrokerServer server = BrokerServer.start(config))
        {
            final List<JobStatus> jobs = server.jobs().list();
            assertEquals(List.of("demo", "demo"), jobs.stream().map(JobStatus::name).toList());
            assertEquals(List.of(JobState.CANCELLED, JobState.CANCELLED), jobs.stream().map(JobStatus::state).toList());
        }
    }

    @Test
    void aPortAskedForThatIsTakenIsAOneLineError() throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()))
        {
            assertEquals(1, demo("--port", Integer.toString(taken.getLocalPort()), "--http-port", "0", "--duration", "1s"));
            assertEquals("tidemark demo: cannot listen on 127.0.0.1: Address already in use (a port given with --port or --http-port is taken)",
                command.err().strip());
        }
    }

    @Test
    void badOptionsAreRefusedWithTheValidChoices()
    {
        assertEquals(2, demo("--window", "round"));
        assertTrue(command.err().contains("use tumbling, hopping, session"), command.err());
        assertEquals(2, demo("--duration", "soon"));
        assertTrue(command.err().contains("is not a duration"), command.err());
        assertEquals(2, demo("--port", "65536"));
        assertTrue(command.err().contains("a port from 0 to 65535"), command.err());
    }
}
