package io.tidemark.connector.file;

import io.tidemark.engine.functions.SerializedCopy;
import io.tidemark.engine.source.MalformedRecordException;
import io.tidemark.engine.source.ReadStatus;
import io.tidemark.engine.source.Source;
import io.tidemark.engine.source.SourceOutput;
import io.tidemark.engine.source.SourceSplit;
import io.tidemark.engine.source.SplitReader;
import io.tidemark.engine.state.Serializers;
import io.tidemark.engine.state.TypeSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Reads text files line by line, bounded: one split per file (a directory stands for its
 * regular, non-hidden files, by name), files dealt to the source's subtasks round robin.
 * Lines are UTF-8 and end with {@code \n} or {@code \r\n}; blank lines are skipped; each other line becomes one record through a
 * {@link LineFormat} ({@link CsvFormat}, {@link JsonLinesFormat}). Records carry no
 * timestamp: the watermark strategy's timestamp assigner gives them one.
 *
 * <p>A line the format cannot parse fails the job with a
 * {@link MalformedRecordException} such as {@code clicks.csv:17: column 'time' is not a whole
 * number: 'noon'}; with {@link MalformedLinePolicy#SKIP} it is skipped and counted instead.
 *
 * @param <T> the record type.
 */
public final class FileSource<T> implements Source<T, FileSource.FileSplit>
{
    private static final int BATCH = 256;

    /** Stores a split as its path (UTF-8), offset and line number. */
    private static final TypeSerializer<FileSplit> SPLIT_SERIALIZER = new TypeSerializer<>()
    {
        @Override
        public void serialize(final FileSplit split, final DataOutput out) throws IOException
        {
            Serializers.STRING.serialize(split.file().toString(), out);
            out.writeLong(split.offset());
            out.writeLong(split.lineNumber());
        }

        @Override
        public FileSplit deserialize(final DataInput in) throws IOException
        {
            return new FileSplit(Path.of(Serializers.STRING.deserialize(in)), in.readLong(), in.readLong());
        }
    };

    /**
     * One file, read from a byte offset on.
     *
     * @param file       the file's path.
     * @param offset     where the next line to read starts: 0 for a fresh split, further on
     *                   for one a checkpoint stored (the file's header, if the format has
     *                   one, is still read from its start).
     * @param lineNumber the number of lines before that offset, for error messages.
     */
    public record FileSplit(Path file, long offset, long lineNumber) implements SourceSplit
    {
        /**
         * @param file       the file's path.
         * @param offset     the offset of a line start, not negative.
         * @param lineNumber the lines before it, not negative.
         */
        public FileSplit
        {
            Objects.requireNonNull(file, "file");
            if (offset < 0 || lineNumber < 0)
            {
                throw new IllegalArgumentException(file + ": bad position: offset " + offset + ", line " + lineNumber);
            }
        }

        /**
         * @param file the file's path, read from its start.
         */
        public FileSplit(final Path file)
        {
            this(file, 0, 0);
        }

        @Override
        public String splitId()
        {
            return file.toString();
        }
    }

    private final SerializedCopy<LineFormat<T>> format;
    private final List<Path> paths;
    private final MalformedLinePolicy policy;
    private final AtomicLong skipped;

    private FileSource(final SerializedCopy<LineFormat<T>> format, final List<Path> paths, final MalformedLinePolicy policy, final AtomicLong skipped)
    {
        this.format = format;
        this.paths = paths;
        this.policy = policy;
        this.skipped = skipped;
    }

    /**
     * @param format how lines become records.
     * @param paths  files, or directories whose files to read.
     * @param <T>    the record type.
     * @return a source that fails on a malformed line.
     * @throws IllegalArgumentException if a path does not exist.
     */
    public static <T> FileSource<T> of(final LineFormat<T> format, final Path... paths)
    {
        if (paths.length == 0)
        {
            throw new IllegalArgumentException("no file to read");
        }
        for (final Path path : paths)
        {
            if (!Files.exists(path))
            {
                throw new IllegalArgumentException("no such file or directory: " + path);
            }
        }
        return new FileSource<>(SerializedCopy.of(format, "line format"), List.of(paths), MalformedLinePolicy.FAIL, new AtomicLong());
    }

    /**
     * @param malformedLinePolicy what to do with a line the format cannot parse.
     * @return a copy of this source with that policy and a counter of its own.
     */
    public FileSource<T> onMalformedLine(final MalformedLinePolicy malformedLinePolicy)
    {
        return new FileSource<>(format, paths, Objects.requireNonNull(malformedLinePolicy, "malformedLinePolicy"), new AtomicLong());
    }

    /**
     * @return how many malformed lines were skipped, over every job that used this source;
     * readable while a job runs.
     */
    public long skippedLines()
    {
        return skipped.get();
    }

    @Override
    public List<FileSplit> createSplits(final int parallelism)
    {
        final List<FileSplit> splits = new ArrayList<>();
        for (final Path path : paths)
        {
            if (Files.isDirectory(path))
            {
                try (Stream<Path> files = Files.list(path))
                {
                    files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).sorted().forEach(f -> splits.add(new FileSplit(f)));
                }
                catch (final IOException e)
                {
                    throw new UncheckedIOException("cannot list " + path + ": " + e.getMessage(), e);
                }
            }
            else
            {
                splits.add(new FileSplit(path));
            }
        }
        return splits;
    }

    @Override
    public SplitReader<T> createReader(final FileSplit split) throws IOException
    {
        return new LineReader(split, format.newCopy());
    }

    @Override
    public TypeSerializer<FileSplit> splitSerializer()
    {
        return SPLIT_SERIALIZER;
    }

    @Override
    public boolean isBounded()
    {
        return true;
    }

    /**
     * Reads one file, a batch of lines at a time, counting lines for error messages. Lines end
     * at {@code \n}, with an optional {@code \r} before it; each is decoded on its own, so a
     * byte that is not UTF-8 is reported on its own line. Between two batches it stands at a
     * line start, which is where {@link #currentSplit()} says to resume.
     */
    private final class LineReader implements SplitReader<T>
    {
        private final Path file;
        private final LineFormat<T> lines;
        private final SeekableByteChannel channel;
        private final InputStream in;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private final byte[] chunk = new byte[64 * 1024];
        private int chunkPosition;
        private int chunkLength;
        // The file offset of chunk[0].
        private long chunkStart;
        private byte[] lineBytes = new byte[256];
        private long lineNumber;
        private boolean headerRead;

        LineReader(final FileSplit split, final LineFormat<T> lines) throws IOException
        {
            this.file = split.file();
            this.lines = lines;
            this.channel = Files.newByteChannel(file);
            this.in = Channels.newInputStream(channel);
            this.headerRead = !lines.hasHeader();
            if (split.offset() > 0)
            {
                resumeAt(split);
            }
        }

        /**
         * Reads the header, if the format has one, then skips to where the split stands; if the
         * header lies beyond that (only blank lines were read before), reading goes on after it.
         */
        private void resumeAt(final FileSplit split) throws IOException
        {
            if (split.offset() > channel.size())
            {
                throw new IOException(file + ": cannot resume at offset " + split.offset() + ": the file has only " + channel.size() + " bytes");
            }
            String line;
            while (!headerRead && (line = nextLine()) != null)
            {
                if (!line.isBlank())
                {
                    header(line);
                }
            }
            if (chunkStart + chunkPosition >= split.offset())
            {
                return;
            }
            channel.position(split.offset());
            chunkStart = split.offset();
            chunkPosition = 0;
            chunkLength = 0;
            lineNumber = split.lineNumber();
        }

        @Override
        public SourceSplit currentSplit()
        {
            return new FileSplit(file, chunkStart + chunkPosition, lineNumber);
        }

        @Override
        public ReadStatus read(final SourceOutput<T> output) throws IOException
        {
            for (int i = 0; i < BATCH; i++)
            {
                final String line = nextLine();
                if (line == null)
                {
                    return ReadStatus.END_OF_SPLIT;
                }
                if (line.isBlank())
                {
                    continue;
                }
                if (!headerRead)
                {
                    header(line);
                    continue;
                }
                final T record;
                try
                {
                    record = lines.parse(line);
                }
                catch (final Exception e)
                {
                    malformed(e);
                    continue;
                }
                output.collect(record);
            }
            return ReadStatus.MORE_AVAILABLE;
        }

        private String nextLine() throws IOException
        {
            int length = 0;
            boolean ended = false;
            while (!ended)
            {
                if (chunkPosition == chunkLength)
                {
                    chunkStart += chunkLength;
                    chunkLength = in.read(chunk);
                    chunkPosition = 0;
                    if (chunkLength <= 0)
                    {
                        chunkLength = 0;
                        if (length == 0)
                        {
                            return null;
                        }
                        break;
                    }
                }
                int end = chunkPosition;
                while (end < chunkLength && chunk[end] != '\n')
                {
                    end++;
                }
                final int count = end - chunkPosition;
                if (length + count > lineBytes.length)
                {
                    lineBytes = Arrays.copyOf(lineBytes, Math.max(lineBytes.length * 2, length + count));
                }
                System.arraycopy(chunk, chunkPosition, lineBytes, length, count);
                length += count;
                ended = end < chunkLength;
                chunkPosition = ended ? end + 1 : end;
            }
            lineNumber++;
            if (length > 0 && lineBytes[length - 1] == '\r')
            {
                length--;
            }
            try
            {
                return decoder.decode(ByteBuffer.wrap(lineBytes, 0, length)).toString();
            }
            catch (final CharacterCodingException e)
            {
                throw new MalformedRecordException(file + ":" + lineNumber, "the line is not valid UTF-8", e);
            }
        }

        private void header(final String line)
        {
            headerRead = true;
            try
            {
                lines.readHeader(line);
            }
            catch (final Exception e)
            {
                // Without its header no line of the file can be read: always an error.
                throw new MalformedRecordException(file + ":" + lineNumber, "bad header: " + problem(e), e);
            }
        }

        private void malformed(final Exception e)
        {
            if (policy == MalformedLinePolicy.FAIL)
            {
                throw new MalformedRecordException(file + ":" + lineNumber, problem(e), e);
            }
            skipped.incrementAndGet();
        }

        private String problem(final Exception e)
        {
            final boolean ours = e instanceof IllegalArgumentException && !(e instanceof NumberFormatException) && e.getMessage() != null;
            return ours ? e.getMessage() : e.toString();
        }

        @Override
        public void close() throws IOException
        {
            in.close();
        }
    }
}
