package io.tidemark.runtime.demo;

import io.tidemark.log.producer.Producer;
import io.tidemark.log.producer.ProducerConfig;
import io.tidemark.log.topic.LogManager;
import io.tidemark.runtime.Plural;
import io.tidemark.runtime.broker.BrokerConfig;
import io.tidemark.runtime.broker.BrokerServer;
import io.tidemark.runtime.jobs.JobManager;
import io.tidemark.runtime.jobs.JobStatus;
import io.tidemark.runtime.jobs.JobSubmission;
import io.tidemark.runtime.jobs.OperatorStatus;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * {@code tidemark demo}: a Tidemark server (a Kafka listener and the HTTP API on 127.0.0.1
 * over a data directory), a page-view generator writing to it and the windowed job
 * {@link DemoJob} submitted to the server's jobs as {@code demo}, in one process, printing
 * results as the job writes them to its result topics, a status line from the job's status,
 * and a summary at the end. Any Kafka client can watch the same topics meanwhile, and
 * {@code tidemark job list} shows the job.
 *
 * <p>Time is compressed: event time runs {@code speed} times faster than the wall clock (10 by
 * default, so a 60 s run covers ten minutes of event time, ten one-minute windows, and
 * phones that are offline for two to five minutes come back within the run). Network delays
 * and outages are in event time. At the end the phones still offline upload their queues and
 * an end marker per partition moves the watermark past every window, so every view is
 * accounted for: counted on time, counted in a late update, dropped or dead-lettered.
 */
public final class Demo
{
    private static final long STEP_MILLIS = 100;
    private static final long STATUS_MILLIS = 1_000;
    private static final long DRAIN_MILLIS = 60_000;
    /** The job's parallelism: partitions are shared among its source subtasks. */
    private static final int PARALLELISM = 2;
    /** The built-in job the demo runs, and its name in the server. */
    private static final String JOB_NAME = "demo";
    /** The Kafka listener's address: this machine only. */
    private static final String HOST = "127.0.0.1";
    /** What the line with the Kafka listener's address starts with; {@code HOST:PORT} follows. */
    public static final String KAFKA_LINE = "  Kafka clients: ";

    private final DemoOptions options;
    private final PrintWriter out;
    private volatile boolean stopRequested;

    /**
     * @param options what to run.
     * @param out     where to print.
     */
    public Demo(final DemoOptions options, final PrintWriter out)
    {
        this.options = options;
        this.out = out;
    }

    /**
     * Asks a running demo to stop at its next step, drain and print its summary ({@code --follow}
     * and Ctrl-C).
     */
    public void stop()
    {
        stopRequested = true;
    }

    /**
     * Runs the demo to its end.
     *
     * @return the summary.
     * @throws IOException if the data directory cannot be made or removed.
     * @throws InterruptedException if interrupted while waiting.
     */
    public DemoSummary run() throws IOException, InterruptedException
    {
        final boolean temporary = options.dataDir() == null;
        final Path dataDir = temporary ? Files.createTempDirectory("tidemark-demo") : options.dataDir();
        try
        {
            return runIn(dataDir);
        }
        finally
        {
            if (temporary)
            {
                deleteTree(dataDir);
            }
        }
    }

    private DemoSummary runIn(final Path dataDir) throws InterruptedException
    {
        try (BrokerServer server = startServer(dataDir, options))
        {
            final LogManager logs = server.logs();
            cancelLeftOverJobs(server.jobs());
            for (final String topic : new String[] {DemoJob.TOPIC, DemoJob.DEAD_LETTER_TOPIC, DemoJob.PER_USER_TOPIC, DemoJob.TOTALS_TOPIC})
            {
                if (logs.listTopics().contains(topic))
                {
                    logs.deleteTopic(topic);   // a rerun on the same directory starts afresh
                }
            }
            logs.createTopic(DemoJob.TOPIC, options.partitions(), Map.of());
            final DemoConsole console = new DemoConsole(out, options.window() == DemoOptions.WindowKind.SESSION);
            printIntro(console, dataDir, server.address().getHostString() + ":" + server.address().getPort(),
                "http://" + server.httpAddress().getHostString() + ":" + server.httpAddress().getPort());
            final JobManager jobs = server.jobs();
            final String job = startJob(jobs);
            try (Producer producer = new Producer(logs, ProducerConfig.defaults());
                 DemoResults results = new DemoResults(logs, console))
            {
                final long wallStart = System.currentTimeMillis();
                final long eventStart = wallStart - Math.floorMod(wallStart, 60_000L);
                final PageViewGenerator generator = new PageViewGenerator(producer, DemoJob.TOPIC, options.partitions(), options.users(), options.seed(), eventStart);
                final long end = options.follow() ? Long.MAX_VALUE : wallStart + options.duration().value().toMillis();
                long nextStatus = wallStart + STATUS_MILLIS;
                while (!stopRequested && System.currentTimeMillis() < end)
                {
                    Thread.sleep(STEP_MILLIS);   // the generator's pace, not a wait for a condition
                    final long wall = System.currentTimeMillis();
                    generator.advanceTo(eventStart + (long)((wall - wallStart) * options.speed()));
                    if (wall >= nextStatus)
                    {
                        results.poll();
                        tick(console, jobs, job, generator);
                        nextStatus += STATUS_MILLIS;
                    }
                }
                out.println();
                console.println(DemoConsole.wall() + "  generator stopped: the offline phones upload their queues, and end markers"
                    + " close every window...", DemoConsole.INDENT);
                generator.finish();
                final long deadline = System.currentTimeMillis() + DRAIN_MILLIS;
                results.poll();
                while (accounted(console, jobs, job) < generator.sent() && System.currentTimeMillis() < deadline)
                {
                    Thread.sleep(STEP_MILLIS);
                    results.poll();
                    console.printResults();
                }
                console.printResults();
                final DemoSummary summary = new DemoSummary(generator.sentPerMinute(), console.minutes(), lateCounts(jobs, job, DemoJob.PER_USER),
                    lateCounts(jobs, job, DemoJob.TOTAL), generator.queuedWhileOffline(), DemoSummary.wallTime(options.duration(), System.currentTimeMillis() - wallStart));
                jobs.cancel(job, false).join();
                summary.print(out);
                return summary;
            }
        }
    }

    /**
     * Starts the server on 127.0.0.1: its Kafka listener and HTTP API each on the port asked
     * for, else on the usual one (9092, 8081), or on any free one if that is taken: the demo
     * should start whatever else runs on the machine.
     */
    private static BrokerServer startServer(final Path dataDir, final DemoOptions options)
    {
        return BrokerServer.start(BrokerConfig.parse(new Properties(), new BrokerConfig.Flags(dataDir, HOST,
            options.port() == null ? freeOrAny(DemoOptions.DEFAULT_PORT) : options.port(), HOST,
            options.httpPort() == null ? freeOrAny(DemoOptions.DEFAULT_HTTP_PORT) : options.httpPort())));
    }

    /** @return {@code port} if nothing listens on it now, else 0 (any free port). */
    private static int freeOrAny(final int port)
    {
        try (ServerSocket probe = new ServerSocket())
        {
            probe.setReuseAddress(true);   // as the server's listener does: a port with old connections in TIME_WAIT is free
            probe.bind(new InetSocketAddress(HOST, port));
            return port;
        }
        catch (final IOException e)
        {
            return 0;
        }
    }

    /**
     * Cancels the demo jobs a demo killed on this data directory left running (the server
     * resumed them): they read the topics the demo is about to make afresh.
     *
     * @param jobs the server's jobs.
     */
    private static void cancelLeftOverJobs(final JobManager jobs)
    {
        for (final JobStatus left : jobs.list())
        {
            if (left.name().equals(JOB_NAME) && left.state().live())
            {
                jobs.cancel(left.id(), false).join();
            }
        }
    }

    /**
     * @param jobs the server's jobs.
     * @return the id of the job {@code demo}, submitted with the demo's settings.
     */
    private String startJob(final JobManager jobs)
    {
        final List<String> args = new DemoJob.Settings(options.window(), options.watermark(), options.bound().value(), options.percentile(), options.late()).args();
        return jobs.submit(new JobSubmission(JOB_NAME, JOB_NAME, null, null, args, PARALLELISM, null, null, null, null)).id();
    }

    private void printIntro(final DemoConsole console, final Path dataDir, final String kafka, final String http)
    {
        final String watermark = options.watermark() == DemoOptions.WatermarkKind.ADAPTIVE
            ? "adaptive, the p" + plain(options.percentile() * 100)
                + " of observed lateness, at most " + options.bound()
            : "bounded, " + options.bound() + " behind the newest event";
        for (final String line : List.of(
            "tidemark demo: " + Plural.of(options.users(), "user") + " browsing; views counted per user ("
                + options.window().name().toLowerCase(Locale.ROOT) + " windows) and in total per minute",
            "  watermark: " + watermark + "; late views: " + options.late().cliName(),
            String.format(Locale.ROOT, "  event time runs %sx faster than the wall clock; network delay is log-normal "
                + "(median 200ms); some phones go offline for 2-5 minutes of event time, then upload everything at once",
                plain(options.speed())),
            "  times: 'wall' is this machine's clock, 'event' is when a view happened",
            "  topic " + DemoJob.TOPIC + " (" + Plural.of(options.partitions(), "partition") + ") in " + dataDir,
            options.follow() ? "  runs until Ctrl-C" : "  stops after " + options.duration() + " of wall time",
            KAFKA_LINE + kafka + "; HTTP API on " + http + "/api",
            "  live dashboard: " + http + "/",
            "  Prometheus metrics: " + http + "/metrics",
            "  watch it with any Kafka client: kcat -b " + kafka + " -C -t " + DemoJob.TOPIC,
            "  results: -t " + DemoJob.PER_USER_TOPIC + ", -t " + DemoJob.TOTALS_TOPIC,
            ""))
        {
            console.println(line, 2);
        }
        out.flush();
    }

    /** @return the number without a needless fraction: {@code 10}, {@code 99.9}. */
    private static String plain(final double number)
    {
        return new BigDecimal(Double.toString(number)).stripTrailingZeros().toPlainString();
    }

    private static void tick(final DemoConsole console, final JobManager jobs, final String job, final PageViewGenerator generator)
    {
        console.printStatus(watermark(jobs, job), generator.newestEventTime(), generator.sent(), lateCounts(jobs, job, DemoJob.PER_USER));
        console.printResults();
    }

    /**
     * @return the views the per-minute totals have accounted for: in the latest totals, or
     *         dropped, or sent to the side output.
     */
    private static long accounted(final DemoConsole console, final JobManager jobs, final String job)
    {
        long sum = 0;
        for (final DemoConsole.MinuteTotal minute : console.minutes().values())
        {
            sum += minute.latest;
        }
        final long[] late = lateCounts(jobs, job, DemoJob.TOTAL);
        return sum + late[1] + late[2];
    }

    /** @return the job's operators as the server reports them (none while it is not running). */
    private static List<OperatorStatus> operators(final JobManager jobs, final String job)
    {
        return jobs.detail(job).map(detail -> detail.status().operators()).orElse(List.of());
    }

    private static long watermark(final JobManager jobs, final String job)
    {
        long min = Long.MAX_VALUE;
        for (final OperatorStatus operator : operators(jobs, job))
        {
            if (operator.name().equals(DemoJob.PER_USER))
            {
                min = Math.min(min, operator.watermark());
            }
        }
        return min;
    }

    /**
     * @return late records of the named operator: {updated, dropped, to side output}.
     */
    private static long[] lateCounts(final JobManager jobs, final String job, final String operator)
    {
        final long[] late = new long[3];
        for (final OperatorStatus status : operators(jobs, job))
        {
            if (status.name().equals(operator))
            {
                late[0] += status.lateRecordsUpdated();
                late[1] += status.lateRecordsDropped();
                late[2] += status.lateRecordsToSideOutput();
            }
        }
        return late;
    }

    private static void deleteTree(final Path root) throws IOException
    {
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }
}
