package io.tidemark.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.task.JobExecutionException;
import io.tidemark.engine.task.JobHandle;
import io.tidemark.engine.testing.Poll;
import io.tidemark.engine.time.WatermarkStrategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checkpoints of whole jobs on real threads: barriers split each stream where the sources
 * injected them, alignment holds inputs only for exactly-once, finished and idle sources do
 * not hold checkpoints back, a timed-out checkpoint is dropped, and a job resumes (after a
 * task failure, in a new run, from a savepoint) with each record's effect counted once.
 */
class CheckpointingTest
{
    private static final Duration INTERVAL = Duration.ofMillis(30);
    private static final int KEYS = 7;

    @TempDir
    Path dir;

    /** A source with a tally chained behind it, keyed by id modulo {@code keys} into counters. */
    private static JobHandle start(final FeedSource source, final Ledger ledger, final int keys, final CheckpointConfig checkpoints,
        final Consumer<StreamExecutionEnvironment> settings)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        if (checkpoints != null)
        {
            env.enableCheckpointing(checkpoints);
        }
        settings.accept(env);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "feed")
            .transform("tally", () -> new Tally(ledger, keys))
            .keyBy(id -> KeyedCounter.keyOf(id, keys))
            .transform("count", () -> new KeyedCounter(ledger, keys));
        return env.executeAsync("checkpointing");
    }

    private static List<CheckpointStats> completed(final JobHandle job)
    {
        return job.checkpointStats().stream().filter(s -> s.status() == CheckpointStats.Status.COMPLETED).toList();
    }

    /** Feeds every split a little whenever the counters have caught up, so the job always has work. */
    private static Runnable feeding(final FeedSource source, final Ledger ledger, final int splits)
    {
        final long[] fed = new long[1];
        return () ->
        {
            if (ledger.processed.get() >= fed[0] - 64)
            {
                for (int split = 0; split < splits; split++)
                {
                    source.feed(split, 8);
                }
                fed[0] += 8L * splits;
            }
        };
    }

    private static Map<Long, Long> countsOf(final FeedSource source, final int splits, final int keys)
    {
        final Map<Long, Long> counts = new HashMap<>();
        for (int split = 0; split < splits; split++)
        {
            for (final long id : source.fed(split))
            {
                counts.merge(KeyedCounter.keyOf(id, keys), 1L, Long::sum);
            }
        }
        return counts;
    }

    private static void endAll(final FeedSource source, final int splits)
    {
        for (int split = 0; split < splits; split++)
        {
            source.end(split);
        }
    }

    @Test
    void eachExactlyOnceSnapshotHoldsExactlyTheRecordsBeforeItsBarrierOnEveryInput()
    {
        final FeedSource source = new FeedSource(4, true);
        final Ledger ledger = new Ledger();
        final JobHandle job = start(source, ledger, KEYS, CheckpointConfig.every(INTERVAL), env -> { });
        Poll.until("five completed checkpoints", () -> completed(job).size() >= 5, feeding(source, ledger, 4));
        endAll(source, 4);
        job.awaitTermination();

        final List<CheckpointStats> done = completed(job);
        assertTrue(done.size() >= 5);
        long checkedWithRecords = 0;
        for (final CheckpointStats stats : done)
        {
            final Map<Long, Long> before = ledger.upstream(stats.id());
            assertEquals(before, ledger.downstream(stats.id()), "the counters' snapshot of checkpoint " + stats.id() + " counts exactly what the sources emitted before it");
            checkedWithRecords += before.isEmpty() ? 0 : 1;
        }
        assertTrue(checkedWithRecords >= 3, "records flowed across the checkpoints: " + checkedWithRecords);
        assertEquals(countsOf(source, 4, KEYS), ledger.finals());
        assertEquals(0, job.restarts());
        assertEquals(done.get(done.size() - 1).id(), job.latestCheckpoint().orElseThrow().id());
    }

    @Test
    void atLeastOnceGoesOnReadingAnInputThatDeliveredTheBarrierWhileExactlyOnceHoldsIt() throws InterruptedException
    {
        for (final DeliveryGuarantee guarantee : List.of(DeliveryGuarantee.AT_LEAST_ONCE, DeliveryGuarantee.EXACTLY_ONCE))
        {
            final FeedSource source = new FeedSource(2, false);
            final Ledger ledger = new Ledger();
            // Source subtask 1 is stuck in a read: it takes no part in the checkpoint until let go.
            source.hold(1);
            final JobHandle job = start(source, ledger, KEYS, CheckpointConfig.every(INTERVAL).withGuarantee(guarantee), env -> { });
            Poll.until("source subtask 0 to pass a barrier", () -> ledger.firstUpstreamSnapshot() > 0);
            final long checkpoint = ledger.firstUpstreamSnapshot();
            source.feed(0, 100);
            if (guarantee == DeliveryGuarantee.AT_LEAST_ONCE)
            {
                Poll.until("the records after the barrier to be counted", () -> ledger.processed.get() == 100);
                assertTrue(completed(job).isEmpty(), "the checkpoint still waits for source subtask 1");
            }
            source.release(1);
            Poll.until("checkpoint " + checkpoint + " to complete", () -> completed(job).stream().anyMatch(s -> s.id() == checkpoint));
            Poll.until("every record to be counted", () -> ledger.processed.get() == 100);
            if (guarantee == DeliveryGuarantee.EXACTLY_ONCE)
            {
                assertEquals(Map.of(), ledger.downstream(checkpoint), "records that followed the barrier stay out of the aligned snapshot");
            }
            else
            {
                assertEquals(100L, ledger.downstream(checkpoint).values().stream().mapToLong(Long::longValue).sum(),
                    "the unaligned snapshot holds the records that followed the barrier on the early input");
            }
            job.cancel();
            job.awaitTermination();
        }
    }

    @Test
    void anIdleSourceSubtaskAndAFinishedOneDoNotHoldCheckpointsBack()
    {
        // Unbounded, one split for two subtasks: subtask 1 is idle for good.
        final FeedSource idle = new FeedSource(1, false);
        final Ledger idleLedger = new Ledger();
        final JobHandle idleJob = start(idle, idleLedger, KEYS, CheckpointConfig.every(INTERVAL), env -> { });
        Poll.until("checkpoints beside an idle subtask", () -> completed(idleJob).size() >= 3, feeding(idle, idleLedger, 1));
        idleJob.cancel();
        idleJob.awaitTermination();

        // Bounded, split 1 empty and ended: source subtask 1 finishes at once, and its input
        // ends for both counters.
        final FeedSource bounded = new FeedSource(2, true);
        bounded.end(1);
        final Ledger ledger = new Ledger();
        final JobHandle job = start(bounded, ledger, KEYS, CheckpointConfig.every(INTERVAL), env -> { });
        Poll.until("checkpoints after a source subtask finished", () -> completed(job).size() >= 3, feeding(bounded, ledger, 1));
        final long last = completed(job).get(completed(job).size() - 1).id();
        assertEquals(ledger.upstream(last), ledger.downstream(last));
        bounded.end(0);
        job.awaitTermination();
        assertEquals(countsOf(bounded, 2, KEYS), ledger.finals());
    }

    @Test
    void aCheckpointThatTimesOutIsAbortedAndTheNextOneCompletes() throws InterruptedException
    {
        final FeedSource source = new FeedSource(2, false);
        final Ledger ledger = new Ledger();
        source.hold(1);
        final JobHandle job = start(source, ledger, KEYS, CheckpointConfig.every(INTERVAL).withTimeout(Duration.ofMillis(300)), env -> { });
        Poll.until("a checkpoint to time out", () -> job.checkpointStats().stream().anyMatch(s -> s.status() == CheckpointStats.Status.ABORTED));
        final CheckpointStats aborted = job.checkpointStats().stream().filter(s -> s.status() == CheckpointStats.Status.ABORTED).findFirst().orElseThrow();
        assertTrue(aborted.failure().contains("timed out"), aborted.failure());
        assertTrue(completed(job).isEmpty());
        Poll.until("the counters to hear of the abort", () -> ledger.aborted.get() > 0);
        source.release(1);
        Poll.until("a later checkpoint to complete", () -> completed(job).stream().anyMatch(s -> s.id() > aborted.id()), feeding(source, ledger, 2));
        final long next = completed(job).get(0).id();
        assertEquals(ledger.upstream(next), ledger.downstream(next), "the counters released the aborted alignment and aligned the next one");
        job.cancel();
        job.awaitTermination();
    }

    @Test
    void aFailedTaskRestartsFromTheLastCheckpointAndCountsEachRecordOnce()
    {
        final FeedSource source = new FeedSource(2, true);
        final Ledger ledger = new Ledger();
        ledger.failAfterCheckpoint = 2;
        final JobHandle job = start(source, ledger, 0, CheckpointConfig.every(INTERVAL), env -> env.getConfig().restartStrategy(2, Duration.ZERO));
        final Runnable feed = feeding(source, ledger, 2);
        Poll.until("the job to restart", () -> job.restarts() == 1, feed);
        final long restoredFrom = job.latestCheckpoint().orElseThrow().id();
        Poll.until("a checkpoint after the restart", () -> job.latestCheckpoint().orElseThrow().id() > restoredFrom, feed);
        endAll(source, 2);
        job.awaitTermination();

        assertTrue(ledger.failed.get());
        assertEquals(1, job.restarts());
        final Map<Long, Long> counts = ledger.finals();
        assertEquals(countsOf(source, 2, 0).keySet(), counts.keySet(), "every record was counted");
        counts.forEach((id, count) -> assertEquals(1L, count, "record " + id + " counted once"));
    }

    @Test
    void withoutRestartAttemptsAFailedTaskFailsTheJob()
    {
        final FeedSource source = new FeedSource(1, true);
        final Ledger ledger = new Ledger();
        ledger.failAfterCheckpoint = 1;
        final JobHandle job = start(source, ledger, KEYS, CheckpointConfig.every(INTERVAL), env -> { });
        Poll.until("the injected failure", ledger.failed::get, feeding(source, ledger, 1));
        final JobExecutionException failure = assertThrows(JobExecutionException.class, job::awaitTermination);
        assertTrue(failure.getCause().getMessage().contains("the injected failure"), failure.getCause().getMessage());
        assertEquals(0, job.restarts());
    }

    @Test
    void eachOpenReaderHearsOfACompletedCheckpointWithTheSplitItStored()
    {
        final FeedSource source = new FeedSource(2, false);
        final Ledger ledger = new Ledger();
        final JobHandle job = start(source, ledger, KEYS, CheckpointConfig.every(INTERVAL), env -> { });
        source.feed(0, 40);
        source.feed(1, 25);
        try
        {
            Poll.until("a completed checkpoint after every record, told to the readers", () -> Map.of(0, 40L, 1, 25L).equals(source.completedOffsets()));
        }
        finally
        {
            job.cancel();
            job.awaitTermination();
        }
    }

    @Test
    void aJobStartedAgainOnTheSameCheckpointDirectoryResumesItsLatestCheckpoint()
    {
        final FeedSource source = new FeedSource(2, true);
        final CheckpointConfig checkpoints = CheckpointConfig.every(INTERVAL).withDirectory(dir.resolve("checkpoints"));
        final Ledger first = new Ledger();
        final JobHandle firstRun = start(source, first, 0, checkpoints, env -> { });
        Poll.until("two completed checkpoints, the latest holding records",
            () -> completed(firstRun).size() >= 2 && !first.upstream(completed(firstRun).get(completed(firstRun).size() - 1).id()).isEmpty(), feeding(source, first, 2));
        firstRun.cancel();
        firstRun.awaitTermination();
        final CompletedCheckpoint latest = firstRun.latestCheckpoint().orElseThrow();
        assertTrue(Files.isDirectory(latest.directory()));

        source.feed(0, 50);
        source.feed(1, 50);
        endAll(source, 2);
        final Ledger second = new Ledger();
        final JobHandle secondRun = start(source, second, 0, checkpoints, env -> { });
        assertEquals(latest.id(), secondRun.latestCheckpoint().orElseThrow().id(), "the second run starts from the first run's latest checkpoint");
        secondRun.awaitTermination();
        final Map<Long, Long> all = countsOf(source, 2, 0);
        final Map<Long, Long> counts = second.finals();
        assertEquals(all.keySet(), counts.keySet(), "every record was counted, before or after the checkpoint");
        counts.forEach((id, count) -> assertEquals(1L, count, "record " + id + " counted once"));
        assertEquals(all.size() - first.upstream(latest.id()).size(), second.processed.get(), "the second run read on from the checkpoint");
    }

    @Test
    void atMostOnceResumesTheRecordedPositionsWithEmptyStateAndNeverCountsARecordTwice() throws IOException
    {
        final FeedSource source = new FeedSource(2, true);
        final Ledger ledger = new Ledger();
        ledger.failAfterRecords = 200;
        final Path checkpointDirectory = dir.resolve("at-most-once");
        final CheckpointConfig checkpoints = CheckpointConfig.every(INTERVAL).withGuarantee(DeliveryGuarantee.AT_MOST_ONCE).withDirectory(checkpointDirectory);
        final JobHandle first = start(source, ledger, 0, checkpoints, env -> env.getConfig().restartStrategy(1, Duration.ZERO));
        Poll.until("the job to restart", () -> first.restarts() == 1, feeding(source, ledger, 2));
        final long countedBefore = ledger.processed.get();
        Poll.until("records counted after the restart", () -> ledger.processed.get() > countedBefore + 100, feeding(source, ledger, 2));
        first.cancel();
        first.awaitTermination();
        assertTrue(first.checkpointStats().isEmpty(), "at most once takes no periodic checkpoints");
        assertTrue(Files.isDirectory(checkpointDirectory.resolve("positions")));

        // A new run on the same directory reads on from where the last one recorded.
        source.feed(0, 50);
        source.feed(1, 50);
        final List<Long> last = List.of(source.fed(0).get(source.fed(0).size() - 1), source.fed(1).get(source.fed(1).size() - 1));
        endAll(source, 2);
        final JobHandle second = start(source, ledger, 0, checkpoints, env -> { });
        second.awaitTermination();
        ledger.seen.forEach((id, times) -> assertEquals(1, times, "record " + id + " counted at most once"));
        assertTrue(ledger.seen.keySet().containsAll(last), "the second run read the records fed after the first");
        assertTrue(ledger.seen.size() < countsOf(source, 2, 0).size(), "the record that failed the counter is lost, not read again");

        final Path positions;
        try (Stream<Path> files = Files.list(checkpointDirectory.resolve("positions")))
        {
            positions = files.filter(f -> f.getFileName().toString().endsWith("-0")).findFirst().orElseThrow();
        }
        final byte[] damaged = Files.readAllBytes(positions);
        damaged[damaged.length - 1] ^= 1;
        Files.write(positions, damaged);
        final UncheckedIOException refused = assertThrows(UncheckedIOException.class, () -> start(source, new Ledger(), 0, checkpoints, env -> { }));
        assertTrue(refused.getMessage().contains(positions.toString()) && refused.getMessage().contains("damaged"), refused.getMessage());
        assertEquals(damaged.length, Files.size(positions), "the damaged file is left as it was");
    }

    /** At another parallelism the keyed counts move to the subtasks that own their key groups now, and the splits are dealt again. */
    @ParameterizedTest
    @ValueSource(ints = {2, 1, 3})
    void aSavepointRestoresIntoANewJob(final int parallelism) throws Exception
    {
        final FeedSource source = new FeedSource(3, true);
        final Ledger first = new Ledger();
        final JobHandle firstRun = start(source, first, 0, CheckpointConfig.every(Duration.ofHours(1)), env -> { });
        source.feed(0, 40);
        source.feed(1, 40);
        Poll.until("the first records to be counted", () -> first.processed.get() == 80);
        final Path savepointDirectory = dir.resolve("savepoint");
        final CompletedCheckpoint savepoint = firstRun.triggerSavepoint(savepointDirectory).get(20, TimeUnit.SECONDS);
        assertTrue(savepoint.directory().startsWith(savepointDirectory));
        assertTrue(firstRun.checkpointStats().get(0).savepoint());
        source.feed(2, 40);
        firstRun.cancel();
        firstRun.awaitTermination();
        assertThrows(IllegalArgumentException.class, () -> firstRun.triggerSavepoint(savepointDirectory), "a savepoint never overwrites another");

        endAll(source, 3);
        final Ledger second = new Ledger();
        final JobHandle secondRun = start(source, second, 0, null, env ->
        {
            env.setParallelism(parallelism);
            env.getConfig().restoreFrom(savepointDirectory);
        });
        secondRun.awaitTermination();
        final Map<Long, Long> counts = second.finals();
        assertEquals(countsOf(source, 3, 0).keySet(), counts.keySet());
        counts.forEach((id, count) -> assertEquals(1L, count, "record " + id + " counted once at parallelism " + parallelism));
        assertEquals(40, second.processed.get(), "only what followed the savepoint was read again");
        assertFalse(secondRun.latestCheckpoint().isPresent(), "a job without checkpoints keeps none");
    }
}
