package io.tidemark.runtime.jobs;

import static io.tidemark.runtime.jobs.JobsUnderTest.bootstrap;
import static io.tidemark.runtime.jobs.JobsUnderTest.createTopic;
import static io.tidemark.runtime.jobs.JobsUnderTest.jarOf;
import static io.tidemark.runtime.jobs.JobsUnderTest.produce;
import static io.tidemark.runtime.jobs.JobsUnderTest.readCommitted;
import static io.tidemark.runtime.jobs.JobsUnderTest.server;
import static io.tidemark.runtime.jobs.JobsUnderTest.status;
import static io.tidemark.runtime.jobs.JobsUnderTest.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.tidemark.runtime.broker.BrokerServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job whose task throws a {@link StackOverflowError} on every record is restarted as its
 * policy says, then fails for good; meanwhile and afterwards Kafka clients of the same server
 * produce and fetch as if nothing happened.
 */
class JobRestartTest
{
    @TempDir
    Path dataDir;

    @Test
    void aFailingJobRestartsPerItsPolicyThenFailsWhileTheBrokerServes() throws Exception
    {
        try (BrokerServer server = server(dataDir))
        {
            final JobManager jobs = server.jobs();
            createTopic(server.logs(), "poison", 1);
            createTopic(server.logs(), "orders", 2);
            final String jar = jobs.storeJar(new ByteArrayInputStream(jarOf(OverflowJob.class)));
            produce(bootstrap(server), "poison", List.of("k"), List.of("deep"), 0);
            final RestartPolicy policy = new RestartPolicy(2, Duration.ofMillis(500), 2, Duration.ofSeconds(1), null);
            final JobStatus submitted = jobs.submit(new JobSubmission("overflow", null, jar, OverflowJob.class.getName(), List.of("poison"), null, null, null,
                policy, null));

            until("a restart after the failure", () -> status(jobs, submitted.id()).restarts() >= 1 || status(jobs, submitted.id()).state() == JobState.RESTARTING);
            roundTrip(server, 0);
            until("the job to fail for good", () -> status(jobs, submitted.id()).state() == JobState.FAILED);
            final JobStatus failed = status(jobs, submitted.id());
            assertEquals(2, failed.restarts());
            assertTrue(failed.failure().contains("StackOverflowError"), failed.failure());
            assertEquals(0, failed.uptimeMillis());
            roundTrip(server, 100);

            final JobSubmissionException notRunning = assertThrows(JobSubmissionException.class, () -> jobs.cancel(submitted.id(), false));
            assertEquals(JobSubmissionException.Kind.CONFLICT, notRunning.kind());
        }
    }

    /** Produces 100 records and fetches them back with a Kafka consumer. */
    private static void roundTrip(final BrokerServer server, final int first)
    {
        final List<String> keys = java.util.stream.IntStream.range(first, first + 100).mapToObj(i -> "key-" + i).toList();
        produce(bootstrap(server), "orders", keys, keys, System.currentTimeMillis());
        final List<String> fetched = readCommitted(bootstrap(server), "orders", 2, values -> values.size() >= first + 100);
        assertTrue(fetched.containsAll(keys), "fetched " + fetched.size());
    }
}
