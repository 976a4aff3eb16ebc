package io.tidemark.runtime.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request the API refuses: its status and a one-line reason, answered as
 * {@code {"error": "..."}}.
 */
final class ApiException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient HttpResponseStatus status;

    /**
     * @param status  the response's status (4xx).
     * @param message why, one line.
     */
    ApiException(final HttpResponseStatus status, final String message)
    {
        super(message);
        this.status = status;
    }

    /**
     * @return the response's status.
     */
    HttpResponseStatus status()
    {
        return status;
    }

    /**
     * @param message why, one line.
     * @return a 400 refusal.
     */
    static ApiException badRequest(final String message)
    {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, message);
    }

    /**
     * @param message what was not found, one line.
     * @return a 404 refusal.
     */
    static ApiException notFound(final String message)
    {
        return new ApiException(HttpResponseStatus.NOT_FOUND, message);
    }
}
