package io.tidemark.runtime;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code tidemark} command lines in-process, as the launcher would, and keeps what they
 * print on stdout and stderr for the test to read.
 */
public final class CommandOutput
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /**
     * @param args the command line after {@code tidemark}.
     * @return the exit code.
     */
    public int run(final String... args)
    {
        return Tidemark.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    /** @return everything printed on stdout so far. */
    public String out()
    {
        return out.toString();
    }

    /** @return everything printed on stderr so far. */
    public String err()
    {
        return err.toString();
    }

    /** Forgets what was printed. */
    public void clear()
    {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
    }

    /**
     * Asserts that every line of what a command printed fits an 80-column terminal.
     *
     * @param printed the text.
     */
    public static void assertFitsTerminal(final String printed)
    {
        for (final String line : printed.split("\n"))
        {
            assertTrue(line.length() <= TerminalText.COLUMNS, "longer than 80 columns (" + line.length() + "): " + line);
        }
    }
}
