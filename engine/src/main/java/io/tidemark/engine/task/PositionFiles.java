package io.tidemark.engine.task;

import io.tidemark.engine.checkpoint.SplitDeal;
import io.tidemark.engine.source.SourceSplit;
import io.tidemark.engine.state.TypeSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

/**
 * Where an at-most-once job's sources record how far they have read: one small file per source
 * subtask, {@code positions/<vertex>-<subtask>} under the checkpoint directory (kept in memory
 * for a job without one), rewritten in place before each batch of records is handed on. A
 * restarted job reads on from there with empty state, so a record is never counted twice; the
 * records handed on but not yet through the job when it died are lost.
 *
 * <p>A file is {@code magic, length, payload, CRC32C(payload)}, the payload being the
 * subtask's parallelism, its watermark, a count and each split in the source's split
 * serializer. One write call replaces the front of the file and the length says where it
 * ends, so no sync is needed to survive the process being killed: the kernel finishes a
 * write it was given.
 */
final class PositionFiles
{
    private static final int MAGIC = 0x54445053;

    /**
     * What a source vertex's files hold.
     *
     * @param perSubtask each old subtask's splits, in the order it read them.
     * @param watermark  the lowest of their watermarks.
     */
    record Positions(List<List<SourceSplit>> perSubtask, long watermark)
    {
        /**
         * @param subtask     a subtask of the resuming job.
         * @param parallelism the resuming vertex's parallelism.
         * @return its splits, dealt as a checkpoint's are.
         */
        List<SourceSplit> splitsFor(final int subtask, final int parallelism)
        {
            return SplitDeal.splitsFor(perSubtask, subtask, parallelism);
        }
    }

    private final Path directory;
    private final Map<String, byte[]> memory = new ConcurrentHashMap<>();

    /**
     * @param checkpointDirectory the job's checkpoint directory, or {@code null} to keep the
     *                            positions in memory (they then survive task failures only).
     * @throws IOException if the directory cannot be made.
     */
    PositionFiles(final Path checkpointDirectory) throws IOException
    {
        this.directory = checkpointDirectory == null ? null : Files.createDirectories(checkpointDirectory.resolve("positions"));
    }

    /**
     * @param vertexId   a source vertex.
     * @param serializer its source's split serializer.
     * @return what its subtasks recorded, or {@code null} if nothing was.
     * @throws IOException if a file is damaged, or the files of the last run are incomplete.
     */
    <S extends SourceSplit> Positions read(final int vertexId, final TypeSerializer<S> serializer) throws IOException
    {
        final byte[] first = load(name(vertexId, 0));
        if (first == null)
        {
            return null;
        }
        final List<List<SourceSplit>> perSubtask = new ArrayList<>();
        long watermark = Long.MAX_VALUE;
        int parallelism = 1;
        for (int subtask = 0; subtask < parallelism; subtask++)
        {
            final String name = name(vertexId, subtask);
            final byte[] bytes = subtask == 0 ? first : load(name);
            if (bytes == null)
            {
                throw new IOException("the source positions " + where(name) + " are missing: the other subtasks' say there were " + parallelism);
            }
            final DataInputStream in = payload(name, bytes);
            parallelism = in.readInt();
            watermark = Math.min(watermark, in.readLong());
            final int count = in.readInt();
            final List<SourceSplit> splits = new ArrayList<>(count);
            for (int i = 0; i < count; i++)
            {
                splits.add(serializer.deserialize(in));
            }
            perSubtask.add(splits);
        }
        return new Positions(perSubtask, watermark);
    }

    /**
     * @param vertexId    a source vertex.
     * @param subtask     one of its subtasks.
     * @param parallelism the vertex's parallelism.
     * @return where that subtask records its positions.
     * @throws IOException if the file cannot be opened.
     */
    Writer writer(final int vertexId, final int subtask, final int parallelism) throws IOException
    {
        return new Writer(name(vertexId, subtask), parallelism);
    }

    /**
     * Deletes the files of subtasks beyond the vertex's parallelism, left by a run with more.
     *
     * @param vertexId    a source vertex.
     * @param parallelism its parallelism now, whose files are written.
     * @throws IOException if a file cannot be deleted.
     */
    void retire(final int vertexId, final int parallelism) throws IOException
    {
        for (int subtask = parallelism; load(name(vertexId, subtask)) != null; subtask++)
        {
            if (directory == null)
            {
                memory.remove(name(vertexId, subtask));
            }
            else
            {
                Files.delete(directory.resolve(name(vertexId, subtask)));
            }
        }
    }

    private static String name(final int vertexId, final int subtask)
    {
        return vertexId + "-" + subtask;
    }

    private String where(final String name)
    {
        return directory == null ? name : directory.resolve(name).toString();
    }

    private byte[] load(final String name) throws IOException
    {
        if (directory == null)
        {
            return memory.get(name);
        }
        final Path file = directory.resolve(name);
        return Files.exists(file) ? Files.readAllBytes(file) : null;
    }

    private DataInputStream payload(final String name, final byte[] bytes) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (bytes.length < 3 * Integer.BYTES || buffer.getInt() != MAGIC)
        {
            throw new IOException("the source positions " + where(name) + " are not a positions file");
        }
        final int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining() - Integer.BYTES)
        {
            throw new IOException("the source positions " + where(name) + " are cut short: " + length + " bytes announced, " + (buffer.remaining() - Integer.BYTES) + " there");
        }
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 2 * Integer.BYTES, length);
        if ((int)crc.getValue() != buffer.getInt(2 * Integer.BYTES + length))
        {
            throw new IOException("the source positions " + where(name) + " are damaged: checksum mismatch");
        }
        return new DataInputStream(new ByteArrayInputStream(bytes, 2 * Integer.BYTES, length));
    }

    /** One source subtask's file, rewritten by its task thread. */
    final class Writer implements AutoCloseable
    {
        private final String name;
        private final int parallelism;
        private final FileChannel channel;
        private final Buffer bytes = new Buffer();
        private final DataOutputStream out = new DataOutputStream(bytes);
        private final CRC32C crc = new CRC32C();

        private Writer(final String name, final int parallelism) throws IOException
        {
            this.name = name;
            this.parallelism = parallelism;
            this.channel = directory == null ? null
                : FileChannel.open(directory.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }

        /**
         * @param watermark  the subtask's current watermark.
         * @param splits     its splits still being read, where they stand.
         * @param serializer the source's split serializer.
         * @throws IOException if writing fails.
         */
        <S extends SourceSplit> void write(final long watermark, final List<S> splits, final TypeSerializer<S> serializer) throws IOException
        {
            bytes.reset();
            out.writeInt(MAGIC);
            out.writeInt(0);
            out.writeInt(parallelism);
            out.writeLong(watermark);
            out.writeInt(splits.size());
            for (final S split : splits)
            {
                serializer.serialize(split, out);
            }
            final int length = bytes.size() - 2 * Integer.BYTES;
            crc.reset();
            crc.update(bytes.array(), 2 * Integer.BYTES, length);
            out.writeInt((int)crc.getValue());
            final ByteBuffer buffer = ByteBuffer.wrap(bytes.array(), 0, bytes.size());
            buffer.putInt(Integer.BYTES, length);
            if (channel == null)
            {
                memory.put(name, Arrays.copyOf(bytes.array(), bytes.size()));
                return;
            }
            long position = 0;
            while (buffer.hasRemaining())
            {
                position += channel.write(buffer, position);
            }
        }

        @Override
        public void close() throws IOException
        {
            if (channel != null)
            {
                channel.close();
            }
        }
    }

    /** A byte array stream whose array is reused from one write to the next. */
    private static final class Buffer extends ByteArrayOutputStream
    {
        byte[] array()
        {
            return buf;
        }
    }
}
