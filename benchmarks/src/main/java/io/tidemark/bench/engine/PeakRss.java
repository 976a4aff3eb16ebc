package io.tidemark.bench.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The peak resident set size of this process, from {@code /proc/self/status}. */
final class PeakRss
{
    private PeakRss()
    {
    }

    /**
     * @return the peak resident set size in bytes ({@code VmHWM}), or -1 where there is no
     * {@code /proc} (not Linux).
     */
    static long bytes()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
            {
                if (line.startsWith("VmHWM:"))
                {
                    // "VmHWM:    123456 kB"
                    return Long.parseLong(line.substring("VmHWM:".length()).replace("kB", "").trim()) * 1024;
                }
            }
        }
        catch (final IOException | NumberFormatException e)
        {
            return -1;
        }
        return -1;
    }

    /**
     * @return the peak resident set size in MiB, for reports.
     */
    static String describe()
    {
        final long bytes = bytes();
        return bytes < 0 ? "unknown" : (bytes >> 20) + " MiB";
    }
}
