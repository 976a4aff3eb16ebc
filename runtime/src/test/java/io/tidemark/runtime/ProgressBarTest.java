package io.tidemark.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class ProgressBarTest
{
    @Test
    void aFrameShowsTheShareDoneWhatRunsAndTheTimeLeft()
    {
        assertEquals("[" + ".".repeat(30) + "]   0%  bounded 0s (1/13)", ProgressBar.render(0, 100, "bounded 0s (1/13)", Duration.ZERO));
        assertEquals("[" + "#".repeat(15) + ".".repeat(15) + "]  50%  bounded 5s (6/13), about 10s left",
            ProgressBar.render(50, 100, "bounded 5s (6/13)", Duration.ofSeconds(10)));
        assertEquals("[" + "#".repeat(30) + "] 100%", ProgressBar.render(100, 100, "", Duration.ofSeconds(10)));
        assertTrue(ProgressBar.render(1, 3, "x".repeat(200), Duration.ofSeconds(1)).length() < 80);
    }

    @Test
    void aLinePrintedMeanwhileWipesTheBarAndTheEndLeavesNoBar() throws Exception
    {
        final StringWriter terminal = new StringWriter();
        final StringWriter out = new StringWriter();
        try (ProgressBar bar = ProgressBar.start(new PrintWriter(terminal), 4, Duration.ZERO))
        {
            bar.label("replaying");
            bar.advance(2);
            bar.println(new PrintWriter(out), "  bounded 0s       done in 1s");
        }
        assertEquals("  bounded 0s       done in 1s\n", out.toString());
        final String drawn = terminal.toString();
        assertTrue(drawn.contains("\r[" + ".".repeat(30) + "]   0%"), drawn);
        assertTrue(drawn.contains("]  50%  replaying"), drawn);
        // Wiped last: what follows on the terminal starts on a clean line.
        assertTrue(drawn.endsWith("\r" + " ".repeat(79) + "\r"), drawn);
    }

    @Test
    void aShortRunDrawsNoBar()
    {
        final StringWriter terminal = new StringWriter();
        try (ProgressBar bar = ProgressBar.start(new PrintWriter(terminal), 4, Duration.ofMinutes(1)))
        {
            bar.advance(4);
        }
        assertEquals("", terminal.toString());
    }
}
