package io.tidemark.runtime.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A large body (an uploaded jar), written to a temporary file as it arrives, by the request
 * threads in arrival order so that the event loop never waits for the disk. When more than
 * {@link #HIGH_WATER} bytes wait to be written, the connection stops reading until the writes
 * are down to {@link #LOW_WATER}: the memory an upload holds is bounded whatever its size.
 */
final class FileBody implements RequestBody
{
    private static final Logger LOG = LoggerFactory.getLogger(FileBody.class);

    private static final long HIGH_WATER = 8L << 20;
    private static final long LOW_WATER = 1L << 20;

    private final long limit;
    private final Channel connection;
    private final Executor writer;
    private final AtomicLong queued = new AtomicLong();
    private volatile CompletableFuture<Void> writes = CompletableFuture.completedFuture(null);
    private long length;
    private Path file;
    private FileChannel out;

    /**
     * @param limit      the most bytes accepted.
     * @param connection the connection the body arrives on, paused while writes lag.
     * @param writer     where the writes run.
     */
    FileBody(final long limit, final Channel connection, final Executor writer)
    {
        this.limit = limit;
        this.connection = connection;
        this.writer = writer;
    }

    @Override
    public boolean append(final ByteBuf content)
    {
        final int size = content.readableBytes();
        length += size;
        if (length > limit)
        {
            return false;
        }
        if (size == 0)
        {
            return true;
        }
        final ByteBuf piece = content.retainedDuplicate();
        if (queued.addAndGet(size) > HIGH_WATER)
        {
            connection.config().setAutoRead(false);
        }
        writes = writes.thenRunAsync(() -> write(piece.nioBuffer()), writer).whenComplete((v, e) ->
        {
            piece.release();
            queued.addAndGet(-size);
            // Resumed on the event loop, which is where reading was paused: never after a pause it missed.
            connection.eventLoop().execute(() ->
            {
                if (queued.get() <= LOW_WATER)
                {
                    connection.config().setAutoRead(true);
                }
            });
        });
        return true;
    }

    private void write(final ByteBuffer bytes)
    {
        try
        {
            if (out == null)
            {
                file = Files.createTempFile("tidemark-upload-", ".part");
                out = FileChannel.open(file, StandardOpenOption.WRITE);
            }
            while (bytes.hasRemaining())
            {
                out.write(bytes);
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot store the upload: " + e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<Void> finish()
    {
        return writes.thenRunAsync(() -> write(ByteBuffer.allocate(0)), writer);
    }

    @Override
    public InputStream open() throws IOException
    {
        return Files.newInputStream(file);
    }

    @Override
    public long length()
    {
        return length;
    }

    @Override
    public void discard()
    {
        writes.whenCompleteAsync((v, e) ->
        {
            try
            {
                if (out != null)
                {
                    out.close();
                    Files.deleteIfExists(file);
                }
            }
            catch (final IOException failed)
            {
                LOG.warn("cannot delete the upload {}: {}", file, failed.toString());
            }
        }, writer);
    }
}
