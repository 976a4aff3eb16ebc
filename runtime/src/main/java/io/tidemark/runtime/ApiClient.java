package io.tidemark.runtime;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code tidemark job} commands' side of the server's HTTP API: JSON requests with the
 * JDK's HTTP client, and every way a call can fail turned into one line for the user: the
 * server unreachable, a refusal (the server's own {@code error}), an answer that is not the API's.
 */
final class ApiClient
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Long enough for a savepoint of a large state, or a cancel that waits for one. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

    private final URI server;
    private final HttpClient client;

    /**
     * @param server the server's URL, {@code http://host:port}.
     */
    ApiClient(final URI server)
    {
        this.server = server;
        this.client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * @param path the path below {@code /api}, starting with {@code /}.
     * @return the answer's JSON.
     * @throws Failure with one line if the call fails.
     */
    JsonNode get(final String path)
    {
        return send(request(path).GET().build());
    }

    /**
     * @param path the path below {@code /api}.
     * @param body the JSON to send.
     * @return the answer's JSON.
     * @throws Failure with one line if the call fails.
     */
    JsonNode post(final String path, final ObjectNode body)
    {
        return send(request(path).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    /**
     * @param path the path below {@code /api}.
     * @param file a file to send as the body.
     * @return the answer's JSON.
     * @throws Failure with one line if the call fails or the file cannot be read.
     */
    JsonNode postFile(final String path, final Path file)
    {
        try
        {
            return send(request(path).header("Content-Type", "application/java-archive").POST(HttpRequest.BodyPublishers.ofFile(file)).build());
        }
        catch (final FileNotFoundException e)
        {
            throw new Failure("cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * @return a JSON object to fill in as a request's body.
     */
    static ObjectNode object()
    {
        return JSON.createObjectNode();
    }

    private HttpRequest.Builder request(final String path)
    {
        return HttpRequest.newBuilder(server.resolve("/api" + path)).timeout(REQUEST_TIMEOUT).header("Accept", "application/json");
    }

    private JsonNode send(final HttpRequest request)
    {
        final HttpResponse<String> response;
        try
        {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (final ConnectException | HttpConnectTimeoutException e)
        {
            throw new Failure("cannot reach the server at " + server + " (is 'tidemark server' running there?)");
        }
        catch (final HttpTimeoutException e)
        {
            throw new Failure("no answer from the server at " + server + " within " + REQUEST_TIMEOUT.toMinutes() + " minutes");
        }
        catch (final IOException e)
        {
            throw new Failure("the connection to " + server + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
        final JsonNode json;
        try
        {
            json = JSON.readTree(response.body());
        }
        catch (final JacksonException e)
        {
            throw new Failure("the server at " + server + " answered HTTP " + response.statusCode() + " without JSON: is it a Tidemark server?");
        }
        if (response.statusCode() >= 300)
        {
            final JsonNode error = json == null ? null : json.get("error");
            throw new Failure(error != null && error.isTextual() ? error.textValue() : "HTTP " + response.statusCode());
        }
        return json;
    }

    /**
     * A call that failed, with one line saying why; the command prints it and exits with 1.
     */
    static final class Failure extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        /**
         * @param message why, one line.
         */
        Failure(final String message)
        {
            super(message);
        }
    }
}
