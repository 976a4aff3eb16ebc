package io.tidemark.runtime.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.runtime.broker.BrokerConfig;
import io.tidemark.runtime.broker.BrokerServer;

/**
 * A {@link BrokerServer} on free ports of 127.0.0.1 (Kafka and HTTP) over a test's data
 * directory, and calls to its HTTP API with the JDK's client.
 */
final class TestApi implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BrokerServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    TestApi(final Path dataDir)
    {
        this(dataDir, Map.of());
    }

    /**
     * @param dataDir the data directory.
     * @param config  server configuration keys beside the free HTTP port.
     */
    TestApi(final Path dataDir, final Map<String, String> config)
    {
        final Properties properties = new Properties();
        properties.put(BrokerConfig.HTTP_PORT, "0");
        properties.putAll(config);
        server = BrokerServer.start(BrokerConfig.parse(properties, dataDir, "127.0.0.1", 0));
    }

    BrokerServer server()
    {
        return server;
    }

    String bootstrap()
    {
        return "127.0.0.1:" + server.address().getPort();
    }

    int httpPort()
    {
        return server.httpAddress().getPort();
    }

    /** @return the server's URL for {@code tidemark job --server}. */
    String url()
    {
        return "http://127.0.0.1:" + httpPort();
    }

    Answer get(final String path) throws IOException, InterruptedException
    {
        return send(request(path).GET());
    }

    Answer post(final String path, final String json) throws IOException, InterruptedException
    {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Answer post(final String path, final byte[] body) throws IOException, InterruptedException
    {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    Answer send(final String method, final String path) throws IOException, InterruptedException
    {
        return send(request(path).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    private HttpRequest.Builder request(final String path)
    {
        return HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(60));
    }

    private Answer send(final HttpRequest.Builder request) throws IOException, InterruptedException
    {
        final HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response, JSON.readTree(response.body()));
    }

    @Override
    public void close()
    {
        server.close();
    }

    /**
     * @param status   the status code.
     * @param response the whole response, for its headers.
     * @param json     the body.
     */
    record Answer(int status, HttpResponse<String> response, JsonNode json)
    {
        /** @return the {@code error} field of a refusal. */
        String error()
        {
            return json.path("error").asText();
        }
    }
}
