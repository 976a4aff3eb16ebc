package io.tidemark.runtime.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.netty.handler.codec.http.HttpMethod;

/**
 * One request to the API: its method, its path's segments after {@code /api} (decoded) and
 * its body.
 *
 * @param method   the method.
 * @param segments the path below {@code /api}, split at {@code /} and URL-decoded.
 * @param body     the body.
 */
record ApiRequest(HttpMethod method, List<String> segments, RequestBody body)
{
    /**
     * @return the body as a JSON object; an empty body is an empty object.
     * @throws ApiException 400 if the body is not a JSON object.
     */
    JsonNode json()
    {
        if (body.length() == 0)
        {
            return JsonNodeFactory.instance.objectNode();
        }
        try (InputStream in = body.open())
        {
            final JsonNode json = Json.MAPPER.readTree(in);
            if (json == null || !json.isObject())
            {
                throw ApiException.badRequest("the body must be a JSON object");
            }
            return json;
        }
        catch (final com.fasterxml.jackson.core.JacksonException e)
        {
            throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage());
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
