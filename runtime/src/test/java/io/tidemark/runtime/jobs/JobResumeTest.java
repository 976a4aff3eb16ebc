package io.tidemark.runtime.jobs;

import static io.tidemark.runtime.jobs.JobsUnderTest.bootstrap;
import static io.tidemark.runtime.jobs.JobsUnderTest.createTopic;
import static io.tidemark.runtime.jobs.JobsUnderTest.jarOf;
import static io.tidemark.runtime.jobs.JobsUnderTest.produce;
import static io.tidemark.runtime.jobs.JobsUnderTest.readCommitted;
import static io.tidemark.runtime.jobs.JobsUnderTest.server;
import static io.tidemark.runtime.jobs.JobsUnderTest.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.tidemark.log.LogConfig;
import io.tidemark.log.topic.LogManager;
import io.tidemark.runtime.broker.BrokerServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server closed and started again on its data directory resumes the job that was running
 * from its last checkpoint, its state with it: the counts it writes go on where they were,
 * each written once. A cancelled job stays cancelled, and a job that can no longer be defined
 * is marked failed while the server starts.
 */
class JobResumeTest
{
    private static final List<String> KEYS = List.of("a", "b", "c");

    @TempDir
    Path dataDir;

    @Test
    void aRestartedServerResumesItsRunningJobWithItsStateAndLeavesACancelledOneCancelled() throws Exception
    {
        final String counting;
        final String cancelled;
        final String undefinable;
        try (BrokerServer server = server(dataDir))
        {
            final JobManager jobs = server.jobs();
            createTopic(server.logs(), "values", 2);
            createTopic(server.logs(), "counts", 1);
            createTopic(server.logs(), "other-counts", 1);
            createTopic(server.logs(), "more-counts", 1);
            final String jar = jobs.storeJar(new ByteArrayInputStream(jarOf(CountingJob.class)));
            counting = jobs.submit(countingJob(jar, "counts")).id();
            cancelled = jobs.submit(countingJob(jar, "other-counts")).id();
            undefinable = jobs.submit(countingJob(jar, "more-counts")).id();
            jobs.cancel(cancelled, false).get(30, TimeUnit.SECONDS);
            values(server, 100);
            readCommitted(bootstrap(server), "counts", 1, counted -> counted.containsAll(List.of("a,100", "b,100", "c,100")));
            assertEquals(0, jobs.resumed());
        }
        // A job whose output topic is gone cannot be defined again.
        try (LogManager logs = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            logs.deleteTopic("more-counts");
        }

        try (BrokerServer server = server(dataDir))
        {
            final JobManager jobs = server.jobs();
            assertEquals(1, jobs.resumed());
            assertEquals(JobState.RUNNING, status(jobs, counting).state());
            assertEquals(JobState.CANCELLED, status(jobs, cancelled).state());
            final JobStatus failed = status(jobs, undefinable);
            assertEquals(JobState.FAILED, failed.state());
            assertTrue(failed.failure().contains("cannot be defined: topic 'more-counts' does not exist"), failed.failure());
            assertNotNull(status(jobs, counting).lastCheckpoint(), "resumed from a checkpoint");

            values(server, 50);
            final List<String> counted = readCommitted(bootstrap(server), "counts", 1, values -> values.containsAll(List.of("a,150", "b,150", "c,150")));
            final Map<String, List<Long>> perKey = new HashMap<>();
            for (final String value : counted)
            {
                final String[] parts = value.split(",");
                perKey.computeIfAbsent(parts[0], key -> new ArrayList<>()).add(Long.parseLong(parts[1]));
            }
            for (final String key : KEYS)
            {
                final List<Long> counts = perKey.get(key);
                Collections.sort(counts);
                assertEquals(150, counts.size(), key + ": every count once, none counted again from 1: " + counts);
                assertEquals(150L, counts.get(149));
            }
            final JobSubmissionException running = assertThrows(JobSubmissionException.class, () -> jobs.resume(counting, null));
            assertEquals(JobSubmissionException.Kind.CONFLICT, running.kind());
        }
    }

    private static JobSubmission countingJob(final String jar, final String output)
    {
        return new JobSubmission(null, null, jar, CountingJob.class.getName(), List.of("values", output), 2, null, null, null, null);
    }

    private static void values(final BrokerServer server, final int each)
    {
        final List<String> values = new ArrayList<>();
        for (int i = 0; i < each; i++)
        {
            values.addAll(KEYS);
        }
        produce(bootstrap(server), "values", values, values, System.currentTimeMillis());
    }
}
