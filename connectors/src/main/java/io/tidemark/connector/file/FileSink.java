package io.tidemark.connector.file;

import io.tidemark.engine.functions.SerializedCopy;
import io.tidemark.engine.sink.Sink;
import io.tidemark.engine.sink.SinkWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Serializable;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Writes one line per record into a directory, one file per sink subtask, atomically: subtask
 * {@code i} writes {@code .part-i.inprogress} and, when its input ends, forces it to disk and
 * renames it to {@code part-i}. A reader therefore sees either no {@code part-i} or the
 * complete one, never half of it; a job that fails or is cancelled leaves no part file (its
 * in-progress file is deleted) and replaces no earlier one. The cost is latency: nothing is
 * visible before the end, so this sink suits bounded jobs; checkpoints will roll
 * part files on checkpoints the same way.
 *
 * @param <T> the record type.
 */
public final class FileSink<T> implements Sink<T>
{
    /**
     * Turns a record into one line of text.
     *
     * @param <T> the record type.
     */
    @FunctionalInterface
    public interface LineFormatter<T> extends Serializable
    {
        /**
         * @param record a record.
         * @return its line, without line break.
         */
        String format(T record);
    }

    private final Path directory;
    private final SerializedCopy<LineFormatter<T>> formatter;

    private FileSink(final Path directory, final SerializedCopy<LineFormatter<T>> formatter)
    {
        this.directory = directory;
        this.formatter = formatter;
    }

    /**
     * @param directory where the part files go; created if missing.
     * @param formatter turns each record into a line.
     * @param <T>       the record type.
     * @return the sink.
     */
    public static <T> FileSink<T> toDirectory(final Path directory, final LineFormatter<T> formatter)
    {
        return new FileSink<>(Objects.requireNonNull(directory, "directory"), SerializedCopy.of(formatter, "line formatter"));
    }

    /**
     * @param directory where the part files go; created if missing.
     * @param <T>       the record type.
     * @return a sink that writes each record's {@code toString()}.
     */
    public static <T> FileSink<T> toDirectory(final Path directory)
    {
        return toDirectory(directory, String::valueOf);
    }

    /**
     * @param subtask a sink subtask's index.
     * @return the file that subtask's output ends in.
     */
    public Path partFile(final int subtask)
    {
        return directory.resolve("part-" + subtask);
    }

    @Override
    public SinkWriter<T> createWriter(final int subtaskIndex, final int parallelism) throws IOException
    {
        Files.createDirectories(directory);
        return new PartWriter(directory.resolve(".part-" + subtaskIndex + ".inprogress"), partFile(subtaskIndex), formatter.newCopy());
    }

    private final class PartWriter implements SinkWriter<T>
    {
        private final Path inProgress;
        private final Path finished;
        private final LineFormatter<T> lines;
        private final FileChannel channel;
        private final Writer out;
        private boolean committed;

        PartWriter(final Path inProgress, final Path finished, final LineFormatter<T> lines) throws IOException
        {
            this.inProgress = inProgress;
            this.finished = finished;
            this.lines = lines;
            this.channel = FileChannel.open(inProgress, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            this.out = new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8), 64 * 1024);
        }

        @Override
        public void write(final T value, final long timestamp) throws IOException
        {
            final String line = lines.format(value);
            if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0)
            {
                throw new IllegalArgumentException("the record " + value + " formats to text with a line break; one record must be one line");
            }
            out.write(line);
            out.write('\n');
        }

        @Override
        public void flush() throws IOException
        {
            out.flush();
            channel.force(true);
            out.close();
            Files.move(inProgress, finished, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            committed = true;
            // The rename itself is durable once the directory is.
            try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ))
            {
                dir.force(true);
            }
        }

        @Override
        public void close() throws IOException
        {
            if (!committed)
            {
                out.close();
                Files.deleteIfExists(inProgress);
            }
        }
    }
}
