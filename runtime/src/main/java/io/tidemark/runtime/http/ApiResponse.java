package io.tidemark.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * What the API answers: a status and a JSON body, and for 405 the methods allowed; or, for the
 * metrics and the dashboard's files, bytes of another type.
 *
 * @param status  the status.
 * @param body    the JSON body, or {@code null} for other content.
 * @param allow   the value of the {@code Allow} header, or {@code null} for none.
 * @param content the other content, or {@code null} for JSON.
 */
record ApiResponse(HttpResponseStatus status, JsonNode body, String allow, Content content)
{
    /**
     * @param type  its content type.
     * @param bytes its bytes.
     */
    record Content(String type, byte[] bytes)
    {
    }

    /**
     * @param type  the content type.
     * @param bytes the body.
     * @return a 200 response of that type.
     */
    static ApiResponse content(final String type, final byte[] bytes)
    {
        return new ApiResponse(HttpResponseStatus.OK, null, null, new Content(type, bytes));
    }

    /**
     * @param body the body.
     * @return a 200 response.
     */
    static ApiResponse ok(final JsonNode body)
    {
        return new ApiResponse(HttpResponseStatus.OK, body, null, null);
    }

    /**
     * @param body the body, what was created.
     * @return a 201 response.
     */
    static ApiResponse created(final JsonNode body)
    {
        return new ApiResponse(HttpResponseStatus.CREATED, body, null, null);
    }

    /**
     * @param status  the error status.
     * @param message why, one line.
     * @return an error response, {@code {"error": message}}.
     */
    static ApiResponse error(final HttpResponseStatus status, final String message)
    {
        return new ApiResponse(status, JsonNodeFactory.instance.objectNode().put("error", oneLine(message)), null, null);
    }

    /**
     * @param message why, one line.
     * @param allow   the methods the path takes, for the {@code Allow} header.
     * @return a 405 response, {@code {"error": message}}.
     */
    static ApiResponse methodNotAllowed(final String message, final String allow)
    {
        return new ApiResponse(HttpResponseStatus.METHOD_NOT_ALLOWED, error(HttpResponseStatus.METHOD_NOT_ALLOWED, message).body(), allow, null);
    }

    private static String oneLine(final String message)
    {
        return message == null ? "internal error" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
