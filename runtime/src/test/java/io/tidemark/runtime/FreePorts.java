package io.tidemark.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports on 127.0.0.1 for servers that tests launch as child processes, which bind them seconds
 * after they are chosen.
 *
 * <p>A port found by binding port 0 comes from the kernel's ephemeral range, the same range
 * the local ends of outgoing connections are drawn from. While a Kafka node of a cluster is
 * still starting, its peers already connect to each other and clients poll, and any of those
 * connections may take the port it is about to bind: it then exits with "Address already in
 * use". Ports below the ephemeral range are only ever taken by an explicit bind, so they are
 * chosen there, checked free by binding them, and never handed out twice by this JVM.
 */
final class FreePorts
{
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int LOWEST = 10_000;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts()
    {
    }

    /**
     * @return a port on 127.0.0.1 that was free a moment ago, outside the ephemeral range where
     *         the platform says where that is, and not returned before by this JVM.
     * @throws IOException if no such port is found.
     */
    static synchronized int next() throws IOException
    {
        final int below = ephemeralLowerBound();
        if (below - LOWEST < 1_000)
        {
            return anyFreePort();
        }
        for (int attempt = 0; attempt < 1_000; attempt++)
        {
            final int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
            if (!HANDED_OUT.contains(port) && bindable(port))
            {
                HANDED_OUT.add(port);
                return port;
            }
        }
        throw new IOException("no free port between " + LOWEST + " and " + below + " after 1,000 tries");
    }

    private static boolean bindable(final int port)
    {
        try (ServerSocket socket = new ServerSocket())
        {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        }
        catch (final IOException taken)
        {
            return false;
        }
    }

    private static int anyFreePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()))
        {
            HANDED_OUT.add(socket.getLocalPort());
            return socket.getLocalPort();
        }
    }

    /** @return the first port of the ephemeral range, or 0 where the platform does not say. */
    private static int ephemeralLowerBound()
    {
        try
        {
            final String range = Files.readString(EPHEMERAL_RANGE, StandardCharsets.US_ASCII).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        }
        catch (final IOException | RuntimeException unknown)
        {
            return 0;
        }
    }
}
