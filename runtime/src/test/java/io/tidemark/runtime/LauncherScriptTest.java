package io.tidemark.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's {@code ./tidemark} launcher, run for real on a copy of the repository's layout
 * whose jar is {@link LauncherProbe} (a stand-in server that prints a ready line and serves until
 * SIGTERM), so that no build runs: the first {@code server} writes its class data sharing archive
 * when stopped, later ones load their classes from it, a corrupt archive or one older than the
 * jar never stops a server from starting, and a collector chosen in {@code TIDEMARK_JAVA_OPTS}
 * replaces the default one instead of clashing with it.
 */
class LauncherScriptTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String FROM_ARCHIVE = LauncherProbe.class.getName() + " source: shared objects file";

    @TempDir
    Path root;

    private Path jar;
    private Path archive;

    @BeforeEach
    void layOutRepository() throws IOException
    {
        final Path script = root.resolve("tidemark");
        Files.copy(Path.of("").toAbsolutePath().getParent().resolve("tidemark"), script);
        assertTrue(script.toFile().setExecutable(true));
        final FileTime old = FileTime.from(Instant.now().minus(Duration.ofDays(1)));
        Files.setLastModifiedTime(Files.writeString(root.resolve("pom.xml"), "<project/>"), old);
        for (final String module : List.of("log", "engine", "connectors", "examples", "runtime/target"))
        {
            Files.createDirectories(root.resolve(module));
        }
        jar = root.resolve("runtime/target/tidemark.jar");
        archive = root.resolve("runtime/target/tidemark-server.jsa");
        writeJar();
    }

    @Test
    void theFirstServerWritesTheArchiveAndLaterOnesLoadTheirClassesFromIt() throws Exception
    {
        final Launch first = launch("");
        assertFalse(first.output.stream().anyMatch(line -> line.contains(FROM_ARCHIVE)), String.join("\n", first.output));
        assertTrue(Files.size(archive) > 0, "the archive is written when the first server stops");

        final Launch second = launch("");
        assertTrue(second.output.stream().anyMatch(line -> line.contains(FROM_ARCHIVE)), String.join("\n", second.output));
        assertTrue(second.commandLine.contains("-XX:+UseSerialGC") && second.commandLine.contains("-Xms16m"), second.commandLine);
        assertTrue(second.commandLine.contains("-XX:ArchiveRelocationMode=0"), "maps the archive where it was written for: " + second.commandLine);
    }

    @Test
    void aCorruptArchiveOrOneOlderThanTheJarNeverStopsTheServer() throws Exception
    {
        launch("");
        Files.delete(archive);
        Files.write(archive, new byte[64 * 1024]);
        final Launch corrupt = launch("");
        assertFalse(corrupt.output.stream().anyMatch(line -> line.contains(FROM_ARCHIVE)), String.join("\n", corrupt.output));
        assertFalse(corrupt.output.stream().anyMatch(line -> line.contains("][cds") || line.contains("[warning]")),
            "the fallback is silent: " + String.join("\n", corrupt.output));

        // A jar newer than the archive: this server writes a fresh archive, and the next one uses it.
        writeJar();
        Files.setLastModifiedTime(archive, FileTime.from(Files.getLastModifiedTime(jar).toInstant().minusSeconds(10)));
        final Launch rebuilt = launch("");
        assertFalse(rebuilt.output.stream().anyMatch(line -> line.contains(FROM_ARCHIVE)), String.join("\n", rebuilt.output));
        assertTrue(Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0, "a fresh archive");
        final Launch after = launch("");
        assertTrue(after.output.stream().anyMatch(line -> line.contains(FROM_ARCHIVE)), String.join("\n", after.output));
    }

    @Test
    void aCollectorOrCdsFlagsOfTheUsersOwnWin() throws Exception
    {
        final Launch noSharing = launch("-Xshare:off");
        assertFalse(noSharing.commandLine.contains("ArchiveClassesAtExit") || noSharing.commandLine.contains("SharedArchiveFile"),
            noSharing.commandLine);
        assertFalse(Files.exists(archive), "no archive without sharing");

        final Launch g1 = launch("-XX:+UseG1GC");
        assertTrue(g1.commandLine.contains("-XX:+UseG1GC") && !g1.commandLine.contains("-XX:+UseSerialGC"), g1.commandLine);
    }

    /** The probe's jar, as the build would leave it (newer than the sources). */
    private void writeJar() throws IOException
    {
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LauncherProbe.class.getName());
        final String entry = LauncherProbe.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
            InputStream in = LauncherProbe.class.getClassLoader().getResourceAsStream(entry))
        {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
    }

    /**
     * Runs {@code ./tidemark server} until the probe's ready line, then stops it with SIGTERM as
     * a user would, and waits for the launcher to exit.
     *
     * @param javaOpts TIDEMARK_JAVA_OPTS beside {@code -Xlog:class+load}, which shows where each class came from.
     * @return the output and the JVM's command line.
     */
    private Launch launch(final String javaOpts) throws Exception
    {
        final ProcessBuilder builder = new ProcessBuilder(root.resolve("tidemark").toString(), "server").redirectErrorStream(true);
        builder.environment().put("TIDEMARK_JAVA_OPTS", "-Xlog:class+load " + javaOpts);
        builder.environment().remove("TIDEMARK_CDS");
        final Process process = builder.start();
        final List<String> output = new CopyOnWriteArrayList<>();
        final Thread reader = new Thread(() -> readLines(process.getInputStream(), output), "launcher-output");
        reader.start();
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!output.contains(LauncherProbe.READY))
        {
            assertTrue(process.isAlive() && System.nanoTime() < deadline, "no ready line: " + String.join("\n", output));
            Thread.onSpinWait();
            reader.join(1);
        }
        final String commandLine = javaCommandLine(process);
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
        assertTrue(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the launcher ends after SIGTERM");
        reader.join();
        assertEquals(143, process.exitValue(), "stopped by SIGTERM: " + String.join("\n", output));
        return new Launch(output, commandLine);
    }

    /** The command line of the JVM: the launcher itself, or its child while it writes the archive. */
    private static String javaCommandLine(final Process launcher)
    {
        final ProcessHandle java = launcher.descendants().findFirst().orElse(launcher.toHandle());
        return java.info().commandLine().orElseThrow();
    }

    private static void readLines(final InputStream in, final List<String> into)
    {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)))
        {
            for (String line = reader.readLine(); line != null; line = reader.readLine())
            {
                into.add(line);
            }
        }
        catch (final IOException e)
        {
            into.add("cannot read the output: " + e);
        }
    }

    /** What one launch printed, and how its JVM was started. */
    private record Launch(List<String> output, String commandLine)
    {
    }
}
