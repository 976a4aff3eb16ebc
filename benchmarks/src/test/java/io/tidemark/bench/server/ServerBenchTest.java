package io.tidemark.bench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServerBenchTest
{
    @Test
    void aWorkloadListThatCannotRunIsRefusedBeforeAnythingRuns(@TempDir final Path dir) throws Exception
    {
        final Path out = dir.resolve("samples.txt");
        for (final String workloads : new String[] {"L3", "L1,L5"})
        {
            final StringWriter errors = new StringWriter();
            final CommandLine command = new CommandLine(ServerBench.class);
            final PrintWriter err = new PrintWriter(errors);
            command.setErr(err);
            // No broker listens on port 1: the refusal must come before any connection.
            final int exit = command.execute("run", "--bootstrap", "127.0.0.1:1", "--out", out.toString(), "--no-kcat", "--workloads", workloads);
            err.flush();
            assertEquals(2, exit, errors.toString());
            assertTrue(errors.toString().contains("--workloads takes L1, L2, L3, L4, L2T and L3C, and L3 needs L1"), errors.toString());
            assertFalse(Files.exists(out), "nothing measured");
        }
    }
}
