package io.tidemark.runtime.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * A small body (JSON), kept in memory up to its limit.
 */
final class MemoryBody implements RequestBody
{
    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    /**
     * @param limit the most bytes accepted.
     */
    MemoryBody(final int limit)
    {
        this.limit = limit;
    }

    @Override
    public boolean append(final ByteBuf content)
    {
        if ((long)bytes.size() + content.readableBytes() > limit)
        {
            return false;
        }
        bytes.writeBytes(ByteBufUtil.getBytes(content));
        return true;
    }

    @Override
    public CompletableFuture<Void> finish()
    {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public InputStream open()
    {
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    @Override
    public long length()
    {
        return bytes.size();
    }

    @Override
    public void discard()
    {
        bytes.reset();
    }
}
