package io.tidemark.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.task.JobHandle;
import io.tidemark.engine.testing.Poll;
import io.tidemark.engine.time.WatermarkStrategy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Splits that appear while a job runs: a source subtask finds them by discovery (one that
 * started with no split too), reads them with their own readers, stores them in its
 * checkpoints and at-most-once positions, and a job resumed from those, also at another
 * parallelism, knows them and reads on from where they stood, never reading a record twice.
 */
class SplitDiscoveryTest
{
    private static final Duration INTERVAL = Duration.ofMillis(30);

    @TempDir
    Path dir;

    /** The feed, a tally chained behind it, and counters keyed by record id. */
    private static JobHandle start(final FeedSource source, final Ledger ledger, final int parallelism, final CheckpointConfig checkpoints)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(parallelism);
        env.enableCheckpointing(checkpoints);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "feed")
            .transform("tally", () -> new Tally(ledger, 0))
            .keyBy(id -> id)
            .transform("count", () -> new KeyedCounter(ledger, 0));
        return env.executeAsync("discovery");
    }

    private static boolean holdsRecordsOf(final Map<Long, Long> counts, final int split)
    {
        return counts.keySet().stream().anyMatch(id -> id / 1_000_000 == split);
    }

    private static Set<Long> allFed(final FeedSource source, final int splits)
    {
        final Set<Long> all = new HashSet<>();
        for (int split = 0; split < splits; split++)
        {
            all.addAll(source.fed(split));
        }
        return all;
    }

    @Test
    void splitsFoundWhileTheJobRunsAreCheckpointedAndResumedAtAnotherParallelismEachRecordCountedOnce()
    {
        final FeedSource feed = new FeedSource(4, false, 1);
        final CheckpointConfig checkpoints = CheckpointConfig.every(INTERVAL).withDirectory(dir.resolve("checkpoints"));
        final Ledger first = new Ledger();
        final JobHandle firstRun = start(feed, first, 2, checkpoints);
        feed.feed(0, 20);
        // Split 1 belongs to subtask 1, which started without any; split 2 to subtask 0.
        assertEquals(1, feed.announce());
        assertEquals(2, feed.announce());
        feed.feed(1, 20);
        feed.feed(2, 20);
        Poll.until("the discovered splits to be read", () -> first.processed.get() == 60);
        Poll.until("a completed checkpoint holding records of both discovered splits", () ->
        {
            final List<CheckpointStats> completed = firstRun.checkpointStats().stream().filter(s -> s.status() == CheckpointStats.Status.COMPLETED).toList();
            final Map<Long, Long> upstream = completed.isEmpty() ? Map.of() : first.upstream(completed.get(completed.size() - 1).id());
            return holdsRecordsOf(upstream, 1) && holdsRecordsOf(upstream, 2);
        });
        first.seen.forEach((id, times) -> assertEquals(1, times, "record " + id + " read once"));
        firstRun.cancel();
        firstRun.awaitTermination();

        for (int split = 0; split < 3; split++)
        {
            feed.feed(split, 30);
        }
        final Ledger second = new Ledger();
        final JobHandle secondRun = start(feed.asBounded(), second, 3, checkpoints);
        // Split 3 appears while the resumed run reads: subtask 0 of 3 finds it.
        assertEquals(3, feed.announce());
        feed.feed(3, 20);
        Poll.until("the split announced in the resumed run to be read", () -> second.seen.containsKey(3_000_019L));
        for (int split = 0; split < 4; split++)
        {
            feed.end(split);
        }
        secondRun.awaitTermination();
        final Map<Long, Long> counts = second.finals();
        assertEquals(allFed(feed, 4), counts.keySet(), "every record was counted, before the checkpoint or after it");
        counts.forEach((id, count) -> assertEquals(1L, count, "record " + id + " counted once"));
        second.seen.forEach((id, times) -> assertEquals(1, times, "record " + id + " read once by the resumed run"));
        assertTrue(second.processed.get() >= 3 * 30 + 20, "the resumed run read what was fed after the checkpoint");
    }

    @Test
    void atMostOnceRecordsDiscoveredSplitsInThePositionFiles()
    {
        final FeedSource feed = new FeedSource(2, false, 0);
        final CheckpointConfig checkpoints = CheckpointConfig.every(INTERVAL).withGuarantee(DeliveryGuarantee.AT_MOST_ONCE).withDirectory(dir.resolve("at-most-once"));
        final Ledger first = new Ledger();
        final JobHandle firstRun = start(feed, first, 2, checkpoints);
        assertEquals(0, feed.announce());
        assertEquals(1, feed.announce());
        feed.feed(0, 25);
        feed.feed(1, 25);
        Poll.until("the discovered splits to be read", () -> first.processed.get() == 50);
        firstRun.cancel();
        firstRun.awaitTermination();

        feed.feed(0, 10);
        feed.feed(1, 10);
        feed.end(0);
        feed.end(1);
        final Ledger second = new Ledger();
        final JobHandle secondRun = start(feed.asBounded(), second, 1, checkpoints);
        secondRun.awaitTermination();
        assertEquals(20, second.processed.get(), "the resumed run read on from the recorded positions of the discovered splits");
        second.seen.keySet().forEach(id -> assertTrue(id % 1_000_000 >= 25, "record " + id + " was read by the first run already"));
    }
}
