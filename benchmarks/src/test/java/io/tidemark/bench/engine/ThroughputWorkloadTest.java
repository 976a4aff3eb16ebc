package io.tidemark.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.tidemark.engine.checkpoint.CheckpointStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThroughputWorkloadTest
{
    @TempDir
    Path scratch;

    @Test
    void checkpointedWorkloadsGiveTheChecksumOfTheirUncheckpointedOnesAndLeaveNoCheckpointBehind() throws IOException
    {
        for (final ThroughputWorkload workload : List.of(ThroughputWorkload.W4, ThroughputWorkload.W3C))
        {
            // run checks the checksum against the uncheckpointed workload's and throws if it differs.
            final ThroughputWorkload.Result result = workload.run(1_000_000, scratch);
            assertEquals(workload.uncheckpointed().run(1_000_000).windows(), result.windows(), workload + ": the same windows");
            try (Stream<Path> left = Files.list(scratch))
            {
                assertEquals(List.of(), left.toList(), workload + ": the run's checkpoint directory is deleted");
            }
        }
        assertNull(ThroughputWorkload.W1.uncheckpointed());
        assertTrue(ThroughputWorkload.W1.run(100_000, scratch).checkpoints().isEmpty());
    }

    @Test
    void withLatenessTheWorkloadsGiveTheWindowsOfThePlainOnes()
    {
        // No event is later than the watermark's bound: lateness keeps state longer, changes no result.
        assertEquals(ThroughputWorkload.W1.run(200_000, scratch).windows(), ThroughputWorkload.W1L.run(200_000, scratch).windows());
        assertEquals(ThroughputWorkload.W3.run(200_000, scratch).windows(), ThroughputWorkload.W3L.run(200_000, scratch).windows());
    }

    @Test
    void theSummaryGivesMediansAndMaximaOfTheCompletedCheckpoints()
    {
        final List<CheckpointStats> stats = List.of(
            new CheckpointStats(1, 0, CheckpointStats.Status.COMPLETED, 40, 2L << 20, 3, 1, false, null),
            new CheckpointStats(2, 0, CheckpointStats.Status.ABORTED, 900, 0, 0, 0, false, "timed out"),
            new CheckpointStats(3, 0, CheckpointStats.Status.COMPLETED, 10, 1L << 20, 0, 5, false, null),
            new CheckpointStats(4, 0, CheckpointStats.Status.COMPLETED, 30, 1L << 20, 7, 2, false, null));
        assertEquals("checkpoints: 3 completed, 1 aborted; median (max): duration 30 (40) ms, size 1.00 (2.00) MiB, alignment 3 (7) ms, sync 2 (5) ms",
            CheckpointFigures.summarize(stats));
        assertEquals("checkpoint 2 ABORTED: 900 ms, 0.00 MiB, alignment 0 ms, sync 0 ms (timed out)", CheckpointFigures.describe(stats.get(1)));
        assertEquals("checkpoints: none completed, 1 aborted", CheckpointFigures.summarize(stats.subList(1, 2)));
    }
}
