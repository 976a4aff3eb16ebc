package io.tidemark.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The benchmarks' scratch directories, made under {@code -Dtidemark.bench.dir} (else the
 * temporary directory): point it at a real disk where the temporary directory is a tmpfs, or
 * storage figures measure memory.
 */
public final class Scratch
{
    private Scratch()
    {
    }

    /**
     * @param name what the directory is for, part of its name.
     * @return a new empty directory.
     * @throws IOException if it cannot be made.
     */
    public static Path directory(final String name) throws IOException
    {
        final Path base = Path.of(System.getProperty("tidemark.bench.dir", System.getProperty("java.io.tmpdir")));
        return Files.createTempDirectory(base, "tidemark-bench-" + name);
    }

    /**
     * Deletes a directory and everything below it; nothing if it is null or gone.
     *
     * @param dir the directory.
     * @throws IOException if something cannot be deleted.
     */
    public static void delete(final Path dir) throws IOException
    {
        if (dir == null || !Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir))
        {
            for (final Path p : walk.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(p);
            }
        }
    }
}
