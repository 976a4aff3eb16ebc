package io.tidemark.runtime.jobs;

import static io.tidemark.runtime.jobs.JobsUnderTest.bootstrap;
import static io.tidemark.runtime.jobs.JobsUnderTest.produce;
import static io.tidemark.runtime.jobs.JobsUnderTest.readCommitted;
import static io.tidemark.runtime.jobs.JobsUnderTest.server;
import static io.tidemark.runtime.jobs.JobsUnderTest.status;
import static io.tidemark.runtime.jobs.JobsUnderTest.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.tidemark.examples.ClickCounts;
import io.tidemark.runtime.broker.BrokerServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's built-in {@code click-counts}: submitted by name, it counts what a Kafka
 * producer sends and reports its records in and out and its operators' watermarks while it
 * runs; cancelled with a savepoint, it resumes from the savepoint and goes on counting.
 */
class BuiltinJobTest
{
    private static final int USERS = 20;

    @TempDir
    Path dataDir;

    @Test
    void clickCountsRunsCancelsWithASavepointAndResumesFromIt() throws Exception
    {
        try (BrokerServer server = server(dataDir))
        {
            final JobManager jobs = server.jobs();
            assertTrue(jobs.builtins().stream().anyMatch(builtin -> builtin.name().equals("click-counts") && builtin.description().contains("clicks")),
                jobs.builtins().toString());

            final JobStatus submitted = jobs.submit(JobSubmission.builtin("click-counts", List.of("exactly-once", "tumbling")));
            assertEquals(JobState.RUNNING, submitted.state());
            assertEquals("click-counts", submitted.name());
            assertTrue(submitted.id().matches("[0-9a-f]{8}"), submitted.id());
            assertTrue(Files.isRegularFile(dataDir.resolve("jobs").resolve(submitted.id()).resolve("job.json")));

            clicks(server, 0, 3_000);
            until("clicks read and window results written", () ->
            {
                final JobStatus status = status(jobs, submitted.id());
                return status.recordsIn() >= 3_000 && status.recordsOut() > 0;
            });
            final JobStatus running = status(jobs, submitted.id());
            assertEquals(JobState.RUNNING, running.state());
            assertTrue(running.uptimeMillis() >= 0);
            final OperatorStatus source = running.operators().get(0);
            assertEquals("clicks", source.name());
            assertTrue(source.watermark() > ClickCounts.START_TIME && source.watermarkLagMillis() > 0, source.toString());
            assertTrue(readCommitted(bootstrap(server), ClickCounts.OUTPUT_TOPIC, 2, values -> !values.isEmpty()).get(0).startsWith("user-"));

            final JobDetail detail = jobs.detail(submitted.id()).orElseThrow();
            assertFalse(detail.vertices().isEmpty());
            assertFalse(detail.edges().isEmpty());
            assertTrue(detail.edges().stream().anyMatch(edge -> edge.partitioning().equals("hash")), detail.edges().toString());

            final JobStatus.CheckpointSummary savepoint = jobs.cancel(submitted.id(), true).get(30, TimeUnit.SECONDS);
            assertNotNull(savepoint);
            assertTrue(Files.isDirectory(Path.of(savepoint.path())), savepoint.path());
            final JobStatus cancelled = status(jobs, submitted.id());
            assertEquals(JobState.CANCELLED, cancelled.state());
            assertNull(cancelled.failure());
            assertEquals(0, cancelled.uptimeMillis());

            final JobStatus resumed = jobs.resume(submitted.id(), Path.of(savepoint.path()));
            assertEquals(JobState.RUNNING, resumed.state());
            assertEquals(savepoint.id(), resumed.lastCheckpoint().id());
            clicks(server, 3_000, 2_000);
            until("the resumed job reading the new clicks", () -> status(jobs, submitted.id()).recordsIn() >= 2_000);
            assertEquals(JobState.RUNNING, status(jobs, submitted.id()).state());
        }
    }

    /** Clicks of 20 users, one per millisecond of event time from the examples' start time plus {@code first}. */
    private static void clicks(final BrokerServer server, final int first, final int count)
    {
        final List<String> users = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            users.add("user-" + (first + i) % USERS);
        }
        produce(bootstrap(server), ClickCounts.INPUT_TOPIC, users, users, ClickCounts.START_TIME + first);
    }
}
