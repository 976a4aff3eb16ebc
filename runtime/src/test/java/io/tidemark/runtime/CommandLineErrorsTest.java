package io.tidemark.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad command line gets one line on stderr that names the command, the option and the value,
 * with exit code 2, before any work starts: no usage text (that is for {@code --help}), no stack
 * trace, nothing on stdout.
 */
class CommandLineErrorsTest
{
    @TempDir
    Path dir;

    private final CommandOutput command = new CommandOutput();

    private int run(final String... args)
    {
        return command.run(args);
    }

    /** Runs a refused command line and checks the one line it prints. */
    private void assertRefused(final List<String> expected, final String... args)
    {
        command.clear();
        final int code = run(args);
        final String printed = command.err();
        assertEquals(2, code, printed);
        assertEquals(1, printed.lines().count(), "one line: " + printed);
        for (final String part : expected)
        {
            assertTrue(printed.contains(part), "expected '" + part + "' in: " + printed);
        }
        assertFalse(printed.contains("Usage:"), printed);
        assertFalse(printed.contains("\tat "), printed);
        assertTrue(printed.endsWith("--help')" + System.lineSeparator()), printed);
        assertEquals("", command.out(), "no work started");
    }

    @Test
    void serverOptionsAreCheckedByName() throws IOException
    {
        final String data = dir.resolve("data").toString();
        assertRefused(List.of("tidemark server: ", "'--port'", "'70000'"), "server", "--port", "70000", "--data-dir", data);
        assertRefused(List.of("'--port'", "'abc'"), "server", "--port", "abc");
        final Path file = Files.writeString(dir.resolve("a-file"), "");
        assertRefused(List.of("'--data-dir'", "a-file"), "server", "--data-dir", file.resolve("data").toString(), "--port", "0");
        assertRefused(List.of("'--host'", "'no-such-host.invalid'"), "server", "--host", "no-such-host.invalid", "--port", "0", "--data-dir", data);
        assertRefused(List.of("'--config'", "missing.properties", "no such file"), "server", "--config", dir.resolve("missing.properties").toString());
        assertRefused(List.of("'--log-level'", "'LOUD'"), "server", "--log-level", "LOUD");
        assertRefused(List.of("'--partitions'"), "server", "--partitions", "3");
        assertFalse(Files.exists(dir.resolve("data")), "nothing was created for a refused command line");
    }

    @Test
    void aMisspeltConfigurationKeyNamesTheNearestKnownOne() throws IOException
    {
        final Path config = Files.writeString(dir.resolve("typo.properties"), "log.retention.hour=5\n");
        command.clear();
        assertEquals(2, run("server", "--config", config.toString(), "--data-dir", dir.resolve("data").toString(), "--port", "0"));
        assertEquals("tidemark server: bad configuration: unknown server configuration key 'log.retention.hour'; did you mean 'log.retention.hours'?"
            + System.lineSeparator(), command.err());
    }

    @Test
    void demoOptionsAreCheckedByName() throws IOException
    {
        assertRefused(List.of("tidemark demo: ", "'--partitions'", "'0'"), "demo", "--partitions", "0");
        assertRefused(List.of("'--users'", "'-1'"), "demo", "--users", "-1");
        assertRefused(List.of("'--duration'"), "demo", "--duration", "0s");
        assertRefused(List.of("'--duration'", "'soon'"), "demo", "--duration", "soon");
        assertRefused(List.of("'--bound'"), "demo", "--bound", "PT-1S");
        assertRefused(List.of("'--percentile'", "'100.0'"), "demo", "--percentile", "100");
        assertRefused(List.of("'--window'", "'square'"), "demo", "--window", "square");
        assertRefused(List.of("'--late'", "'ignore'"), "demo", "--late", "ignore");
        final Path file = Files.writeString(dir.resolve("a-file"), "");
        assertRefused(List.of("'--data-dir'", "a-file"), "demo", "--data-dir", file.resolve("data").toString());
    }

    @Test
    void tradeoffOptionsAreCheckedBeforeTheReplays() throws IOException
    {
        final Path file = Files.writeString(dir.resolve("a-file"), "");
        assertRefused(List.of("tidemark bench tradeoff: ", "'--out'", "a-file"), "bench", "tradeoff", "--out", file.toString());
        assertRefused(List.of("'--events'", "'0'"), "bench", "tradeoff", "--events", "0", "--out", dir.toString());
        assertRefused(List.of("'--input'", "no such file"), "bench", "tradeoff", "--input", dir.resolve("none.csv").toString(), "--out", dir.toString());
        assertRefused(List.of("'--late-policy'", "'ignore'"), "bench", "tradeoff", "--late-policy", "ignore", "--out", dir.toString());
    }

    @Test
    void theUsageTextIsForHelpOnly()
    {
        assertEquals(0, run("server", "--help"));
        assertTrue(command.out().contains("--log-level"), command.out());
        assertTrue(command.out().contains("--config"), command.out());
        assertEquals("", command.err());
        assertRefused(List.of("tidemark bench: ", "subcommand"), "bench");
    }
}
