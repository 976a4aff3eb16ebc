package io.tidemark.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Workloads L1-L4, L2T and L3C of {@code docs/WORKLOADS.md} against one broker over the Kafka
 * protocol ({@code run}), and two runs side by side ({@code compare}).
 * {@code benchmarks/server-vs-kafka.sh} starts Tidemark, runs this, stops it, does the same
 * with an Apache Kafka broker, then compares.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tidemark.bench.server.ServerBench run --bootstrap 127.0.0.1:9092 --out tidemark.txt
 * java -cp benchmarks/target/benchmarks.jar io.tidemark.bench.server.ServerBench compare tidemark.txt kafka.txt
 * </pre>
 */
@Command(name = "server-bench", mixinStandardHelpOptions = true, subcommands = {ServerBench.Run.class, ServerBench.Compare.class,
    ServerBench.Medians.class},
    description = "Workloads L1-L4, L2T and L3C over the Kafka protocol, and their comparison.")
public final class ServerBench
{
    private ServerBench()
    {
    }

    /**
     * Runs a subcommand and exits with its code.
     *
     * @param args {@code run ...} or {@code compare ...}; {@code --help} lists the options.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new ServerBench()).execute(args));
    }

    /** Repetitions of every workload against one broker; samples appended to a file. */
    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run L1-L4, L2T, L3C (and kcat L1, L3) against one broker.")
    static final class Run implements Callable<Integer>
    {
        @Spec
        private CommandLine.Model.CommandSpec spec;

        @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "The broker.")
        private String bootstrap;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Samples are appended here, one 'metric value' a line.")
        private Path out;

        @Option(names = "--records", defaultValue = "5000000", description = "Records of L1, L2, L3 and kcat (default: ${DEFAULT-VALUE}).")
        private long records;

        @Option(names = "--round-trips", defaultValue = "20000", description = "Recorded round trips of L4 (default: ${DEFAULT-VALUE}).")
        private int roundTrips;

        @Option(names = "--warm-ups", defaultValue = "1000", description = "Unrecorded round trips before L4's (default: ${DEFAULT-VALUE}).")
        private int warmUps;

        @Option(names = "--repetitions", defaultValue = "3", description = "Repetitions of every workload (default: ${DEFAULT-VALUE}).")
        private int repetitions;

        @Option(names = "--first-repetition", defaultValue = "1",
            description = "The number of the first repetition, which names its topics (default: ${DEFAULT-VALUE}).")
        private int firstRepetition;

        @Option(names = "--broker-pid", defaultValue = "0",
            description = "The broker's process id, to report its CPU time per record (Linux; default: not measured).")
        private long brokerPid;

        @Option(names = "--threads-out", paramLabel = "FILE",
            description = "With --broker-pid: the broker's CPU time per record by group of threads is appended here (default: not kept).")
        private Path threadsOut;

        @Option(names = "--no-kcat", description = "Skip the kcat runs of L1 and L3.")
        private boolean noKcat;

        @Option(names = "--workloads", split = ",", defaultValue = "L1,L2,L3,L4", paramLabel = "L1,L2,L3,L4,L2T,L3C",
            description = "The Java client's workloads to run; L3 reads what L1 wrote; L2T and L3C use transactions "
                + "(default: ${DEFAULT-VALUE}).")
        private Set<String> workloads;

        @Override
        public Integer call() throws Exception
        {
            if (records <= 0 || roundTrips <= 0 || warmUps < 0 || repetitions <= 0 || firstRepetition <= 0)
            {
                throw new CommandLine.ParameterException(spec.commandLine(),
                    "--records, --round-trips, --repetitions and --first-repetition must be positive, --warm-ups not negative");
            }
            if (!Set.of("L1", "L2", "L3", "L4", "L2T", "L3C").containsAll(workloads) || workloads.contains("L3") && !workloads.contains("L1"))
            {
                throw new CommandLine.ParameterException(spec.commandLine(),
                    "--workloads takes L1, L2, L3, L4, L2T and L3C, and L3 needs L1 (it reads L1's records), not " + workloads);
            }
            final Path recordFile = noKcat ? null : Files.createTempFile("tidemark-bench-records", ".txt");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)))
            {
                if (recordFile != null)
                {
                    KcatWorkload.writeRecordFile(recordFile, records);
                }
                final Duration timeout = Duration.ofMinutes(10);
                warmUp(admin, timeout);
                for (int repetition = firstRepetition; repetition < firstRepetition + repetitions; repetition++)
                {
                    final String l1 = "l1-r" + repetition;
                    final String l2 = "l2-r" + repetition;
                    final String l4 = "l4-r" + repetition;
                    final String l2t = "l2t-r" + repetition;
                    final String l3c = "l3c-r" + repetition;
                    final String kcat = "kcat-r" + repetition;
                    final List<String> topics = noKcat ? List.of(l1, l2, l4, l2t, l3c) : List.of(l1, l2, l4, l2t, l3c, kcat);
                    createTopics(admin, topics);

                    if (workloads.contains("L1"))
                    {
                        measure(repetition, "L1", () -> ProduceWorkload.run(ClientSettings.leaderAcksProducer(bootstrap), l1, records));
                    }
                    if (workloads.contains("L3"))
                    {
                        measure(repetition, "L3", () -> ConsumeWorkload.run(ClientSettings.consumer(bootstrap), l1, records, timeout));
                    }
                    if (workloads.contains("L2"))
                    {
                        measure(repetition, "L2", () -> ProduceWorkload.run(ClientSettings.idempotentProducer(bootstrap), l2, records));
                    }
                    if (workloads.contains("L2T"))
                    {
                        measure(repetition, "L2T", () -> TransactionalProduceWorkload.run(
                            ClientSettings.transactionalProducer(bootstrap, l2t), l2t, records));
                    }
                    if (workloads.contains("L3C"))
                    {
                        TransactionalProduceWorkload.writeInterleaved(ClientSettings.transactionalProducer(bootstrap, l3c + "-committing"),
                            ClientSettings.transactionalProducer(bootstrap, l3c + "-aborting"), l3c, records);
                        measure(repetition, "L3C", () -> TransactionalProduceWorkload.committedOnly(
                            ConsumeWorkload.run(ClientSettings.readCommittedConsumer(bootstrap), l3c, records, timeout), records));
                    }
                    if (workloads.contains("L4"))
                    {
                        final ThreadCpu cpu = brokerPid > 0 ? new ThreadCpu(brokerPid) : null;
                        final ThreadCpu.Snapshot before = cpu == null ? null : cpu.read();
                        final Histogram histogram = RoundTripWorkload.run(bootstrap, l4, warmUps, roundTrips);
                        report(repetition, histogram, cpu == null ? "" : brokerCpu("L4", cpu.read().since(before), warmUps + roundTrips));
                    }
                    if (recordFile != null)
                    {
                        measure(repetition, "kcat-L1", () -> KcatWorkload.produce(bootstrap, kcat, recordFile, records));
                        measure(repetition, "kcat-L3", () -> KcatWorkload.consume(bootstrap, kcat, records));
                    }
                    // Deleted at once, so that a long run stays within the page cache and the disk.
                    admin.deleteTopics(topics).all().get(1, TimeUnit.MINUTES);
                }
            }
            finally
            {
                if (recordFile != null)
                {
                    Files.deleteIfExists(recordFile);
                }
            }
            return 0;
        }

        /**
         * A tenth of L1 and L3, not recorded: the client's JIT compiles its produce and fetch
         * paths here rather than in the first measured repetition.
         */
        private void warmUp(final Admin admin, final Duration timeout) throws Exception
        {
            // Named after the run: a broker may still be deleting an earlier run's topics.
            final String topic = "warm-up-r" + firstRepetition;
            final long warmUpRecords = Math.max(1, records / 10);
            createTopics(admin, List.of(topic));
            ProduceWorkload.run(ClientSettings.leaderAcksProducer(bootstrap), topic, warmUpRecords);
            ConsumeWorkload.run(ClientSettings.consumer(bootstrap), topic, warmUpRecords, timeout);
            admin.deleteTopics(List.of(topic)).all().get(1, TimeUnit.MINUTES);
        }

        private static void createTopics(final Admin admin, final List<String> topics) throws Exception
        {
            admin.createTopics(topics.stream().map(topic -> new NewTopic(topic, ClientSettings.PARTITIONS, (short)1)).toList())
                .all().get(1, TimeUnit.MINUTES);
        }

        /**
         * Runs a throughput workload and records its rates and the CPU time the broker and, for
         * the Java client's workloads, this JVM spent per record.
         */
        private void measure(final int repetition, final String workload, final Callable<Throughput> run) throws Exception
        {
            final ThreadCpu cpu = brokerPid > 0 ? new ThreadCpu(brokerPid) : null;
            final ThreadCpu.Snapshot brokerBefore = cpu == null ? null : cpu.read();
            final long clientBefore = ProcessCpu.clientNanos();
            final Throughput throughput = run.call();
            final ThreadCpu.Usage broker = cpu == null ? null : cpu.read().since(brokerBefore);
            final long clientNanos = ProcessCpu.clientNanos() - clientBefore;

            throughput.record(out, workload);
            final StringBuilder cpuText = new StringBuilder();
            if (broker != null)
            {
                cpuText.append(brokerCpu(workload, broker, throughput.records()));
            }
            final long clientCpu = throughput.clientCpuNanos() >= 0 ? throughput.clientCpuNanos() : clientBefore >= 0 ? clientNanos : -1;
            if (clientCpu >= 0)
            {
                final double perRecord = (double)clientCpu / throughput.records();
                Measurements.append(out, workload + ".client_cpu_ns_per_record", perRecord);
                cpuText.append(String.format(Locale.ROOT, ", client CPU %.0f ns/record", perRecord));
            }
            System.out.printf(Locale.ROOT, "%s #%d %-8s %,12.0f records/s %8.1f MB/s (%,d records in %.2f s%s)%n", bootstrap, repetition,
                workload, throughput.recordsPerSecond(), throughput.megabytesPerSecond(), throughput.records(), throughput.nanos() / 1e9,
                cpuText);
        }

        /**
         * Records the broker's CPU time per record of a workload (for L4, per round trip): in all,
         * and without its JIT compilers' (work done once, while the broker warms up); the threads
         * that ended during the workload and their time (coarse, in ticks); by group of threads,
         * with the event loop's wait for a CPU, if asked.
         *
         * @return the figures as text for the workload's line.
         */
        private String brokerCpu(final String workload, final ThreadCpu.Usage broker, final long records) throws IOException
        {
            final double perRecord = (double)broker.nanos() / records;
            final double withoutJit = (double)(broker.nanos() - broker.byGroup().getOrDefault("jit", 0L)) / records;
            Measurements.append(out, workload + ".broker_cpu_ns_per_record", perRecord);
            Measurements.append(out, workload + ".broker_cpu_without_jit_ns_per_record", withoutJit);
            Measurements.append(out, workload + ".threads_gone", broker.threadsGone());
            Measurements.append(out, workload + ".ended_threads_cpu_ns_per_record", (double)broker.endedNanos() / records);
            if (threadsOut != null)
            {
                for (final Map.Entry<String, Long> group : broker.byGroup().entrySet())
                {
                    Measurements.append(threadsOut, workload + "." + group.getKey() + "_ns_per_record", (double)group.getValue() / records);
                }
                Measurements.append(threadsOut, workload + ".event_loop_cpu_wait_ns_per_record",
                    (double)broker.waitByGroup().getOrDefault("event_loop", 0L) / records);
            }
            final String unit = "L4".equals(workload) ? "ns/round trip" : "ns/record";
            return String.format(Locale.ROOT, ", broker CPU %.1f %s (%.1f without JIT; %d threads gone, %.0f ms of theirs)", perRecord, unit,
                withoutJit, broker.threadsGone(), broker.endedNanos() / 1e6);
        }

        private void report(final int repetition, final Histogram roundTrips, final String cpuText) throws Exception
        {
            final double p50 = roundTrips.getValueAtPercentile(50) / 1e6;
            final double p99 = roundTrips.getValueAtPercentile(99) / 1e6;
            final double p999 = roundTrips.getValueAtPercentile(99.9) / 1e6;
            final double max = roundTrips.getMaxValue() / 1e6;
            Measurements.append(out, "L4.p50_ms", p50);
            Measurements.append(out, "L4.p99_ms", p99);
            Measurements.append(out, "L4.p99.9_ms", p999);
            Measurements.append(out, "L4.max_ms", max);
            System.out.printf(Locale.ROOT, "%s #%d L4       p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms (%,d round trips%s)%n", bootstrap,
                repetition, p50, p99, p999, max, roundTrips.getTotalCount(), cpuText);
        }
    }

    /** Prints two runs side by side. */
    @Command(name = "compare", mixinStandardHelpOptions = true, description = "Print Tidemark's and Kafka's medians side by side.")
    static final class Compare implements Callable<Integer>
    {
        @Parameters(index = "0", paramLabel = "TIDEMARK", description = "Tidemark's samples.")
        private Path tidemark;

        @Parameters(index = "1", paramLabel = "KAFKA", description = "Kafka's samples.")
        private Path kafka;

        @Override
        public Integer call() throws Exception
        {
            System.out.print(Comparison.table(Comparison.rows(Measurements.read(tidemark), Measurements.read(kafka))));
            return 0;
        }
    }

    /** Prints one run's medians, such as the broker's CPU time by group of threads. */
    @Command(name = "medians", mixinStandardHelpOptions = true, description = "Print the median of every metric of one run.")
    static final class Medians implements Callable<Integer>
    {
        @Parameters(index = "0", paramLabel = "FILE", description = "The samples.")
        private Path samples;

        @Override
        public Integer call() throws Exception
        {
            final Measurements measurements = Measurements.read(samples);
            System.out.println("| metric | median | samples |");
            System.out.println("|---|---:|---:|");
            for (final String metric : measurements.metrics())
            {
                System.out.printf(Locale.ROOT, "| %s | %s | %d |%n", metric, Comparison.figure(measurements.median(metric)), measurements.count(metric));
            }
            return 0;
        }
    }
}
