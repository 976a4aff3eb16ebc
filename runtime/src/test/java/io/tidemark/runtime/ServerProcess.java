package io.tidemark.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tidemark server} in a child JVM on this test's class path, for tests that kill it.
 */
final class ServerProcess implements AutoCloseable
{
    private static final Pattern READY = Pattern.compile("tidemark server ready on [^:]+:(\\d+) \\(.*\\); HTTP API on (http://\\S+/api)$");

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final int port;
    private final String httpApi;

    /**
     * @param dataDir the data directory.
     * @param config a properties file, or null.
     * @param options more of the command line, after the data directory, port and file.
     */
    ServerProcess(final Path dataDir, final Path config, final String... options) throws IOException, InterruptedException
    {
        this(dataDir, 0, config, options);
    }

    /**
     * @param dataDir the data directory.
     * @param port the port to listen on; 0 for a free one.
     * @param config a properties file, or null.
     * @param options more of the command line, after the data directory, port and file; the
     *        HTTP API takes a free port unless they name one.
     */
    ServerProcess(final Path dataDir, final int port, final Path config, final String... options) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Xmx256m",
            "-cp", System.getProperty("java.class.path"),
            Tidemark.class.getName(), "server", "--data-dir", dataDir.toString(), "--port", Integer.toString(port)));
        if (!List.of(options).contains("--http-port"))
        {
            command.addAll(List.of("--http-port", "0"));
        }
        if (config != null)
        {
            command.addAll(List.of("--config", config.toString()));
        }
        command.addAll(List.of(options));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        readLines(process, output::add, "server-output");
        final Matcher ready = awaitReady();
        this.port = Integer.parseInt(ready.group(1));
        this.httpApi = ready.group(2);
    }

    /**
     * Hands each line a child process prints to a consumer, on a daemon thread, until the
     * process closes its output.
     *
     * @param process the process, its error stream redirected to its output.
     * @param lines takes each line; a last line says if the output could not be read.
     * @param threadName the reading thread's name.
     */
    static void readLines(final Process process, final Consumer<String> lines, final String threadName)
    {
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = in.readLine()) != null)
                {
                    lines.accept(line);
                }
            }
            catch (final IOException e)
            {
                lines.accept("(output lost: " + e + ")");
            }
        }, threadName);
        reader.setDaemon(true);
        reader.start();
    }

    private Matcher awaitReady() throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline)
        {
            for (final String line : output)
            {
                final Matcher ready = READY.matcher(line);
                if (ready.find())
                {
                    return ready;
                }
            }
            if (!process.isAlive())
            {
                throw new IllegalStateException("server exited with " + process.exitValue() + ": " + output);
            }
            Thread.sleep(20);
        }
        process.destroyForcibly();
        throw new IllegalStateException("server not ready within 60 s: " + output);
    }

    String bootstrap()
    {
        return "127.0.0.1:" + port;
    }

    int port()
    {
        return port;
    }

    /** @return the HTTP API's base URL, {@code http://127.0.0.1:PORT/api}. */
    String httpApi()
    {
        return httpApi;
    }

    List<String> output()
    {
        return output;
    }

    /** SIGKILL: no shutdown hook, no flush. */
    void kill9() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * SIGTERM, then waits for the exit.
     *
     * @return the exit code.
     */
    int terminate() throws InterruptedException, IOException
    {
        // Process.destroy() would also close our end of its output, losing the last lines.
        final int kill = new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start().waitFor();
        if (kill != 0)
        {
            throw new IllegalStateException("kill -TERM failed with " + kill);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new IllegalStateException("server ignored SIGTERM: " + output);
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (output.stream().noneMatch(line -> line.startsWith("tidemark server stopped")) && System.nanoTime() < deadline)
        {
            Thread.sleep(10);   // the output reader may lag the exit
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException
    {
        if (process.isAlive())
        {
            kill9();
        }
    }
}
