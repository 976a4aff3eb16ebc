package io.tidemark.runtime;

import java.util.concurrent.CountDownLatch;

/**
 * The main class of {@link LauncherScriptTest}'s stand-in jar: for {@code server}, prints
 * {@link #READY} and runs until the JVM is terminated, as {@code tidemark server} does.
 */
public final class LauncherProbe
{
    /** The line printed once started. */
    static final String READY = "launcher probe ready";

    private LauncherProbe()
    {
    }

    /**
     * @param args the launcher's arguments; {@code server} first.
     * @throws InterruptedException never: the JVM ends on SIGTERM.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        if (args.length == 0 || !args[0].equals("server"))
        {
            throw new IllegalArgumentException("the probe serves only 'server'");
        }
        System.out.println(READY);
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
