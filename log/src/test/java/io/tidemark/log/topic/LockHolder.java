package io.tidemark.log.topic;

import java.nio.file.Path;

import io.tidemark.log.LogConfig;
import io.tidemark.log.errors.DataDirectoryLockedException;

/**
 * Run in a child JVM by {@link LogManagerTest}: tries to open a data directory and prints
 * {@code LOCKED <message>} or {@code OPENED}.
 */
public final class LockHolder
{
    private LockHolder()
    {
    }

    /**
     * @param args the data directory.
     */
    public static void main(final String[] args)
    {
        try (LogManager manager = LogManager.open(Path.of(args[0]), LogConfig.DEFAULTS))
        {
            System.out.println("OPENED " + manager.listTopics());
        }
        catch (final DataDirectoryLockedException e)
        {
            System.out.println("LOCKED " + e.getMessage());
        }
    }
}
