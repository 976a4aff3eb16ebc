package io.tidemark.connector.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemark.engine.source.ReadStatus;
import io.tidemark.engine.source.SourceOutput;
import io.tidemark.engine.source.SplitReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A file source resumed from the split its reader reported between two batches reads exactly
 * the lines the first reader had not emitted: none twice, none lost, the header (if any)
 * still applied.
 */
class FileSourceResumeProperties
{
    /** Each line becomes "header|line": a reader that skipped the header shows it. */
    private static final class WithHeader implements LineFormat<String>
    {
        private String header;

        @Override
        public boolean hasHeader()
        {
            return true;
        }

        @Override
        public void readHeader(final String line)
        {
            header = line;
        }

        @Override
        public String parse(final String line)
        {
            return header + "|" + line;
        }
    }

    @Property(tries = 200)
    void aReaderResumedAtItsCurrentSplitReadsExactlyTheRemainingLines(
        @ForAll final long seed,
        @ForAll @IntRange(min = 0, max = 1_500) final int lineCount,
        @ForAll @IntRange(min = 0, max = 6) final int batchesBefore,
        @ForAll final boolean header,
        @ForAll final boolean crlf,
        @ForAll final boolean finalNewline) throws Exception
    {
        final Random random = new Random(seed);
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < lineCount; i++)
        {
            // Blank lines are skipped; multi-byte characters make byte offsets differ from char offsets.
            lines.add(random.nextInt(10) == 0 ? "" : "line " + i + " " + "é€😀".repeat(random.nextInt(3)));
        }
        final String newline = crlf ? "\r\n" : "\n";
        final String text = (header ? "h" + seed + newline : "") + String.join(newline, lines) + (finalNewline && lineCount > 0 ? newline : "");
        final Path dir = Files.createTempDirectory("file-source-resume");
        try
        {
            final Path file = Files.writeString(dir.resolve("lines.txt"), text, StandardCharsets.UTF_8);
            final FileSource<String> source = header ? FileSource.of(new WithHeader(), file) : FileSource.of(line -> line, file);
            final List<String> expected = lines.stream().filter(line -> !line.isBlank()).map(line -> header ? "h" + seed + "|" + line : line).toList();

            final List<String> read = new ArrayList<>();
            final FileSource.FileSplit stoppedAt;
            final SplitReader<String> first = source.createReader(source.createSplits(1).get(0));
            try
            {
                for (int b = 0; b < batchesBefore && first.read(collector(read)) != ReadStatus.END_OF_SPLIT; b++)
                {
                    // Reading batch by batch, as the source task does between checkpoints.
                }
                stoppedAt = roundTrip(source, (FileSource.FileSplit)first.currentSplit());
            }
            finally
            {
                first.close();
            }
            final SplitReader<String> resumed = source.createReader(stoppedAt);
            try
            {
                while (resumed.read(collector(read)) != ReadStatus.END_OF_SPLIT)
                {
                    // To the end of the file.
                }
            }
            finally
            {
                resumed.close();
            }
            assertEquals(expected, read);
        }
        finally
        {
            try (var files = Files.list(dir))
            {
                for (final Path f : files.toList())
                {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    @Example
    void aHeaderBeyondWhereTheReaderStoodIsReadOnceAndNotTakenForARecord() throws Exception
    {
        final Path dir = Files.createTempDirectory("file-source-resume");
        final Path file = Files.writeString(dir.resolve("late-header.txt"), "\n".repeat(300) + "h\na\nb\n");
        try
        {
            final FileSource<String> source = FileSource.of(new WithHeader(), file);
            final List<String> read = new ArrayList<>();
            final SplitReader<String> first = source.createReader(source.createSplits(1).get(0));
            assertEquals(ReadStatus.MORE_AVAILABLE, first.read(collector(read)));
            final FileSource.FileSplit stoppedAt = (FileSource.FileSplit)first.currentSplit();
            first.close();
            assertEquals(List.of(), read, "a batch of blank lines");
            assertEquals(256, stoppedAt.offset());
            final SplitReader<String> resumed = source.createReader(stoppedAt);
            while (resumed.read(collector(read)) != ReadStatus.END_OF_SPLIT)
            {
                // To the end of the file.
            }
            resumed.close();
            assertEquals(List.of("h|a", "h|b"), read);
        }
        finally
        {
            Files.delete(file);
            Files.delete(dir);
        }
    }

    /** The split as a checkpoint stores and reads it back. */
    private static FileSource.FileSplit roundTrip(final FileSource<String> source, final FileSource.FileSplit split) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        source.splitSerializer().serialize(split, new DataOutputStream(bytes));
        return source.splitSerializer().deserialize(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }

    private static SourceOutput<String> collector(final List<String> into)
    {
        return new SourceOutput<>()
        {
            @Override
            public void collect(final String value)
            {
                into.add(value);
            }

            @Override
            public void collect(final String value, final long timestamp)
            {
                into.add(value);
            }
        };
    }
}
