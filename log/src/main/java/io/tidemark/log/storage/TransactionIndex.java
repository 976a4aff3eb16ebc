package io.tidemark.log.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A segment's aborted-transaction index ({@code <base>.txnindex}): one fixed-size entry per
 * abort marker in the segment, in marker order, each {@value #ENTRY_SIZE} bytes: producer id,
 * first offset, last offset (the marker's), the last stable offset just after the marker,
 * all int64, and the CRC32C of those 32 bytes. A segment that saw no abort has an empty file;
 * a missing file is a lost one.
 *
 * <p>Appended under the log's lock when an abort marker is written, forced with the segment.
 */
final class TransactionIndex
{
    static final int ENTRY_SIZE = 36;

    private final Path file;
    private final List<Entry> entries = new ArrayList<>();
    private boolean unforced;

    /**
     * One aborted transaction.
     *
     * @param producerId the producer whose records read-committed readers skip.
     * @param firstOffset its transaction's first offset in the partition.
     * @param lastOffset the abort marker's offset.
     * @param lastStableOffset the partition's last stable offset once the marker was written:
     *        no transaction aborted later began below it, so a search for the aborted
     *        transactions below an offset stops at the first entry reaching it.
     */
    record Entry(long producerId, long firstOffset, long lastOffset, long lastStableOffset)
    {
    }

    TransactionIndex(final Path file)
    {
        this.file = file;
    }

    /** @return the entries, in marker order; not to be changed. */
    List<Entry> entries()
    {
        return entries;
    }

    /** Creates the file empty (a new segment's): anything left under its name is stale. */
    void create() throws IOException
    {
        Files.newByteChannel(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING).close();
    }

    /**
     * Loads the file of a segment starting at {@code baseOffset}.
     *
     * @return false if it is missing or damaged (a torn or corrupt entry, entries out of order
     *         or outside the segment): the caller rebuilds it from the log.
     */
    boolean load(final long baseOffset) throws IOException
    {
        entries.clear();
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(file);
        }
        catch (final NoSuchFileException e)
        {
            return false;
        }
        if (bytes.length % ENTRY_SIZE != 0)
        {
            return false;
        }
        final ByteBuffer buffer = ByteBuffer.wrap(bytes);
        final CRC32C crc = new CRC32C();
        long previous = baseOffset - 1;
        for (int at = 0; at < bytes.length; at += ENTRY_SIZE)
        {
            crc.reset();
            crc.update(bytes, at, ENTRY_SIZE - 4);
            final Entry entry = new Entry(buffer.getLong(at), buffer.getLong(at + 8), buffer.getLong(at + 16), buffer.getLong(at + 24));
            if ((int)crc.getValue() != buffer.getInt(at + 32) || entry.firstOffset() > entry.lastOffset() ||
                entry.lastOffset() <= previous || entry.lastStableOffset() > entry.lastOffset() + 1)
            {
                entries.clear();
                return false;
            }
            previous = entry.lastOffset();
            entries.add(entry);
        }
        return true;
    }

    /** Appends an entry to the file (forced later, with the segment). */
    void append(final Entry entry) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE))
        {
            final ByteBuffer bytes = encode(entry);
            long at = (long)entries.size() * ENTRY_SIZE;
            while (bytes.hasRemaining())
            {
                at += channel.write(bytes, at);
            }
        }
        entries.add(entry);
        unforced = true;
    }

    /**
     * Drops the entries whose marker is at or after {@code offset}: the log is replayed from
     * there and derives them again.
     */
    void truncateFrom(final long offset) throws IOException
    {
        int keep = entries.size();
        while (keep > 0 && entries.get(keep - 1).lastOffset() >= offset)
        {
            keep--;
        }
        if (keep < entries.size())
        {
            entries.subList(keep, entries.size()).clear();
            rewrite();
        }
    }

    /** Replaces the file with {@code rebuilt}, written durably. */
    void replace(final List<Entry> rebuilt) throws IOException
    {
        entries.clear();
        entries.addAll(rebuilt);
        rewrite();
    }

    private void rewrite() throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.allocate(entries.size() * ENTRY_SIZE);
        for (final Entry entry : entries)
        {
            bytes.put(encode(entry));
        }
        DurableFile.replace(file, bytes.flip());
        unforced = false;
    }

    /** Forces appended entries to disk; nothing to do if none was appended since. */
    void force() throws IOException
    {
        if (unforced)
        {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
            {
                channel.force(false);
            }
            unforced = false;
        }
    }

    void delete() throws IOException
    {
        Files.deleteIfExists(file);
    }

    private static ByteBuffer encode(final Entry entry)
    {
        final ByteBuffer bytes = ByteBuffer.allocate(ENTRY_SIZE);
        bytes.putLong(entry.producerId()).putLong(entry.firstOffset()).putLong(entry.lastOffset()).putLong(entry.lastStableOffset());
        final CRC32C crc = new CRC32C();
        crc.update(bytes.array(), 0, ENTRY_SIZE - 4);
        return bytes.putInt((int)crc.getValue()).flip();
    }
}
