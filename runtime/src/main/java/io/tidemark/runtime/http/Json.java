package io.tidemark.runtime.http;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The API's one JSON mapper, shared: it is thread-safe once configured.
 */
final class Json
{
    /** Reads request bodies and writes responses. */
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json()
    {
    }
}
