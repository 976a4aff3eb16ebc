package io.tidemark.runtime.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * HTTP/1.1 over a plain socket, for what a real client does that {@code java.net.http} hides:
 * a request sent in pieces, pipelined requests, a body the server refuses unread.
 */
final class RawHttp implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttp(final int port) throws IOException
    {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(60_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Writes bytes and flushes them: with TCP_NODELAY, each call leaves as its own segment. */
    void send(final String text) throws IOException
    {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    /**
     * @return the next response: status, headers (lower-case names) and body (by Content-Length).
     */
    Response read() throws IOException
    {
        final String statusLine = line();
        final String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1."))
        {
            throw new IOException("not a status line: '" + statusLine + "'");
        }
        final Map<String, String> headers = new TreeMap<>();
        for (String header = line(); !header.isEmpty(); header = line())
        {
            final int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        final byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        return new Response(Integer.parseInt(parts[1]), headers, JSON.readTree(body));
    }

    private String line() throws IOException
    {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read())
        {
            if (b == -1)
            {
                throw new IOException("the connection closed mid-response: '" + line + "'");
            }
            if (b != '\r')
            {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** @return whether the server has closed the connection (after everything it sent was read). */
    boolean closedByServer() throws IOException
    {
        try
        {
            return in.read() == -1;
        }
        catch (final SocketException e)
        {
            return true;
        }
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }

    /**
     * @param status  the status code.
     * @param headers the headers, names in lower case.
     * @param json    the body as JSON.
     */
    record Response(int status, Map<String, String> headers, JsonNode json)
    {
    }
}
