package io.tidemark.bench.nexmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a run's CPU went, per thread of the job. A poller reads each job thread's CPU time
 * every few milliseconds (exact, but for the last few milliseconds of a thread that ended);
 * a JFR recording samples the threads' stacks every millisecond, without the bias to
 * safepoints that a stack read through JMX has, and a thread's CPU is split in proportion to
 * its samples: the generator, the task's idle back-off (spin and yield between batches; a
 * source's idle strategy too), its sleep on the doorbell (the park and the wake-up), a writer
 * running its sleeping consumer's task (or waking it), a writer waiting for room in a full
 * channel, or the operators and the engine around them. The JVM's other threads (the JIT's,
 * the collector's, the recording's) are read from {@code /proc/self/task} at the start and the
 * end, and reported by name.
 */
final class JobThreadCpu implements Runnable
{
    /** What a thread was doing, by the frames of its stack. */
    enum Activity
    {
        /** Making events ({@code bench.nexmark.generator}). */
        GENERATOR,
        /** Spinning or yielding in the task's idle back-off (a source's idle strategy too). */
        BACKOFF,
        /** Going to sleep on, or waking from, the task's doorbell. */
        SLEEP,
        /** Running a sleeping consumer's task on its writer's thread, or waking it. */
        LENT,
        /** A channel writer waiting for room (back-pressure). */
        FULL,
        /** Anything else: the operators, the channels, the task's loop. */
        WORK
    }

    private static final long POLL_MILLIS = 5;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final String prefix;
    private final Map<Long, Long> cpuById = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    /** The stack samples, or {@code null} when only the CPU per thread is asked for. */
    private final Recording recording;
    private final Map<String, Long> othersAtStart = othersCpu();
    private volatile boolean running = true;
    private long pollerCpuNanos = -1;

    private JobThreadCpu(final String prefix, final boolean stacks)
    {
        this.prefix = prefix;
        this.recording = stacks ? new Recording() : null;
        if (stacks)
        {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1)).withStackTrace();
        }
    }

    /**
     * Starts the poller, on a daemon thread of its own, and the recording if asked.
     *
     * @param prefix the names of the threads to follow start with it.
     * @param stacks whether to sample stacks too, to split each thread's CPU by activity (the
     *               recording costs CPU of its own, which the run's figure then includes).
     * @return the sampler; {@link #stop} it after the job.
     */
    static JobThreadCpu start(final String prefix, final boolean stacks)
    {
        final JobThreadCpu sampler = new JobThreadCpu(prefix, stacks);
        if (stacks)
        {
            sampler.recording.start();
        }
        final Thread thread = new Thread(sampler, "thread-cpu poller");
        thread.setDaemon(true);
        thread.start();
        return sampler;
    }

    @Override
    public void run()
    {
        while (running)
        {
            poll();
            try
            {
                Thread.sleep(POLL_MILLIS);
            }
            catch (final InterruptedException e)
            {
                break;
            }
        }
        synchronized (this)
        {
            pollerCpuNanos = threads.getCurrentThreadCpuTime();
            notifyAll();
        }
    }

    private void poll()
    {
        for (final long id : threads.getAllThreadIds())
        {
            final ThreadInfo info = threads.getThreadInfo(id);
            final long cpu = threads.getThreadCpuTime(id);
            if (info != null && cpu >= 0 && info.getThreadName().startsWith(prefix))
            {
                names.putIfAbsent(id, info.getThreadName().substring(prefix.length()));
                cpuById.put(id, cpu);
            }
        }
    }

    /**
     * @return the CPU time of the threads that are not the job's, by name with its digits
     *         dropped ("C2 CompilerThread", "GC Thread#"), in nanoseconds; empty where there
     *         is no {@code /proc}.
     */
    private static Map<String, Long> othersCpu()
    {
        final Map<String, Long> byName = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task")))
        {
            for (final Path task : tasks)
            {
                final String name = Files.readString(task.resolve("comm")).trim();
                if (!name.startsWith("tidemark") && !name.startsWith("thread-cpu"))
                {
                    final long nanos = Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
                    byName.merge(name.replaceAll("[0-9]", ""), nanos, Long::sum);
                }
            }
        }
        catch (final IOException | RuntimeException e)
        {
            // A thread that ended while being read, or no /proc: report what was read.
        }
        return byName;
    }

    /** The innermost frame that tells what the thread does decides. */
    private static Activity activityOf(final List<RecordedFrame> frames)
    {
        boolean idleStrategy = false;
        for (final RecordedFrame frame : frames)
        {
            final String cls = frame.getMethod().getType().getName();
            final String method = frame.getMethod().getName();
            if (cls.startsWith("io.tidemark.bench.nexmark.generator."))
            {
                return Activity.GENERATOR;
            }
            if (cls.endsWith(".Doorbell"))
            {
                return method.equals("sleep") ? Activity.SLEEP : Activity.LENT;
            }
            if (cls.endsWith(".StreamTask") && method.equals("idle"))
            {
                return Activity.BACKOFF;
            }
            if (cls.endsWith("IdleStrategy"))
            {
                idleStrategy = true;
            }
            else if (idleStrategy)
            {
                return cls.endsWith(".ChannelWriter") ? Activity.FULL : Activity.BACKOFF;
            }
        }
        return Activity.WORK;
    }

    /**
     * Stops the poller and the recording.
     *
     * @return one line per job thread (its CPU in milliseconds and that of each activity), and
     *         the poller's own CPU.
     * @throws InterruptedException if interrupted while waiting for the poller.
     * @throws IOException          if the recording cannot be read.
     */
    synchronized Report stop() throws InterruptedException, IOException
    {
        running = false;
        while (pollerCpuNanos < 0)
        {
            wait();
        }
        final Map<String, long[]> samples = recording == null ? Map.of() : samples();
        final List<String> lines = new ArrayList<>();
        cpuById.forEach((id, cpu) ->
        {
            final String name = names.get(id);
            final long[] counts = samples.getOrDefault(prefix + name, new long[Activity.values().length]);
            final long total = Arrays.stream(counts).sum();
            final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s cpuMs=%.1f", name, cpu / 1e6));
            if (recording != null)
            {
                line.append(" samples=").append(total);
            }
            for (final Activity activity : recording == null ? new Activity[0] : Activity.values())
            {
                line.append(String.format(Locale.ROOT, " %s=%.1f", activity.name().toLowerCase(Locale.ROOT), total == 0 ? 0 : cpu / 1e6 * counts[activity.ordinal()] / total));
            }
            lines.add(line.toString());
        });
        othersCpu().forEach((name, cpu) ->
        {
            final long used = cpu - othersAtStart.getOrDefault(name, 0L);
            if (used > 0)
            {
                lines.add(String.format(Locale.ROOT, "[%s] cpuMs=%.1f", name, used / 1e6));
            }
        });
        return new Report(lines, pollerCpuNanos);
    }

    /** Counts each job thread's stack samples by activity, by the thread's name. */
    private Map<String, long[]> samples() throws IOException
    {
        recording.stop();
        final Path file = Files.createTempFile("thread-cpu", ".jfr");
        final Map<String, long[]> samples = new HashMap<>();
        try
        {
            recording.dump(file);
            for (final RecordedEvent event : RecordingFile.readAllEvents(file))
            {
                final RecordedThread thread = event.getThread("sampledThread");
                if (thread != null && thread.getJavaName() != null && event.getStackTrace() != null)
                {
                    samples.computeIfAbsent(thread.getJavaName(), k -> new long[Activity.values().length])[activityOf(event.getStackTrace().getFrames()).ordinal()]++;
                }
            }
        }
        finally
        {
            recording.close();
            Files.deleteIfExists(file);
        }
        return samples;
    }

    /**
     * What {@link #stop} found.
     *
     * @param lines       one line per job thread.
     * @param pollerNanos the poller's own CPU, to leave out of the job's.
     */
    record Report(List<String> lines, long pollerNanos)
    {
    }
}
