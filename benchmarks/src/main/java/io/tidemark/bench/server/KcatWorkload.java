package io.tidemark.bench.server;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * L1 and L3 with kcat (librdkafka, the C client) as the client, so that the broker rather
 * than the Java client is what is measured. Timed by wall clock around the kcat process,
 * start-up and metadata included.
 *
 * <ul>
 *   <li>L1: {@code kcat -P} sends the lines of a file of 100-byte records, with
 *   {@code batch.size=65536}, {@code linger.ms=5}, {@code acks=1}; kcat exits once every
 *   record is delivered.</li>
 *   <li>L3: {@code kcat -C -o beginning -e} reads all partitions to their end, printing one
 *   newline per record; the newlines are counted here and must equal the records sent.</li>
 * </ul>
 */
final class KcatWorkload
{
    private static final long TIMEOUT_MINUTES = 10;
    private static final Pattern TIMES_FIELD = Pattern.compile("(\\d+)m(\\d+(?:\\.\\d+)?)s");

    private KcatWorkload()
    {
    }

    /**
     * Writes a file of {@code records} lines, each a 100-byte record value.
     *
     * @param file the file to write.
     * @param records how many lines.
     * @throws IOException if the file cannot be written.
     */
    static void writeRecordFile(final Path file, final long records) throws IOException
    {
        final byte[] line = new byte[ClientSettings.RECORD_BYTES + 1];
        System.arraycopy(ClientSettings.recordValue(), 0, line, 0, ClientSettings.RECORD_BYTES);
        line[ClientSettings.RECORD_BYTES] = '\n';
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20))
        {
            for (long i = 0; i < records; i++)
            {
                out.write(line);
            }
        }
    }

    /**
     * kcat L1: produces every line of {@code recordFile} to a topic.
     *
     * @param bootstrap host:port.
     * @param topic the topic, already created.
     * @param recordFile a file from {@link #writeRecordFile}.
     * @param records the lines in it.
     * @return the throughput.
     * @throws IOException if kcat cannot run.
     * @throws InterruptedException if interrupted while waiting for kcat.
     */
    static Throughput produce(final String bootstrap, final String topic, final Path recordFile, final long records)
        throws IOException, InterruptedException
    {
        final Run run = run(List.of("kcat", "-P", "-b", bootstrap, "-t", topic, "-l",
            "-X", "batch.size=" + ClientSettings.BATCH_BYTES, "-X", "linger.ms=" + ClientSettings.LINGER_MS, "-X", "acks=1",
            recordFile.toString()), false);
        return new Throughput(records, records * ClientSettings.RECORD_BYTES, run.nanos(), run.cpuNanos());
    }

    /**
     * kcat L3: consumes a topic from its beginning to its end.
     *
     * @param bootstrap host:port.
     * @param topic the topic.
     * @param records the records it holds.
     * @return the throughput.
     * @throws IOException if kcat cannot run.
     * @throws InterruptedException if interrupted while waiting for kcat.
     * @throws IllegalStateException if kcat read another number of records.
     */
    static Throughput consume(final String bootstrap, final String topic, final long records) throws IOException, InterruptedException
    {
        final Run run = run(List.of("kcat", "-C", "-b", bootstrap, "-t", topic, "-o", "beginning", "-e", "-q", "-f", "\\n"), true);
        if (run.newlines() != records)
        {
            throw new IllegalStateException("kcat read " + run.newlines() + " records of " + topic + ", expected " + records);
        }
        return new Throughput(records, records * ClientSettings.RECORD_BYTES, run.nanos(), run.cpuNanos());
    }

    /** One timed kcat process: its wall time, its CPU time, and the newlines it printed if counted. */
    private record Run(long nanos, long cpuNanos, long newlines)
    {
    }

    private static Run run(final List<String> command, final boolean countNewlines) throws IOException, InterruptedException
    {
        final Path times = Files.createTempFile("tidemark-kcat", ".times");
        try
        {
            final long start = System.nanoTime();
            final ProcessBuilder builder = timed(times, command).redirectError(ProcessBuilder.Redirect.INHERIT);
            if (!countNewlines)
            {
                builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            }
            final Process kcat = builder.start();
            final long newlines = countNewlines ? countNewlines(kcat.getInputStream()) : 0;
            awaitSuccess(kcat, command.get(0) + " " + command.get(1));
            return new Run(System.nanoTime() - start, childCpuNanos(times), newlines);
        }
        finally
        {
            Files.deleteIfExists(times);
        }
    }

    /**
     * A command run by {@code sh}, which then writes its {@code times} (its own and its
     * children's user and system time) to {@code times} and exits with the command's status.
     */
    static ProcessBuilder timed(final Path times, final List<String> command)
    {
        final List<String> shell = new ArrayList<>(List.of("sh", "-c", "\"$@\"; status=$?; times > \"$TIMES_FILE\"; exit $status", "sh"));
        shell.addAll(command);
        final ProcessBuilder builder = new ProcessBuilder(shell);
        builder.environment().put("TIMES_FILE", times.toString());
        return builder;
    }

    /**
     * Reads the children's line of {@code times} ("0m1.160000s 0m0.260000s": user, then system).
     */
    static long childCpuNanos(final Path times) throws IOException
    {
        final List<String> lines = Files.readAllLines(times);
        if (lines.size() != 2)
        {
            throw new IllegalStateException("'times' wrote " + lines + ", not two lines");
        }
        long nanos = 0;
        for (final String field : lines.get(1).trim().split("\\s+"))
        {
            final Matcher matcher = TIMES_FIELD.matcher(field);
            if (!matcher.matches())
            {
                throw new IllegalStateException("cannot read the time '" + field + "' of 'times'");
            }
            nanos += Long.parseLong(matcher.group(1)) * 60_000_000_000L + new BigDecimal(matcher.group(2)).movePointRight(9).longValueExact();
        }
        return nanos;
    }

    private static long countNewlines(final InputStream in) throws IOException
    {
        final byte[] buffer = new byte[1 << 16];
        long newlines = 0;
        int n;
        while ((n = in.read(buffer)) >= 0)
        {
            for (int i = 0; i < n; i++)
            {
                if (buffer[i] == '\n')
                {
                    newlines++;
                }
            }
        }
        return newlines;
    }

    private static void awaitSuccess(final Process process, final String what) throws InterruptedException
    {
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES))
        {
            process.destroyForcibly();
            throw new IllegalStateException(what + " did not finish within " + TIMEOUT_MINUTES + " minutes");
        }
        if (process.exitValue() != 0)
        {
            throw new IllegalStateException(what + " failed with exit code " + process.exitValue());
        }
    }
}
