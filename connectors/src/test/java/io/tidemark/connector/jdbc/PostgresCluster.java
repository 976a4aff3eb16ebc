package io.tidemark.connector.jdbc;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: a cluster of its own in a temporary directory,
 * listening on 127.0.0.1 at a free port, with a superuser {@code postgres} that needs no
 * password. Made with the installed server's {@code initdb} and {@code pg_ctl} (the Debian
 * package {@code postgresql}, which {@code .ci/run} installs). PostgreSQL refuses to run as
 * root, so as root the cluster belongs to the {@code postgres} user the package creates.
 */
final class PostgresCluster implements AutoCloseable
{
    private static final Path INSTALLATIONS = Path.of("/usr/lib/postgresql");
    private static final long TIMEOUT_SECONDS = 120;

    private final Path bin;
    private final Path directory;
    private final boolean asPostgres;
    private final int port;

    private PostgresCluster(final Path bin, final Path directory, final boolean asPostgres, final int port)
    {
        this.bin = bin;
        this.directory = directory;
        this.asPostgres = asPostgres;
        this.port = port;
    }

    /**
     * @return a running cluster.
     * @throws Exception if PostgreSQL is not installed or does not start.
     */
    static PostgresCluster start() throws Exception
    {
        final Path bin = installation();
        final boolean asPostgres = "root".equals(System.getProperty("user.name"));
        final Path directory = Files.createTempDirectory("tidemark-postgres");
        if (asPostgres)
        {
            final UserPrincipalLookupService users = directory.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(directory, users.lookupPrincipalByName("postgres"));
        }
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        run(bin, asPostgres, directory, "initdb", "-D", directory.resolve("data").toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8",
            "--no-locale", "--no-sync");
        IOException failed = null;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            // Another process may take the free port before the server does: then try another.
            final int port = freePort();
            try
            {
                run(bin, asPostgres, directory, "pg_ctl", "-D", directory.resolve("data").toString(), "-l", directory.resolve("server.log").toString(),
                    "-w", "-t", String.valueOf(TIMEOUT_SECONDS), "-o",
                    "-p " + port + " -k " + directory + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
                return new PostgresCluster(bin, directory, asPostgres, port);
            }
            catch (final IOException e)
            {
                failed = e;
            }
        }
        throw failed;
    }

    /**
     * @return the URL of the database {@code postgres} as the superuser.
     */
    String url()
    {
        return url("postgres");
    }

    /**
     * @param user a role that may log in without a password.
     * @return the URL of the database {@code postgres} as that role.
     */
    String url(final String user)
    {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=" + user;
    }

    /**
     * @return the port the server listens on.
     */
    int port()
    {
        return port;
    }

    @Override
    public void close() throws Exception
    {
        try
        {
            run(bin, asPostgres, directory, "pg_ctl", "-D", directory.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        }
        finally
        {
            try (Stream<Path> files = Files.walk(directory))
            {
                for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.delete(file);
                }
            }
        }
    }

    private static Path installation() throws IOException
    {
        if (Files.isDirectory(INSTALLATIONS))
        {
            try (Stream<Path> versions = Files.list(INSTALLATIONS))
            {
                final List<Path> found = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .sorted(Comparator.comparing((Path b) -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0")))).toList();
                if (!found.isEmpty())
                {
                    return found.get(found.size() - 1);
                }
            }
        }
        throw new IllegalStateException("the PostgreSQL tests need a PostgreSQL server installed under " + INSTALLATIONS
            + " (the Debian package postgresql, which .ci/run installs)");
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    private static void run(final Path bin, final boolean asPostgres, final Path directory, final String program, final String... arguments)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        if (asPostgres)
        {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(arguments));
        final Path output = Files.createTempFile("tidemark-postgres", ".out");
        try
        {
            final Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s: " + Files.readString(output));
            }
            if (process.exitValue() != 0)
            {
                final Path log = directory.resolve("server.log");
                throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + Files.readString(output)
                    + (Files.isReadable(log) ? Files.readString(log) : ""));
            }
        }
        finally
        {
            Files.delete(output);
        }
    }
}
