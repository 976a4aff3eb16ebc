package io.tidemark.runtime;

import io.tidemark.engine.api.Durations;

import java.io.Console;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress bar for a long run, redrawn in place on one line of a terminal (stderr, so that
 * what a command prints on stdout stays clean for pipes): how much is done, what is running,
 * and an estimate of the time left. It appears only once the run has taken longer than a
 * delay, and is wiped when the run ends.
 *
 * <pre>
 * [###########.........................]  31%  bounded 5s (6/13), about 40s left
 * </pre>
 */
public final class ProgressBar implements AutoCloseable
{
    /** How long a run goes before the bar appears: short runs print no bar at all. */
    public static final Duration DEFAULT_DELAY = Duration.ofSeconds(2);

    private static final int CELLS = 30;
    private static final long REFRESH_MILLIS = 250;

    private final PrintWriter terminal;
    private final long total;
    private final long started = System.nanoTime();
    private final long delayNanos;
    private final AtomicLong done = new AtomicLong();
    private final ScheduledExecutorService refresher;
    private volatile String label = "";
    /** Whether the bar is on the screen now (guarded by {@code this}). */
    private boolean drawn;
    private boolean closed;

    private ProgressBar(final PrintWriter terminal, final long total, final Duration delay)
    {
        this.terminal = terminal;
        this.total = Math.max(1, total);
        this.delayNanos = delay.toNanos();
        this.refresher = Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "tidemark-progress");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * @param terminal where the bar goes, stderr.
     * @param total    how much work there is, in any unit.
     * @param delay    how long the run goes before the bar appears; zero draws it at once.
     * @return a running bar; close it when the run ends.
     */
    public static ProgressBar start(final PrintWriter terminal, final long total, final Duration delay)
    {
        final ProgressBar bar = new ProgressBar(terminal, total, delay);
        if (delay.isZero())
        {
            bar.redraw();
        }
        bar.refresher.scheduleAtFixedRate(bar::redraw, REFRESH_MILLIS, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
        return bar;
    }

    /**
     * @return whether this process talks to a terminal, where a bar belongs: a console exists
     *         (before JDK 22 only when stdin and stdout are a terminal) and, from JDK 22 on,
     *         it says it is one.
     */
    public static boolean onTerminal()
    {
        final Console console = System.console();
        if (console == null)
        {
            return false;
        }
        try
        {
            // Console.isTerminal() came with JDK 22, which also gives a console to redirected processes.
            return (Boolean)Console.class.getMethod("isTerminal").invoke(console);
        }
        catch (final NoSuchMethodException e)
        {
            return true;
        }
        catch (final ReflectiveOperationException e)
        {
            return false;
        }
    }

    /**
     * @param amount work done since the last call; safe from any thread.
     */
    public void advance(final long amount)
    {
        done.addAndGet(amount);
    }

    /**
     * @param text what is running now, shown after the percentage.
     */
    public void label(final String text)
    {
        label = text;
    }

    /**
     * Prints a line on another stream of the same terminal (stdout) without the bar
     * running through it: the bar is wiped first and redrawn below.
     *
     * @param out  where the line goes.
     * @param line the line.
     */
    public synchronized void println(final PrintWriter out, final String line)
    {
        wipe();
        out.println(line);
        out.flush();
        redraw();
    }

    @Override
    public synchronized void close()
    {
        closed = true;
        refresher.shutdownNow();
        wipe();
    }

    /**
     * @param done     work done.
     * @param total    all the work.
     * @param label    what is running.
     * @param elapsed  time the run has taken so far.
     * @return the bar as drawn: cells, percentage, label and an estimate of the time left once
     *         there is something to go on; at most 79 characters, so the cursor stays on the line.
     */
    static String render(final long done, final long total, final String label, final Duration elapsed)
    {
        final double share = Math.min(1, (double)done / total);
        final int full = (int)(share * CELLS);
        final StringBuilder text = new StringBuilder("[").append("#".repeat(full)).append(".".repeat(CELLS - full)).append("] ")
            .append(String.format(Locale.ROOT, "%3d%%", (int)(share * 100)));
        if (!label.isEmpty())
        {
            text.append("  ").append(label);
        }
        if (done > 0 && done < total)
        {
            final long left = Math.round(elapsed.toMillis() * (double)(total - done) / done / 1000.0);
            text.append(", about ").append(Durations.format(Duration.ofSeconds(left))).append(" left");
        }
        return text.length() < TerminalText.COLUMNS ? text.toString() : text.substring(0, TerminalText.COLUMNS - 1);
    }

    private synchronized void redraw()
    {
        final long elapsed = System.nanoTime() - started;
        if (closed || elapsed < delayNanos)
        {
            return;
        }
        final String text = render(done.get(), total, label, Duration.ofNanos(elapsed));
        // Padded to the full width: a shorter frame would leave the end of the last one on screen.
        terminal.print("\r" + text + " ".repeat(TerminalText.COLUMNS - 1 - text.length()));
        terminal.flush();
        drawn = true;
    }

    private void wipe()
    {
        if (drawn)
        {
            terminal.print("\r" + " ".repeat(TerminalText.COLUMNS - 1) + "\r");
            terminal.flush();
            drawn = false;
        }
    }
}
