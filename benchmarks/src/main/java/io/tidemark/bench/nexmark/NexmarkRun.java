package io.tidemark.bench.nexmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import io.tidemark.bench.nexmark.generator.NexmarkConfig;
import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.sink.Sink;
import io.tidemark.engine.sink.SinkWriter;

/**
 * Runs Nexmark queries on Tidemark for N events of the standard stream (10 million events a
 * second of event time, seed 0) at each parallelism asked, a warm-up run and then the runs
 * measured, and prints one {@code RESULT} line per run and the medians. The figure is
 * Nexmark's: events per second per core, the events of a run over its wall time, divided by the
 * cores it used (the process's CPU time over its wall time). Each run also counts the results,
 * which the Flink side's runs of the same events must match. With {@code --threads}, each run
 * also prints a {@code THREADS} line per thread: the CPU time of each job thread and of the
 * JVM's own (the JIT, the collector); with {@code --stacks}, also how much of a job thread's
 * went to the generator, the operators, the idle back-off, the doorbell and waits for room
 * ({@link JobThreadCpu}; its poller's CPU is left out of the run's, the stack recording's is not).
 *
 * <pre>
 * java -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp benchmarks/target/benchmarks.jar io.tidemark.bench.nexmark.NexmarkRun [--events N] [--runs R] [--parallelism 1,2] [--threads|--stacks] q0,q5|all
 * </pre>
 */
public final class NexmarkRun
{
    private NexmarkRun()
    {
    }

    /**
     * What one run measured.
     *
     * @param events    the events generated.
     * @param nanos     wall time from the job's start to its end.
     * @param cpuNanos  the process's CPU time over the same interval.
     * @param results   the results the query emitted.
     */
    public record Measurement(long events, long nanos, long cpuNanos, long results)
    {
        /**
         * @return events per second.
         */
        public double eventsPerSecond()
        {
            return events * 1e9 / nanos;
        }

        /**
         * @return the cores used: CPU time over wall time.
         */
        public double cores()
        {
            return (double)cpuNanos / nanos;
        }

        /**
         * @return events per second per core used.
         */
        public double perCore()
        {
            return eventsPerSecond() / cores();
        }
    }

    /**
     * @param args the options and the queries (see the class comment).
     */
    public static void main(final String[] args)
    {
        long events = 10_000_000;
        int runs = 3;
        int[] parallelisms = {1, 2};
        String queries = null;
        boolean threads = false;
        boolean stacks = false;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--events" -> events = Long.parseLong(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--parallelism" -> parallelisms = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--threads" -> threads = true;
                case "--stacks" -> stacks = true;
                default -> queries = args[i];
            }
        }
        if (queries == null)
        {
            System.err.println("usage: NexmarkRun [--events N] [--runs R] [--parallelism 1,2] [--threads|--stacks] q0,q5,...|all");
            System.exit(2);
        }
        final List<NexmarkQuery<?>> selected = new ArrayList<>();
        for (final String name : queries.split(","))
        {
            if (name.equals("all"))
            {
                selected.addAll(NexmarkQueries.all());
            }
            else
            {
                selected.add(NexmarkQueries.named(name.trim()));
            }
        }
        final NexmarkConfig config = NexmarkConfig.standard(events);
        for (final NexmarkQuery<?> query : selected)
        {
            for (final int parallelism : parallelisms)
            {
                run(query, config, parallelism);
                final double[] perCore = new double[runs];
                final double[] rates = new double[runs];
                for (int r = 0; r < runs; r++)
                {
                    final Measurement m = threads || stacks ? runPerThread(query, config, parallelism, r, stacks) : run(query, config, parallelism);
                    rates[r] = m.eventsPerSecond();
                    perCore[r] = m.perCore();
                    System.out.printf(Locale.ROOT, "RESULT tidemark %s p=%d events=%d nanos=%d eventsPerSecond=%.0f cores=%.2f perCore=%.0f results=%d%n",
                        query.name(), parallelism, m.events(), m.nanos(), m.eventsPerSecond(), m.cores(), m.perCore(), m.results());
                }
                System.out.printf(Locale.ROOT, "%s p=%d median of %d runs: %,.0f events/s, %,.0f events/s per core%n", query.name(), parallelism, runs,
                    median(rates), median(perCore));
            }
        }
    }

    /**
     * Runs a query once.
     *
     * @param query       the query.
     * @param config      the stream.
     * @param parallelism the parallelism of every operator.
     * @return what the run measured.
     */
    public static Measurement run(final NexmarkQuery<?> query, final NexmarkConfig config, final int parallelism)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(parallelism);
        final CountingSink sink = new CountingSink();
        @SuppressWarnings("unchecked")
        final DataStream<Object> results = (DataStream<Object>)query.build(env.fromSource(new NexmarkSource(config), NexmarkSource.watermarks(), "nexmark"));
        results.sinkTo(sink);
        final long cpu = cpuNanos();
        final long start = System.nanoTime();
        env.execute("nexmark " + query.name());
        final long nanos = System.nanoTime() - start;
        return new Measurement(config.events(), nanos, cpuNanos() - cpu, sink.count.get());
    }

    /**
     * Runs a query once with a {@link JobThreadCpu} sampler beside it, and prints where each job
     * thread's CPU went.
     */
    private static Measurement runPerThread(final NexmarkQuery<?> query, final NexmarkConfig config, final int parallelism, final int runIndex, final boolean stacks)
    {
        final JobThreadCpu sampler = JobThreadCpu.start("tidemark nexmark " + query.name() + ": ", stacks);
        final Measurement m = run(query, config, parallelism);
        final JobThreadCpu.Report report;
        try
        {
            report = sampler.stop();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        for (final String line : report.lines())
        {
            System.out.printf(Locale.ROOT, "THREADS %s p=%d run=%d %s%n", query.name(), parallelism, runIndex + 1, line);
        }
        return new Measurement(m.events(), m.nanos(), m.cpuNanos() - report.pollerNanos(), m.results());
    }

    private static long cpuNanos()
    {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
    }

    private static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Counts the results per subtask, into one total at the end. */
    private static final class CountingSink implements Sink<Object>
    {
        private final AtomicLong count = new AtomicLong();

        @Override
        public SinkWriter<Object> createWriter(final int subtaskIndex, final int parallelism)
        {
            return new SinkWriter<>()
            {
                private long written;

                @Override
                public void write(final Object value, final long timestamp)
                {
                    written++;
                }

                @Override
                public void flush()
                {
                    count.addAndGet(written);
                    written = 0;
                }
            };
        }
    }
}
