package io.tidemark.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.tidemark.engine.checkpoint.DeliveryGuarantee;
import io.tidemark.log.LogConfig;
import io.tidemark.log.topic.LogManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ClickCounts} through kill -9: the test writes the input, runs the job as a process of
 * its own ({@link ClickCountsProcess}) on that data directory, kills it with SIGKILL at random
 * moments and starts it again, until a run has counted every window of the input and stopped.
 * Most kills come when the job's progress (its sources' watermark) passes a random point of
 * the input, somewhere within the next checkpoint interval; one in four comes at a random
 * moment of the start, while the job restores. A run that finishes before its kill is followed
 * by another on the finished job (which must write nothing more), so every planned kill
 * happens. The output is then held against the counts computed in one batch from the input:
 * <ul>
 *   <li>exactly once (tumbling windows): a read_committed reader of the output topic sees
 *       every window once with the batch count, nothing else, and no transaction is left
 *       open; the upsert table holds exactly the batch result;</li>
 *   <li>at least once (session windows): every window with the batch count, no click counted
 *       twice, the upsert table exactly the batch result; repeated results are counted;</li>
 *   <li>at most once (tumbling windows): no window twice, no click counted twice; lost clicks
 *       are counted.</li>
 * </ul>
 * Kills per guarantee: {@code -Dtidemark.crash.kills} (7 by default, so 21 in all); the seed
 * {@code -Dtidemark.crash.seed} (random by default, in every failure message); the input
 * {@code -Dtidemark.crash.clicks} clicks (100,000 by default); {@code -Dtidemark.crash.windows}
 * ({@code tumbling} or {@code session}) the windows of all three.
 */
class ClickCountsUnderKillsTest
{
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);
    private static final int EARLY_KILL_MILLIS = 1_500;
    private static final int CLICKS = Integer.getInteger("tidemark.crash.clicks", 100_000);

    @TempDir
    Path dir;

    @Test
    void exactlyOnceLosesNothingAndDuplicatesNothing()
    {
        final ClickCountsCheck check = underKills(DeliveryGuarantee.EXACTLY_ONCE, ClickCounts.Windows.TUMBLING);
        assertTrue(check.exact(), check.toString());
    }

    @Test
    void atLeastOnceLosesNothingAndTheTableEndsEqualToTheBatchResult()
    {
        final ClickCountsCheck check = underKills(DeliveryGuarantee.AT_LEAST_ONCE, ClickCounts.Windows.SESSION);
        assertEquals(0, check.lostWindows(), check.toString());
        assertEquals(0, check.unexpected(), check.toString());
        assertEquals(0, check.overcounted(), check.toString());
        assertEquals(0, check.clicksLost(), check.toString());
        assertEquals(0, check.tableMismatches(), check.toString());
    }

    @Test
    void atMostOnceCountsNothingTwice()
    {
        final ClickCountsCheck check = underKills(DeliveryGuarantee.AT_MOST_ONCE, ClickCounts.Windows.TUMBLING);
        assertEquals(0, check.duplicates(), check.toString());
        assertEquals(0, check.overcounted(), check.toString());
    }

    private ClickCountsCheck underKills(final DeliveryGuarantee guarantee, final ClickCounts.Windows usually)
    {
        final String windowsProperty = System.getProperty("tidemark.crash.windows");
        final ClickCounts.Windows windows = windowsProperty == null ? usually : ClickCounts.Windows.valueOf(windowsProperty.toUpperCase(Locale.ROOT));
        final long seed = Long.getLong("tidemark.crash.seed", System.nanoTime());
        final int kills = Integer.getInteger("tidemark.crash.kills", 7);
        final List<String> events = new ArrayList<>();
        try
        {
            return run(new ClickCounts.Settings(dir, guarantee, windows), new Random(seed), kills, events);
        }
        catch (final Exception | AssertionError e)
        {
            throw new AssertionError(guarantee + " " + windows + ", seed " + seed + " (-Dtidemark.crash.seed=" + seed + "): " + e.getMessage()
                + "\nevents: " + events, e);
        }
    }

    private ClickCountsCheck run(final ClickCounts.Settings settings, final Random random, final int kills, final List<String> events)
        throws Exception
    {
        final long seed = random.nextLong();
        try (LogManager logs = LogManager.open(dir, LogConfig.DEFAULTS))
        {
            ClickCounts.writeInput(logs, CLICKS, seed);
        }
        final long start = System.nanoTime();
        final JobProcess job = new JobProcess(settings);
        final Supplier<String> context = () -> events + "\njob: " + job.tail();
        int killed = 0;
        int earlyKills = 0;
        int finishedFirst = 0;
        try
        {
            final List<Long> plan = plan(random, kills);
            while (killed < plan.size())
            {
                final long point = plan.get(killed);
                job.start();
                if (point < 0)
                {
                    job.awaitExitOrTimeout(random.nextInt(EARLY_KILL_MILLIS));
                }
                else
                {
                    job.awaitProgress(point, context);
                    // Somewhere before, during or after the next checkpoint.
                    job.awaitExitOrTimeout(random.nextInt((int)ClickCounts.CHECKPOINT_INTERVAL.toMillis()));
                }
                if (job.finished())
                {
                    // Quicker than the kill: the next run starts on a finished job, which must write nothing more. On a quiet
                    // machine a run on a finished job often ends before its kill; past a bound the plan's last kills are left out.
                    events.add("finished before kill " + (killed + 1) + " (" + seconds(start) + " s)");
                    if (++finishedFirst > kills)
                    {
                        break;
                    }
                    continue;
                }
                events.add((point < 0 ? "kill while starting" : "kill at " + (job.progress() - ClickCounts.START_TIME) + " ms of event time") + " ("
                    + seconds(start) + " s)");
                job.kill9();
                killed++;
                earlyKills += point < 0 ? 1 : 0;
            }
            job.start();
            job.awaitExit(RUN_TIMEOUT, context);
        }
        finally
        {
            job.kill9();   // a run that failed the test must not outlive it
        }
        final int runs = job.starts();
        assertTrue(job.finished(), () -> "the last run ended without finishing; " + context.get());
        final ClickCountsCheck check;
        try (LogManager logs = LogManager.open(dir, LogConfig.DEFAULTS))
        {
            check = ClickCountsCheck.of(logs, settings);
        }
        System.out.printf(Locale.ROOT, "%s %s: %d kills (%d while starting), %d runs, %.1f s: %s%n", settings.guarantee(), settings.windows(), killed,
            earlyKills, runs, (System.nanoTime() - start) / 1e9, check);
        return check;
    }

    /** Kill points: a progress in event time to wait for, or -1 for a kill while starting (one in four). */
    private static List<Long> plan(final Random random, final int kills)
    {
        final List<Long> points = new ArrayList<>();
        for (int i = 0; i < kills; i++)
        {
            points.add(ClickCounts.START_TIME + (long)(CLICKS * (0.05 + 0.9 * random.nextDouble())));
        }
        points.sort(null);
        for (int i = 0; i < kills; i++)
        {
            if (random.nextInt(4) == 0)
            {
                points.set(i, -1L);
            }
        }
        return points;
    }

    private static long seconds(final long since)
    {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since);
    }

    /** The job's process, started again after each kill, and the progress it prints. */
    private static final class JobProcess
    {
        private final ClickCounts.Settings settings;
        private final List<String> output = new CopyOnWriteArrayList<>();
        private final AtomicLong progress = new AtomicLong(Long.MIN_VALUE);
        private volatile boolean finished;
        private Process process;
        private int starts;

        JobProcess(final ClickCounts.Settings settings)
        {
            this.settings = settings;
        }

        void start() throws IOException
        {
            progress.set(Long.MIN_VALUE);
            final Process started = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                ClickCountsProcess.class.getName(), settings.dataDir().toString(), settings.guarantee().name(), settings.windows().name())
                .redirectErrorStream(true).start();
            final Thread reader = new Thread(() -> read(started), "click-counts-output");
            reader.setDaemon(true);
            reader.start();
            process = started;
            starts++;
        }

        private void read(final Process from)
        {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(from.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = lines.readLine()) != null)
                {
                    if (line.startsWith(ClickCounts.PROGRESS))
                    {
                        progress.set(Long.parseLong(line.substring(ClickCounts.PROGRESS.length())));
                    }
                    else
                    {
                        finished |= line.equals(ClickCounts.FINISHED);
                        output.add(line);
                    }
                }
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException(e);
            }
        }

        int starts()
        {
            return starts;
        }

        long progress()
        {
            return progress.get();
        }

        boolean finished()
        {
            return finished && !process.isAlive() && process.exitValue() == 0;
        }

        String tail()
        {
            final List<String> lines = List.copyOf(output);
            return "progress " + progress.get() + ", " + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        }

        /** Waits until the job's watermark reaches {@code point}, failing if it exits or takes too long. */
        void awaitProgress(final long point, final Supplier<String> context) throws InterruptedException
        {
            final long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
            while (progress.get() < point)
            {
                if (!process.isAlive())
                {
                    awaitOutput();
                    assertTrue(finished, () -> "the job exited with " + process.exitValue() + "; " + context.get());
                    return;
                }
                assertTrue(System.nanoTime() - deadline < 0, () -> "the job did not reach " + point + " in " + RUN_TIMEOUT + "; " + context.get());
                Thread.sleep(5);
            }
        }

        void awaitExitOrTimeout(final long millis) throws InterruptedException
        {
            if (process.waitFor(millis, TimeUnit.MILLISECONDS))
            {
                awaitOutput();
            }
        }

        void awaitExit(final Duration timeout, final Supplier<String> context) throws InterruptedException
        {
            assertTrue(process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS), () -> "the job did not finish in " + timeout + "; " + context.get());
            awaitOutput();
            assertEquals(0, process.exitValue(), () -> "the job failed; " + context.get());
        }

        /** The reader thread may not have read the last lines of a process that has just exited. */
        private void awaitOutput() throws InterruptedException
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!finished && process.exitValue() == 0 && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(5);
            }
        }

        void kill9() throws InterruptedException
        {
            if (process != null && process.isAlive())
            {
                output.add("(killed)");
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
