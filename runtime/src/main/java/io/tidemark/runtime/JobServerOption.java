package io.tidemark.runtime;

import java.net.URI;
import java.net.URISyntaxException;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --server URL}, shared by the {@code tidemark job} commands: where the server's HTTP
 * API is.
 */
final class JobServerOption
{
    /** Where {@code tidemark server} serves its HTTP API by default. */
    static final String DEFAULT_SERVER = "http://127.0.0.1:8081";

    @Option(names = "--server", paramLabel = "URL", defaultValue = DEFAULT_SERVER,
        description = "The server's HTTP API (default: ${DEFAULT-VALUE}).")
    private String server;

    /**
     * @param spec the command, to refuse a bad URL in.
     * @return a client of the server's API.
     * @throws picocli.CommandLine.ParameterException if the URL is not {@code http://host[:port]}.
     */
    ApiClient client(final CommandSpec spec)
    {
        final String expected = "an http:// URL such as " + DEFAULT_SERVER;
        final URI uri;
        try
        {
            uri = new URI(server.strip().replaceAll("/+$", "").replaceAll("/api$", ""));
        }
        catch (final URISyntaxException e)
        {
            throw CommandErrors.invalid(spec, "--server", server, expected);
        }
        CommandErrors.check(spec, ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
            && (uri.getPath() == null || uri.getPath().isEmpty()), "--server", server, expected);
        return new ApiClient(uri);
    }
}
