package io.tidemark.engine.checkpoint;

import io.tidemark.engine.state.KeyGroupRange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The bytes of a checkpoint: one state file per subtask and the manifest that completes the
 * checkpoint. Both begin with a magic number and the format version and end with a CRC32C of
 * everything before it, so that a torn or damaged file is refused rather than misread. The
 * layout is described in the architecture notes, section "Checkpoint format".
 */
final class CheckpointFormat
{
    /** The format this build writes, and the only one it reads. */
    static final int VERSION = 1;
    /** The name of the file that completes a checkpoint. */
    static final String MANIFEST = "MANIFEST";

    private static final int STATE_MAGIC = 0x544D5346;
    private static final int MANIFEST_MAGIC = 0x544D4D46;
    private static final int NO_SPLITS = -1;

    private CheckpointFormat()
    {
    }

    /**
     * @param vertexId the vertex.
     * @param subtask  the subtask.
     * @return the name of that subtask's state file.
     */
    static String stateFileName(final int vertexId, final int subtask)
    {
        return "v" + vertexId + "-s" + subtask + ".state";
    }

    /**
     * Writes one subtask's state file.
     *
     * @param checkpointId the checkpoint.
     * @param snapshot     the subtask's snapshot.
     * @param target       where to write; flushed, not closed.
     * @return the manifest's entry for the file.
     * @throws IOException if an operator's state cannot be written, or the target fails.
     */
    static Manifest.FileEntry writeState(final long checkpointId, final TaskSnapshot snapshot, final OutputStream target) throws IOException
    {
        final ChecksummedOutput checked = new ChecksummedOutput(target);
        final DataOutputStream out = new DataOutputStream(checked);
        final KeyGroupRange keyGroups = snapshot.keyGroups() == null ? new KeyGroupRange(0, -1) : snapshot.keyGroups();
        out.writeInt(STATE_MAGIC);
        out.writeInt(VERSION);
        out.writeLong(checkpointId);
        out.writeInt(snapshot.vertexId());
        out.writeInt(snapshot.subtask());
        out.writeInt(snapshot.parallelism());
        out.writeInt(keyGroups.start());
        out.writeInt(keyGroups.end());
        final Map<Integer, OperatorSnapshot> operators = new TreeMap<>(snapshot.operators());
        out.writeInt(operators.size());
        // An operator's length is known only once it is written: one operator at a time is buffered.
        final ByteArrayOutputStream block = new ByteArrayOutputStream();
        final DataOutputStream blockOut = new DataOutputStream(block);
        for (final Map.Entry<Integer, OperatorSnapshot> operator : operators.entrySet())
        {
            block.reset();
            operator.getValue().writeTo(blockOut);
            blockOut.flush();
            out.writeInt(operator.getKey());
            out.writeInt(block.size());
            block.writeTo(out);
        }
        if (snapshot.splits() == null)
        {
            out.writeInt(NO_SPLITS);
        }
        else
        {
            out.writeInt(snapshot.splits().length);
            out.write(snapshot.splits());
        }
        out.flush();
        final int crc = checked.crc();
        out.writeInt(crc);
        out.flush();
        final String name = stateFileName(snapshot.vertexId(), snapshot.subtask());
        return new Manifest.FileEntry(name, snapshot.vertexId(), snapshot.subtask(), snapshot.parallelism(), keyGroups, checked.count(), crc);
    }

    /**
     * Reads a state file and checks it against its manifest entry.
     *
     * @param entry        the manifest's entry for it.
     * @param checkpointId the checkpoint it must belong to.
     * @param bytes        its bytes.
     * @param where        the file's path (or name), for error messages.
     * @return the file's contents.
     * @throws IOException naming the file if it is damaged, truncated or of another checkpoint.
     */
    static StateFile readState(final Manifest.FileEntry entry, final long checkpointId, final byte[] bytes, final String where) throws IOException
    {
        if (bytes.length != entry.length())
        {
            throw new IOException(where + ": damaged state file: " + bytes.length + " bytes, the manifest says " + entry.length());
        }
        final DataInputStream in = checked(bytes, STATE_MAGIC, "state file", where);
        try
        {
            final long id = in.readLong();
            final int vertexId = in.readInt();
            final int subtask = in.readInt();
            final int parallelism = in.readInt();
            final KeyGroupRange keyGroups = new KeyGroupRange(in.readInt(), in.readInt());
            if (id != checkpointId || vertexId != entry.vertexId() || subtask != entry.subtask())
            {
                throw new IOException(where + ": holds checkpoint " + id + ", vertex " + vertexId + ", subtask " + subtask
                    + " where the manifest expects checkpoint " + checkpointId + ", vertex " + entry.vertexId() + ", subtask " + entry.subtask());
            }
            final int count = in.readInt();
            final Map<Integer, byte[]> operators = new HashMap<>();
            for (int i = 0; i < count; i++)
            {
                final int nodeId = in.readInt();
                operators.put(nodeId, readBlock(in, in.readInt()));
            }
            final int splitsLength = in.readInt();
            final byte[] splits = splitsLength == NO_SPLITS ? null : readBlock(in, splitsLength);
            return new StateFile(id, vertexId, subtask, parallelism, keyGroups, operators, splits);
        }
        catch (final EOFException e)
        {
            throw new IOException(where + ": damaged state file: its contents end early", e);
        }
    }

    /**
     * Writes a manifest.
     *
     * @param manifest what to write.
     * @param target   where; flushed, not closed.
     * @throws IOException if the target fails.
     */
    static void writeManifest(final Manifest manifest, final OutputStream target) throws IOException
    {
        final ChecksummedOutput checked = new ChecksummedOutput(target);
        final DataOutputStream out = new DataOutputStream(checked);
        out.writeInt(MANIFEST_MAGIC);
        out.writeInt(VERSION);
        out.writeLong(manifest.checkpointId());
        out.writeLong(manifest.timestamp());
        out.writeInt(manifest.maxParallelism());
        out.writeInt(manifest.vertices().size());
        for (final Manifest.VertexEntry vertex : manifest.vertices())
        {
            out.writeInt(vertex.id());
            out.writeInt(vertex.parallelism());
            out.writeInt(vertex.nodes().size());
            for (final Manifest.NodeEntry node : vertex.nodes())
            {
                out.writeInt(node.id());
                out.writeUTF(node.name());
            }
        }
        out.writeInt(manifest.files().size());
        for (final Manifest.FileEntry file : manifest.files())
        {
            out.writeUTF(file.name());
            out.writeInt(file.vertexId());
            out.writeInt(file.subtask());
            out.writeInt(file.parallelism());
            out.writeInt(file.keyGroups().start());
            out.writeInt(file.keyGroups().end());
            out.writeLong(file.length());
            out.writeInt(file.crc());
        }
        out.flush();
        out.writeInt(checked.crc());
        out.flush();
    }

    /**
     * Reads a manifest.
     *
     * @param bytes its bytes.
     * @param where the file's path, for error messages.
     * @return the manifest.
     * @throws IOException naming the file if it is damaged, truncated or of another version.
     */
    static Manifest readManifest(final byte[] bytes, final String where) throws IOException
    {
        final DataInputStream in = checked(bytes, MANIFEST_MAGIC, "manifest", where);
        try
        {
            final long id = in.readLong();
            final long timestamp = in.readLong();
            final int maxParallelism = in.readInt();
            final int vertexCount = in.readInt();
            final List<Manifest.VertexEntry> vertices = new ArrayList<>();
            for (int v = 0; v < vertexCount; v++)
            {
                final int vertexId = in.readInt();
                final int parallelism = in.readInt();
                final int nodeCount = in.readInt();
                final List<Manifest.NodeEntry> nodes = new ArrayList<>();
                for (int n = 0; n < nodeCount; n++)
                {
                    nodes.add(new Manifest.NodeEntry(in.readInt(), in.readUTF()));
                }
                vertices.add(new Manifest.VertexEntry(vertexId, parallelism, List.copyOf(nodes)));
            }
            final int fileCount = in.readInt();
            final List<Manifest.FileEntry> files = new ArrayList<>();
            for (int f = 0; f < fileCount; f++)
            {
                files.add(new Manifest.FileEntry(in.readUTF(), in.readInt(), in.readInt(), in.readInt(), new KeyGroupRange(in.readInt(), in.readInt()),
                    in.readLong(), in.readInt()));
            }
            return new Manifest(id, timestamp, maxParallelism, List.copyOf(vertices), List.copyOf(files));
        }
        catch (final EOFException e)
        {
            throw new IOException(where + ": damaged manifest: its contents end early", e);
        }
    }

    /**
     * Checks the trailing CRC, the magic number and the version; returns a stream positioned
     * after them.
     */
    private static DataInputStream checked(final byte[] bytes, final int magic, final String kind, final String where) throws IOException
    {
        if (bytes.length < 12)
        {
            throw new IOException(where + ": damaged " + kind + ": only " + bytes.length + " bytes");
        }
        final int bodyLength = bytes.length - 4;
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bodyLength);
        final DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        final int foundMagic = in.readInt();
        if (foundMagic != magic)
        {
            throw new IOException(where + ": not a checkpoint " + kind + " (magic " + Integer.toHexString(foundMagic) + ")");
        }
        final int stored = new DataInputStream(new ByteArrayInputStream(bytes, bodyLength, 4)).readInt();
        if ((int)crc.getValue() != stored)
        {
            throw new IOException(where + ": damaged " + kind + ": checksum mismatch");
        }
        final int version = in.readInt();
        if (version != VERSION)
        {
            throw new IOException(where + ": " + kind + " of format version " + version + "; this build reads version " + VERSION);
        }
        return new DataInputStream(new ByteArrayInputStream(bytes, 8, bodyLength - 8));
    }

    private static byte[] readBlock(final DataInputStream in, final int length) throws IOException
    {
        if (length < 0 || length > in.available())
        {
            throw new EOFException("a block of " + length + " bytes where " + in.available() + " remain");
        }
        final byte[] block = new byte[length];
        in.readFully(block);
        return block;
    }

    /** Counts the bytes written and keeps their CRC32C. */
    private static final class ChecksummedOutput extends FilterOutputStream
    {
        private final CRC32C crc = new CRC32C();
        private long count;

        ChecksummedOutput(final OutputStream target)
        {
            super(target);
        }

        @Override
        public void write(final int b) throws IOException
        {
            out.write(b);
            crc.update(b);
            count++;
        }

        @Override
        public void write(final byte[] bytes, final int offset, final int length) throws IOException
        {
            out.write(bytes, offset, length);
            crc.update(bytes, offset, length);
            count += length;
        }

        int crc()
        {
            return (int)crc.getValue();
        }

        long count()
        {
            return count;
        }
    }
}
