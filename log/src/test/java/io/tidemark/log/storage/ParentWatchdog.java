package io.tidemark.log.storage;

import java.io.IOException;

/**
 * For a child JVM that a crash test kills: halts the child when its parent's end of the
 * standard input closes, so that a test JVM that dies (or is stopped) leaves no child behind.
 * The parent never writes to it.
 */
final class ParentWatchdog
{
    private ParentWatchdog()
    {
    }

    /** Starts the watching daemon thread. */
    static void start()
    {
        final Thread watchdog = new Thread(() ->
        {
            try
            {
                while (System.in.read() >= 0)
                {
                    // the parent never writes; end of input means the parent is gone
                }
            }
            catch (final IOException ignored)
            {
                // fall through to halt
            }
            Runtime.getRuntime().halt(3);
        }, "stdin-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
