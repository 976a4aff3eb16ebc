package io.tidemark.runtime.broker;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import io.tidemark.log.LogSlice;

/**
 * A {@link LogSlice} as a Netty {@link FileRegion}: the socket writes it with
 * {@code transferTo}, which for a segment file and a NIO socket is {@code sendfile}: the bytes
 * go from the page cache to the socket without entering the heap.
 *
 * <p>Netty's {@code DefaultFileRegion} would close the segment's file channel when released;
 * the channel belongs to the log, so this region releases nothing.
 */
final class SliceRegion extends AbstractReferenceCounted implements FileRegion
{
    private final LogSlice slice;
    private long transferred;

    SliceRegion(final LogSlice slice)
    {
        this.slice = slice;
    }

    @Override
    public long position()
    {
        return 0;
    }

    @Override
    @Deprecated
    public long transfered()
    {
        return transferred;
    }

    @Override
    public long transferred()
    {
        return transferred;
    }

    @Override
    public long count()
    {
        return slice.sizeInBytes();
    }

    @Override
    public long transferTo(final WritableByteChannel target, final long position) throws IOException
    {
        final long written = slice.transferTo(target, position, count() - position);
        transferred += written;
        return written;
    }

    @Override
    public FileRegion retain()
    {
        super.retain();
        return this;
    }

    @Override
    public FileRegion retain(final int increment)
    {
        super.retain(increment);
        return this;
    }

    @Override
    public FileRegion touch()
    {
        return this;
    }

    @Override
    public FileRegion touch(final Object hint)
    {
        return this;
    }

    @Override
    protected void deallocate()
    {
    }
}
