package io.tidemark.runtime.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

import io.netty.buffer.ByteBuf;

/**
 * The body of a request as it arrives, up to a limit: kept in memory (JSON) or written to a
 * temporary file (an uploaded jar). Its methods but {@link #open} run on the connection's event
 * loop.
 */
interface RequestBody
{
    /**
     * Takes the next piece of the body.
     *
     * @param content the piece; not retained beyond the call unless the body needs it.
     * @return false if the body is now larger than its limit: the request is refused with 413.
     */
    boolean append(ByteBuf content);

    /**
     * @return completes when the whole body is readable (written out, for a file).
     */
    CompletableFuture<Void> finish();

    /**
     * @return the body from its start.
     * @throws IOException if it cannot be read back.
     */
    InputStream open() throws IOException;

    /**
     * @return the body's length so far, in bytes.
     */
    long length();

    /**
     * Frees what the body holds (deletes its file), once the request is answered or its
     * connection is gone.
     */
    void discard();
}
