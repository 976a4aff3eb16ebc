package io.tidemark.connector.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.sink.CollectSink;
import io.tidemark.engine.source.MalformedRecordException;
import io.tidemark.engine.task.JobExecutionException;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import io.tidemark.engine.window.WindowResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileConnectorTest
{
    /** A test event. */
    record Click(String user, long time)
    {
    }

    private static final CsvFormat<Click> CSV = CsvFormat.of(row -> new Click(row.get("user"), row.getLong("time"))).withHeader();
    private static final JsonLinesFormat<Click> JSON = JsonLinesFormat.of(json -> new Click(json.getString("user"), json.getLong("time")));

    @TempDir
    Path dir;

    private Path file(final String name, final String text) throws IOException
    {
        return Files.writeString(dir.resolve(name), text);
    }

    private static List<Click> read(final FileSource<Click> source, final int parallelism)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(parallelism);
        final CollectSink<Click> sink = new CollectSink<>();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "file").sinkTo(sink);
        env.execute("read files");
        return sink.results().stream().sorted(Comparator.comparingLong(Click::time)).toList();
    }

    private static MalformedRecordException malformed(final Throwable failure)
    {
        Throwable cause = failure;
        while (!(cause instanceof MalformedRecordException) && cause.getCause() != null)
        {
            cause = cause.getCause();
        }
        return assertInstanceOf(MalformedRecordException.class, cause);
    }

    private MalformedRecordException failureReading(final FileSource<Click> source)
    {
        return malformed(assertThrows(JobExecutionException.class, () -> read(source, 1)));
    }

    @Test
    void aDirectoryOfCsvFilesIsReadFileBySplitAndWindowedByTheTimeColumn() throws IOException
    {
        final Path input = Files.createDirectory(dir.resolve("clicks"));
        final StringBuilder a = new StringBuilder("user,time\n");
        final StringBuilder b = new StringBuilder("user,time\r\n\r\n");
        for (int i = 0; i < 100; i++)
        {
            (i % 2 == 0 ? a : b).append(i % 3 == 0 ? "\"ann\"" : "bob").append(',').append(i * 1_000).append(i % 2 == 0 ? "\n" : "\r\n");
        }
        Files.writeString(input.resolve("a.csv"), a);
        Files.writeString(input.resolve("b.csv"), b.toString().strip());
        Files.writeString(input.resolve(".hidden"), "not,csv,at all\n");

        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        final CollectSink<WindowResult<String, Long>> counts = new CollectSink<>();
        env.fromSource(FileSource.of(CSV, input), WatermarkStrategy.<Click>forMonotonousTimestamps().withTimestampAssigner((c, ts) -> c.time()), "clicks")
            .keyBy(Click::user)
            .window(TumblingEventTimeWindows.of(Duration.ofSeconds(50)))
            .aggregate(AggregateFunctions.<Click>count())
            .sinkTo(counts);
        env.execute("csv");
        assertEquals(List.of(
            new WindowResult<>("ann", 0L, 50_000L, 17L, false),
            new WindowResult<>("ann", 50_000L, 100_000L, 17L, false),
            new WindowResult<>("bob", 0L, 50_000L, 33L, false),
            new WindowResult<>("bob", 50_000L, 100_000L, 33L, false)),
            counts.results().stream().sorted(Comparator.comparing(WindowResult<String, Long>::key).thenComparingLong(WindowResult::windowStart)).toList(),
            "CRLF, a blank line, a quoted field and a last line without line break all read; the hidden file is not");
    }

    @Test
    void aMalformedCsvLineFailsTheJobNamingFileLineAndProblem() throws IOException
    {
        final Path clicks = file("clicks.csv", "user,time\nann,1\n\nbob,2\nann,noon\nbob,4\n");
        final MalformedRecordException e = failureReading(FileSource.of(CSV, clicks));
        assertEquals(clicks + ":5", e.location());
        assertEquals(clicks + ":5: column 'time' is not a whole number: 'noon'", e.getMessage());
    }

    @Test
    void skippingMalformedLinesCountsThemAndKeepsTheRest() throws IOException
    {
        final Path clicks = file("clicks.csv", "user,time\nann,1\nann,noon\nbob,\"2\nbob,3\nann,4,extra\n");
        final FileSource<Click> source = FileSource.of(CSV, clicks).onMalformedLine(MalformedLinePolicy.SKIP);
        assertEquals(List.of(new Click("ann", 1), new Click("bob", 3)), read(source, 1));
        assertEquals(3, source.skippedLines());
    }

    @Test
    void jsonLinesAreReadAndAMalformedOneIsNamedByFileAndLine() throws IOException
    {
        final Path events = file("events.jsonl", "{\"user\":\"ann\",\"time\":1}\n{\"time\":2, \"user\":\"b\\u00f6b\", \"extra\":true}\n");
        assertEquals(List.of(new Click("ann", 1), new Click("b\u00f6b", 2)), read(FileSource.of(JSON, events), 1));

        final Path broken = file("broken.jsonl", "{\"user\":\"ann\",\"time\":1}\n{\"user\":\"bob\",\"time\":2\n");
        assertEquals(broken + ":2: column 23: the line ends inside the object", failureReading(FileSource.of(JSON, broken)).getMessage());
        final Path nested = file("nested.jsonl", "{\"user\":{\"name\":\"ann\"},\"time\":1}\n");
        assertTrue(failureReading(FileSource.of(JSON, nested)).getMessage().startsWith(nested + ":1: column 9: field 'user' holds a nested object"));
        final Path missing = file("missing.jsonl", "{\"user\":\"ann\"}\n");
        assertEquals(missing + ":1: field 'time' is missing; the object has [user]", failureReading(FileSource.of(JSON, missing)).getMessage());
    }

    @Test
    void bytesThatAreNotUtf8AreReportedOnTheirLine() throws IOException
    {
        final Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, "user,time\nann,1\nj\u00f6rg,2\n".getBytes(StandardCharsets.ISO_8859_1));
        final MalformedRecordException e = failureReading(FileSource.of(CSV, latin1).onMalformedLine(MalformedLinePolicy.SKIP));
        assertEquals(latin1 + ":3: the line is not valid UTF-8", e.getMessage(), "an undecodable file is an error even when skipping lines");
    }

    @Test
    void aMissingFileIsRefusedWhereTheSourceIsDefined()
    {
        final Path nowhere = dir.resolve("nowhere.csv");
        assertEquals("no such file or directory: " + nowhere, assertThrows(IllegalArgumentException.class, () -> FileSource.of(CSV, nowhere)).getMessage());
    }

    private List<String> partFiles(final Path out) throws IOException
    {
        try (Stream<Path> files = Files.list(out))
        {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theFileSinkPublishesOnePartFilePerSubtaskAtTheEndWithOneLinePerRecord() throws IOException
    {
        final Path out = dir.resolve("out");
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        final List<Long> numbers = new ArrayList<>();
        for (long i = 0; i < 1_000; i++)
        {
            numbers.add(i);
        }
        env.fromCollection(numbers).rebalance().map(x -> x * 2).sinkTo(FileSink.toDirectory(out, x -> "n=" + x));
        env.execute("to files");

        assertEquals(List.of("part-0", "part-1"), partFiles(out), "no in-progress file is left");
        final List<String> lines = new ArrayList<>(Files.readAllLines(out.resolve("part-0")));
        assertFalse(lines.isEmpty());
        lines.addAll(Files.readAllLines(out.resolve("part-1")));
        assertEquals(numbers.stream().map(x -> "n=" + (x * 2)).sorted().toList(), lines.stream().sorted().toList());
    }

    @Test
    void aFailedJobLeavesNoPartFileAndARecordWithALineBreakIsRefused() throws IOException
    {
        final Path out = dir.resolve("out");
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromElements("one", "two\nlines", "three").sinkTo(FileSink.toDirectory(out));
        final JobExecutionException e = assertThrows(JobExecutionException.class, () -> env.execute("line break"));
        assertTrue(e.getMessage().contains("formats to text with a line break; one record must be one line"), e.getMessage());
        assertEquals(List.of(), partFiles(out));
    }
}
