package io.tidemark.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tidemark job}'s command lines: a bad one is refused in one line with exit code 2
 * before anything is sent; a server that cannot be reached is one line and exit code 1; every
 * subcommand's help has an example.
 */
class JobCommandTest
{
    @TempDir
    Path dir;

    private final CommandOutput command = new CommandOutput();

    /** Runs a refused command line and checks the one line it prints and that nothing ran. */
    private void assertRefused(final List<String> expected, final String... args)
    {
        command.clear();
        final int code = command.run(args);
        final String printed = command.err();
        assertEquals(2, code, printed);
        assertEquals(1, printed.lines().count(), "one line: " + printed);
        for (final String part : expected)
        {
            assertTrue(printed.contains(part), "expected '" + part + "' in: " + printed);
        }
        assertEquals("", command.out(), "nothing sent, nothing printed");
    }

    @Test
    void aBadCommandLineIsRefusedBeforeAnythingIsSent() throws IOException
    {
        // A server that would answer if anything were sent: nothing must reach it, so it may as well not exist.
        final String server = "--server=http://127.0.0.1:" + closedPort();
        assertRefused(List.of("tidemark job: name a command"), "job");
        assertRefused(List.of("tidemark job submit: ", "name a built-in job"), "job", "submit", server);
        assertRefused(List.of("'--jar'", "no such file"), "job", "submit", "--jar", dir.resolve("missing.jar").toString(), "--class", "a.B", server);
        final Path jar = Files.write(dir.resolve("jobs.jar"), new byte[] {1});
        assertRefused(List.of("'--jar'", "--class must name"), "job", "submit", "--jar", jar.toString(), server);
        assertRefused(List.of("'--class'", "give --jar too"), "job", "submit", "--class", "a.B", "click-counts", server);
        assertRefused(List.of("'--guarantee'", "'sometimes'"), "job", "submit", "--guarantee", "sometimes", "click-counts", server);
        assertRefused(List.of("'--parallelism'", "'0'"), "job", "submit", "--parallelism", "0", "click-counts", server);
        assertRefused(List.of("'--checkpoint-interval'", "'soon'"), "job", "submit", "--checkpoint-interval", "soon", "click-counts", server);
        assertRefused(List.of("'--restart-backoff'", "'0.5'", "1 or more"), "job", "submit", "--restart-attempts", "3", "--restart-backoff", "0.5",
            "click-counts", server);
        assertRefused(List.of("'--restart-delay'", "give --restart-attempts too"), "job", "submit", "--restart-delay", "5s", "click-counts", server);
        assertRefused(List.of("'--restart-attempts'", "'-1'"), "job", "submit", "--restart-attempts", "-1", "click-counts", server);
        assertRefused(List.of("tidemark job describe: ", "ID"), "job", "describe", server);
        assertRefused(List.of("'ID'", "'XYZ'", "8 lowercase hex"), "job", "describe", "XYZ", server);
        assertRefused(List.of("tidemark job cancel: ", "'--now'"), "job", "cancel", "--now", "0000abcd", server);
        assertRefused(List.of("'--server'", "'ftp://host'", "an http:// URL"), "job", "list", "--server", "ftp://host");
        assertRefused(List.of("'--server'", "'http://host/jobs'"), "job", "list", "--server", "http://host/jobs");
        assertRefused(List.of("'--server'", "'not a url'"), "job", "builtins", "--server", "not a url");
    }

    @Test
    void anUnreachableServerIsOneLineAndExitCode1() throws IOException
    {
        final int port = closedPort();
        for (final List<String> args : List.of(List.of("job", "list"), List.of("job", "builtins"), List.of("job", "describe", "0000abcd"),
            List.of("job", "cancel", "--savepoint", "0000abcd"), List.of("job", "submit", "click-counts", "arg")))
        {
            command.clear();
            final String[] line = new String[args.size() + 2];
            args.toArray(line);
            line[args.size()] = "--server";
            line[args.size() + 1] = "http://127.0.0.1:" + port + "/api/";
            assertEquals(1, command.run(line), command.err());
            assertEquals("tidemark job " + args.get(1) +
                ": cannot reach the server at http://127.0.0.1:" + port + " (is 'tidemark server' running there?)" + System.lineSeparator(), command.err());
            assertEquals("", command.out());
        }
    }

    @Test
    void everySubcommandsHelpHasAnExample()
    {
        for (final String subcommand : List.of("submit", "list", "describe", "cancel", "savepoint", "resume", "builtins"))
        {
            command.clear();
            assertEquals(0, command.run("job", subcommand, "--help"));
            assertTrue(command.out().contains("Example") && command.out().contains("tidemark job " + subcommand), command.out());
            assertTrue(command.out().contains("--server"), command.out());
            assertEquals("", command.err());
        }
        command.clear();
        assertEquals(0, command.run("job", "--help"));
        assertTrue(command.out().contains("submit") && command.out().contains("builtins"), command.out());
    }

    /** A port nothing listens on: bound, then released. */
    private static int closedPort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
