package io.tidemark.runtime.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.tidemark.engine.checkpoint.DeliveryGuarantee;
import io.tidemark.examples.ClickCountsJob;
import org.junit.jupiter.api.Test;

/**
 * {@code job.json} keeps every field of a submission across a server restart, and a damaged
 * one is refused with the field it lacks; built-ins are named after their class.
 */
class JobJsonTest
{
    @Test
    void aRecordSurvivesItsJsonWithEveryField() throws IOException
    {
        final JobSubmission submission = new JobSubmission("counts", null, "0123456789abcdef", "jobs.Counting", List.of("in", "out"), 3,
            DeliveryGuarantee.AT_LEAST_ONCE, Duration.ofMillis(250), new RestartPolicy(4, Duration.ofMillis(100), 1.5, Duration.ofSeconds(2), Duration.ofMinutes(1)),
            Path.of("/tmp/savepoint-1"));
        final JobRecord record = new JobRecord("0a1b2c3d", "counts", submission, JobState.FAILED, "task 'x' failed: boom", 1_767_225_600_000L,
            Path.of("/data/jobs/0a1b2c3d/savepoints/savepoint-2"));
        final byte[] json = JobJson.write(record);
        assertEquals(record, JobJson.read(json));
        assertTrue(new String(json, UTF_8).contains("\"guarantee\" : \"at-least-once\""), new String(json, UTF_8));

        final JobRecord builtin = new JobRecord("0a1b2c3e", "click-counts", JobSubmission.builtin("click-counts", List.of()), JobState.RUNNING, null, 1, null);
        assertEquals(builtin, JobJson.read(JobJson.write(builtin)));

        // A restart policy that gives only its attempts, as `job submit --restart-attempts 3` does: the rest stays the server's.
        final JobRecord attemptsOnly = new JobRecord("0a1b2c3f", "window-counts", new JobSubmission(null, "window-counts", null, null, List.of("in", "out"),
            null, null, null, new RestartPolicy(3, null, 0, null, null), null), JobState.RUNNING, null, 2, null);
        assertEquals(attemptsOnly, JobJson.read(JobJson.write(attemptsOnly)));
    }

    @Test
    void aDamagedRecordIsRefusedNamingWhatIsWrong()
    {
        assertTrue(assertThrows(IOException.class, () -> JobJson.read("{\"id\": \"0a1b2c3d\"}".getBytes(UTF_8))).getMessage().contains("submission"));
        assertTrue(assertThrows(IOException.class, () -> JobJson.read("{\"id\": \"0a1b2c3d\", \"name\": \"x\", \"state\": \"RUNNING\", \"submission\": {\"builtin\": \"demo\", \"paralelism\": 2}}"
            .getBytes(UTF_8))).getMessage().contains("paralelism"));
        assertTrue(assertThrows(IOException.class, () -> JobJson.read("{\"id\": \"0a1b2c3d\", \"name\": \"x\", \"state\": \"DREAMING\", \"submission\": {\"builtin\": \"demo\"}}"
            .getBytes(UTF_8))).getMessage().contains("DREAMING"));
        assertThrows(IOException.class, () -> JobJson.read("{\"id\": ".getBytes(UTF_8)));
    }

    @Test
    void builtinsAreNamedAfterTheirClassInKebabCase()
    {
        assertEquals("click-counts", JobClasses.nameOf(ClickCountsJob.class));
        assertEquals("job-json-test", JobClasses.nameOf(JobJsonTest.class));
        assertEquals("counting", JobClasses.nameOf(CountingJob.class));
        assertEquals("http-copy", JobClasses.nameOf(HTTPCopyJob.class));
    }

    /** A name with an acronym in it. */
    private static final class HTTPCopyJob
    {
    }
}
