package io.tidemark.engine.checkpoint;

import io.tidemark.engine.graph.JobGraph;
import io.tidemark.engine.graph.JobVertex;
import io.tidemark.engine.graph.StreamNode;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where checkpoints live on disk (or in memory when a job has no directory): one directory per
 * checkpoint, one state file per subtask, and a manifest written last, so that a checkpoint
 * without a manifest never counts as complete. Keeps the last N completed checkpoints.
 * The format is documented in the project's architecture notes.
 *
 * <p>Thread-safe: subtasks' snapshots may be written from several writer threads while the
 * coordinator completes or discards another checkpoint.
 */
public final class CheckpointStorage
{
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStorage.class);
    private static final String PREFIX = "chk-";
    private static final String TEMPORARY_SUFFIX = ".tmp";
    private static final int BUFFER = 64 * 1024;

    private final Path directory;
    private final int retained;
    // The files written so far of each checkpoint in progress, by name.
    private final Map<Long, Map<String, Manifest.FileEntry>> inProgress = new ConcurrentHashMap<>();
    // In memory only: the bytes of each checkpoint's files, by name.
    private final Map<Long, Map<String, byte[]>> memory = new ConcurrentHashMap<>();
    // In memory only: the completed checkpoints, oldest first.
    private final Deque<CompletedCheckpoint> completedInMemory = new ArrayDeque<>();

    private CheckpointStorage(final Path directory, final int retained)
    {
        this.directory = directory;
        this.retained = retained;
    }

    /**
     * @param directory where checkpoints go, or {@code null} to keep them in memory.
     * @param retained  how many completed checkpoints to keep.
     * @return the storage.
     * @throws IOException if the directory cannot be created or read.
     */
    public static CheckpointStorage open(final Path directory, final int retained) throws IOException
    {
        if (retained < 1)
        {
            throw new IllegalArgumentException("at least one completed checkpoint must be kept: " + retained);
        }
        if (directory != null)
        {
            Files.createDirectories(directory);
            if (!Files.isReadable(directory) || !Files.isWritable(directory))
            {
                throw new IOException(directory + ": the checkpoint directory must be readable and writable");
            }
        }
        return new CheckpointStorage(directory, retained);
    }

    /**
     * @return the directory checkpoints go to, or {@code null} if they are kept in memory.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * Writes one subtask's snapshot of a checkpoint in progress. Called on the writer's
     * thread, never on a task's.
     *
     * @param checkpointId the checkpoint.
     * @param snapshot     the subtask's snapshot.
     * @return the bytes written.
     * @throws IOException if writing fails; the checkpoint is then aborted.
     */
    public long write(final long checkpointId, final TaskSnapshot snapshot) throws IOException
    {
        final Manifest.FileEntry entry;
        if (directory == null)
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            entry = CheckpointFormat.writeState(checkpointId, snapshot, bytes);
            memory.computeIfAbsent(checkpointId, id -> new ConcurrentHashMap<>()).put(entry.name(), bytes.toByteArray());
        }
        else
        {
            final Path checkpointDirectory = checkpointDirectory(checkpointId);
            Files.createDirectories(checkpointDirectory);
            final Path file = checkpointDirectory.resolve(CheckpointFormat.stateFileName(snapshot.vertexId(), snapshot.subtask()));
            entry = writeDurably(file, out -> CheckpointFormat.writeState(checkpointId, snapshot, out));
        }
        inProgress.computeIfAbsent(checkpointId, id -> new ConcurrentHashMap<>()).put(entry.name(), entry);
        return entry.length();
    }

    /**
     * Completes a checkpoint whose every subtask was written: writes its manifest (last, and
     * durably), then deletes completed checkpoints beyond the retained count (never a
     * savepoint stored elsewhere).
     *
     * @param checkpointId the checkpoint.
     * @param timestamp    when it was triggered.
     * @param graph        the job's graph, whose vertices and parallelism the manifest records.
     * @param maxParallelism the job's number of key groups.
     * @return the completed checkpoint.
     * @throws IOException if the manifest cannot be written; the checkpoint is then aborted.
     */
    public CompletedCheckpoint complete(final long checkpointId, final long timestamp, final JobGraph graph, final int maxParallelism)
        throws IOException
    {
        final Map<String, Manifest.FileEntry> written = inProgress.remove(checkpointId);
        // With one checkpoint in flight at a time, an older one still in progress was abandoned.
        inProgress.keySet().removeIf(id -> id < checkpointId);
        final List<Manifest.FileEntry> files = new ArrayList<>(written == null ? List.of() : written.values());
        files.sort((a, b) -> a.vertexId() != b.vertexId() ? Integer.compare(a.vertexId(), b.vertexId()) : Integer.compare(a.subtask(), b.subtask()));
        final List<Manifest.VertexEntry> vertices = new ArrayList<>();
        for (final JobVertex vertex : graph.vertices())
        {
            final List<Manifest.NodeEntry> nodes = new ArrayList<>();
            for (final StreamNode node : vertex.nodes())
            {
                nodes.add(new Manifest.NodeEntry(node.id(), node.name()));
            }
            vertices.add(new Manifest.VertexEntry(vertex.id(), vertex.parallelism(), List.copyOf(nodes)));
        }
        final Manifest manifest = new Manifest(checkpointId, timestamp, maxParallelism, List.copyOf(vertices), List.copyOf(files));
        if (directory == null)
        {
            final Map<String, byte[]> bytes = memory.remove(checkpointId);
            memory.keySet().removeIf(id -> id < checkpointId);
            final Map<String, byte[]> kept = bytes == null ? Map.of() : Map.copyOf(bytes);
            final CompletedCheckpoint completed = new CompletedCheckpoint(manifest, null,
                entry -> CheckpointFormat.readState(entry, checkpointId, kept.get(entry.name()), entry.name()));
            synchronized (completedInMemory)
            {
                completedInMemory.addLast(completed);
                while (completedInMemory.size() > retained)
                {
                    completedInMemory.removeFirst();
                }
            }
            return completed;
        }
        final Path checkpointDirectory = checkpointDirectory(checkpointId);
        Files.createDirectories(checkpointDirectory);
        final Path temporary = checkpointDirectory.resolve(CheckpointFormat.MANIFEST + TEMPORARY_SUFFIX);
        writeDurably(temporary, out ->
        {
            CheckpointFormat.writeManifest(manifest, out);
            return null;
        });
        Files.move(temporary, checkpointDirectory.resolve(CheckpointFormat.MANIFEST), StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(checkpointDirectory);
        syncDirectory(directory);
        removeBeyondRetained(checkpointId);
        return onDisk(manifest, checkpointDirectory);
    }

    /**
     * Drops what was written of an aborted checkpoint.
     *
     * @param checkpointId the checkpoint.
     */
    public void discard(final long checkpointId)
    {
        inProgress.remove(checkpointId);
        memory.remove(checkpointId);
        if (directory != null)
        {
            try
            {
                deleteRecursively(checkpointDirectory(checkpointId));
            }
            catch (final IOException e)
            {
                // Left behind, it is an incomplete checkpoint: skipped on restore, deleted by a later completion.
                LOG.warn("cannot delete aborted checkpoint {}: {}", checkpointDirectory(checkpointId), e.toString());
            }
        }
    }

    /**
     * @return the latest completed checkpoint, if any; a checkpoint whose manifest is missing
     * or damaged is skipped (and said so in the log) for the one before it.
     * @throws IOException if the directory cannot be read.
     */
    public Optional<CompletedCheckpoint> latest() throws IOException
    {
        if (directory == null)
        {
            synchronized (completedInMemory)
            {
                return Optional.ofNullable(completedInMemory.peekLast());
            }
        }
        final List<Long> ids = checkpointIds(directory);
        Collections.reverse(ids);
        for (final long id : ids)
        {
            final Path candidate = checkpointDirectory(id);
            if (!Files.exists(candidate.resolve(CheckpointFormat.MANIFEST)))
            {
                LOG.warn("skipping checkpoint {}: it has no {} (it never completed)", candidate, CheckpointFormat.MANIFEST);
                continue;
            }
            try
            {
                return Optional.of(loadChecked(candidate));
            }
            catch (final IOException e)
            {
                LOG.warn("skipping checkpoint {}: {}", candidate, e.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * Loads a checkpoint or savepoint a job should start from. Every state file is read and
     * checked, so a damaged one is reported here rather than halfway through a restore.
     *
     * @param checkpointDirectory the directory of one completed checkpoint or savepoint; or a
     *                            directory of checkpoints, whose latest complete one is taken.
     * @return it.
     * @throws IOException if it has no readable manifest, or a state file is missing or damaged.
     */
    public static CompletedCheckpoint load(final Path checkpointDirectory) throws IOException
    {
        if (!Files.isDirectory(checkpointDirectory))
        {
            throw new NoSuchFileException(checkpointDirectory.toString(), null, "no such checkpoint directory");
        }
        if (Files.exists(checkpointDirectory.resolve(CheckpointFormat.MANIFEST)) || checkpointIds(checkpointDirectory).isEmpty())
        {
            return loadChecked(checkpointDirectory);
        }
        return new CheckpointStorage(checkpointDirectory, Integer.MAX_VALUE).latest()
            .orElseThrow(() -> new IOException(checkpointDirectory + ": holds no complete checkpoint"));
    }

    private static CompletedCheckpoint loadChecked(final Path checkpointDirectory) throws IOException
    {
        final Path manifestFile = checkpointDirectory.resolve(CheckpointFormat.MANIFEST);
        if (!Files.exists(manifestFile))
        {
            throw new NoSuchFileException(manifestFile.toString(), null, "no manifest: not a complete checkpoint");
        }
        final Manifest manifest = CheckpointFormat.readManifest(Files.readAllBytes(manifestFile), manifestFile.toString());
        final CompletedCheckpoint completed = onDisk(manifest, checkpointDirectory);
        completed.verify();
        return completed;
    }

    private static CompletedCheckpoint onDisk(final Manifest manifest, final Path checkpointDirectory)
    {
        return new CompletedCheckpoint(manifest, checkpointDirectory, entry ->
        {
            final Path file = checkpointDirectory.resolve(entry.name());
            final byte[] bytes;
            try
            {
                bytes = Files.readAllBytes(file);
            }
            catch (final NoSuchFileException e)
            {
                throw new IOException(file + ": the state file the manifest lists is missing", e);
            }
            return CheckpointFormat.readState(entry, manifest.checkpointId(), bytes, file.toString());
        });
    }

    /**
     * Deletes completed checkpoints older than the last {@code retained}, and incomplete ones
     * older than the newest completed (a crash, an abort or an abandoned checkpoint left them).
     */
    private void removeBeyondRetained(final long newest) throws IOException
    {
        final List<Long> complete = new ArrayList<>();
        for (final long id : checkpointIds(directory))
        {
            if (Files.exists(checkpointDirectory(id).resolve(CheckpointFormat.MANIFEST)))
            {
                complete.add(id);
            }
            else if (id < newest)
            {
                deleteRecursively(checkpointDirectory(id));
            }
        }
        for (int i = 0; i < complete.size() - retained; i++)
        {
            deleteRecursively(checkpointDirectory(complete.get(i)));
        }
    }

    private Path checkpointDirectory(final long checkpointId)
    {
        return directory.resolve(String.format("%s%020d", PREFIX, checkpointId));
    }

    /**
     * @return the ids of the {@code chk-} directories in {@code parent}, ascending.
     */
    private static List<Long> checkpointIds(final Path parent) throws IOException
    {
        final List<Long> ids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, PREFIX + "*"))
        {
            for (final Path entry : entries)
            {
                final String digits = entry.getFileName().toString().substring(PREFIX.length());
                if (Files.isDirectory(entry) && digits.length() == 20 && digits.chars().allMatch(Character::isDigit))
                {
                    ids.add(Long.parseLong(digits));
                }
            }
        }
        Collections.sort(ids);
        return ids;
    }

    /** Writes through a buffer, then forces the file to disk before it is closed. */
    private static <R> R writeDurably(final Path file, final Writer<R> writer) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
        {
            final OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
            final R result = writer.write(out);
            out.flush();
            channel.force(true);
            return result;
        }
    }

    /** Makes the directory's entries (a renamed manifest, new files) durable. */
    private static void syncDirectory(final Path dir) throws IOException
    {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }

    private static void deleteRecursively(final Path root) throws IOException
    {
        if (!Files.exists(root))
        {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>()
        {
            @Override
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attributes) throws IOException
            {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(final Path dir, final IOException failure) throws IOException
            {
                if (failure != null)
                {
                    throw failure;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Writes a file's contents. */
    @FunctionalInterface
    private interface Writer<R>
    {
        R write(OutputStream out) throws IOException;
    }
}
