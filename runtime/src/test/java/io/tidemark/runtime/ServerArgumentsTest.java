package io.tidemark.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tidemark server}'s command line read without picocli: a plain one gives exactly the
 * options picocli gives, anything else is left to picocli, and a refused value is worded as
 * picocli's path words it.
 */
class ServerArgumentsTest
{
    @TempDir
    Path dir;

    @Test
    void aPlainCommandLineGivesTheOptionsPicocliGives()
    {
        final List<String[]> lines = List.of(
            new String[] {"server"},
            new String[] {"server", "--data-dir", "data", "--port", "9092", "--http-port", "0"},
            new String[] {"server", "--port=19092", "--host=127.0.0.1", "--http-host", "localhost", "--http-port=8081"},
            new String[] {"server", "--config", "server.properties", "--log-level", "debug", "--data-dir=/tmp/a=b"},
            new String[] {"server", "--log-level=Warn", "--port", "+0070"});
        for (final String[] args : lines)
        {
            final ServerCommand plain = ServerArguments.read(args);
            assertNotNull(plain, String.join(" ", args));
            final ServerCommand picocli = (ServerCommand)Tidemark.commandLine().parseArgs(args).subcommand().commandSpec().userObject();
            assertEquals(picocli.flags(), plain.flags(), String.join(" ", args));
            assertEquals(picocli.configFile(), plain.configFile(), String.join(" ", args));
            assertEquals(picocli.logging().level(), plain.logging().level(), String.join(" ", args));
        }
    }

    @Test
    void anythingElseIsLeftToPicocli()
    {
        final List<String[]> lines = List.of(
            new String[] {"server", "--help"},
            new String[] {"server", "-h"},
            new String[] {"server", "--version"},
            new String[] {"server", "--partitions", "3"},
            new String[] {"server", "--port", "1", "--port", "2"},
            new String[] {"server", "--port"},
            new String[] {"server", "--port", "abc"},
            new String[] {"server", "--port="},
            new String[] {"server", "--port", "-1"},
            new String[] {"server", "--host", "--port"},
            new String[] {"server", "--log-level", "LOUD"},
            new String[] {"server", "@options.txt"},
            new String[] {"server", "data"},
            new String[] {"server", "--", "--port", "1"});
        for (final String[] args : lines)
        {
            assertNull(ServerArguments.read(args), String.join(" ", args));
        }
    }

    @Test
    void aRefusedValueIsWordedAsPicocliWordsIt() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("a-file"), "");
        final List<String[]> lines = List.of(
            new String[] {"server", "--port", "70000", "--data-dir", dir.resolve("data").toString()},
            new String[] {"server", "--data-dir", file.resolve("data").toString(), "--port", "0"},
            new String[] {"server", "--config", dir.resolve("missing.properties").toString()},
            new String[] {"server", "--host", "no-such-host.invalid", "--port", "0", "--data-dir", dir.resolve("data").toString()});
        for (final String[] args : lines)
        {
            final StringWriter plain = new StringWriter();
            final ServerCommand command = ServerArguments.read(args);
            assertNotNull(command, String.join(" ", args));
            final int code = command.run(args, () -> Tidemark.commandLine().setErr(new PrintWriter(plain, true)).getSubcommands().get("server"));

            final CommandOutput picocli = new CommandOutput();
            assertEquals(picocli.run(args), code, String.join(" ", args));
            assertEquals(CommandLine.ExitCode.USAGE, code, plain.toString());
            assertEquals(picocli.err(), plain.toString());
        }
    }
}
