package io.tidemark.runtime.jobs;

import static io.tidemark.runtime.jobs.JobsUnderTest.bootstrap;
import static io.tidemark.runtime.jobs.JobsUnderTest.compile;
import static io.tidemark.runtime.jobs.JobsUnderTest.createTopic;
import static io.tidemark.runtime.jobs.JobsUnderTest.produce;
import static io.tidemark.runtime.jobs.JobsUnderTest.readCommitted;
import static io.tidemark.runtime.jobs.JobsUnderTest.server;
import static io.tidemark.runtime.jobs.JobsUnderTest.status;
import static io.tidemark.runtime.jobs.JobsUnderTest.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.tidemark.runtime.broker.BrokerServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job uploaded as a jar, compiled here from source so that the server's class path cannot
 * have it: it runs in a class loader of its own, whose parent is the server's. A jar that is
 * not one, a class that is missing or is not a {@code StreamJob}, and an unknown built-in are
 * refused with a message saying which, and leave no job behind.
 */
class JarJobTest
{
    private static final String UPPER_CASE = """
        package jobs;

        import io.tidemark.engine.api.JobContext;
        import io.tidemark.engine.api.StreamJob;
        import io.tidemark.connector.log.LogDeserializer;
        import io.tidemark.connector.log.LogSerializer;
        import io.tidemark.connector.log.LogSink;
        import io.tidemark.connector.log.LogSource;
        import io.tidemark.engine.time.WatermarkStrategy;
        import java.util.Locale;

        public final class UpperCase implements StreamJob
        {
            public void define(final JobContext context)
            {
                context.env()
                    .fromSource(LogSource.unbounded(context.logs(), context.args().get(0), LogDeserializer.utf8Values()),
                        WatermarkStrategy.noWatermarks(), "lines")
                    .map(line -> line.toUpperCase(Locale.ROOT) + " " + UpperCase.class.getClassLoader().getName())
                    .sinkTo(LogSink.exactlyOnce(context.logs(), context.transactions(), context.args().get(1), LogSerializer.utf8ToString(),
                        context.jobId()));
            }
        }
        """;

    private static final String NOT_A_JOB = """
        package jobs;

        public final class NotAJob
        {
        }
        """;

    @TempDir
    Path dataDir;

    @TempDir
    Path scratch;

    @Test
    void aJarJobRunsInItsOwnClassLoaderAndBadSubmissionsAreRefused() throws Exception
    {
        final byte[] jar = compile(scratch, Map.of("jobs.UpperCase", UPPER_CASE, "jobs.NotAJob", NOT_A_JOB));
        try (BrokerServer server = server(dataDir))
        {
            final JobManager jobs = server.jobs();
            createTopic(server.logs(), "lines", 1);
            createTopic(server.logs(), "shouted", 1);
            final String jarId = jobs.storeJar(new ByteArrayInputStream(jar));
            assertTrue(jarId.matches("[0-9a-f]{16}"), jarId);
            assertEquals(jarId, jobs.storeJar(new ByteArrayInputStream(jar)), "the same jar, stored once");

            final JobStatus submitted = jobs.submit(jarJob(jarId, "jobs.UpperCase", List.of("lines", "shouted")));
            assertEquals("UpperCase", submitted.name());
            assertTrue(Files.isRegularFile(dataDir.resolve("jobs").resolve(submitted.id()).resolve("job.jar")));
            produce(bootstrap(server), "lines", List.of("k", "k"), List.of("hello", "tidemark"), 0);
            final List<String> shouted = readCommitted(bootstrap(server), "shouted", 1, values -> values.size() >= 2);
            assertEquals(List.of("HELLO job job.jar", "TIDEMARK job job.jar"), shouted);
            assertThrows(ClassNotFoundException.class, () -> Class.forName("jobs.UpperCase", false, JobManager.class.getClassLoader()));

            jobs.cancel(submitted.id(), false).get(30, TimeUnit.SECONDS);
            assertEquals(JobState.CANCELLED, status(jobs, submitted.id()).state());

            final JobSubmissionException notAJar = assertThrows(JobSubmissionException.class,
                () -> jobs.storeJar(new ByteArrayInputStream("PK but not really a jar".getBytes(StandardCharsets.UTF_8))));
            assertTrue(notAJar.getMessage().contains("not a jar"), notAJar.getMessage());
            assertRefused(jobs, jarJob(jarId, "jobs.Missing", List.of()), "the jar has no class jobs.Missing");
            assertRefused(jobs, jarJob(jarId, "jobs.NotAJob", List.of()), "class jobs.NotAJob does not implement io.tidemark.engine.api.StreamJob");
            assertRefused(jobs, jarJob("0123456789abcdef", "jobs.UpperCase", List.of()), "no uploaded jar '0123456789abcdef'");
            assertRefused(jobs, JobSubmission.builtin("no-such-job", List.of()), "no built-in job 'no-such-job'");
            assertRefused(jobs, JobSubmission.builtin("click-counts", List.of("twice-only")), "unknown DeliveryGuarantee: 'twice-only'");
            assertEquals(1, jobs.list().size(), "refused submissions leave no job");
            try (Stream<Path> entries = Files.list(dataDir.resolve("jobs")))
            {
                assertEquals(Set.of("jars", submitted.id()), entries.map(path -> path.getFileName().toString()).collect(Collectors.toSet()),
                    "refused submissions leave no directory; the refused upload no file");
            }
            try (Stream<Path> entries = Files.list(dataDir.resolve("jobs").resolve("jars")))
            {
                assertEquals(List.of(jarId + ".jar"), entries.map(path -> path.getFileName().toString()).toList());
            }
            final JobSubmissionException unknown = assertThrows(JobSubmissionException.class, () -> jobs.cancel("ffffffff", false));
            assertEquals(JobSubmissionException.Kind.UNKNOWN_JOB, unknown.kind());
        }
    }

    private static JobSubmission jarJob(final String jarId, final String className, final List<String> args)
    {
        return new JobSubmission(null, null, jarId, className, args, null, null, null, null, null);
    }

    private static void assertRefused(final JobManager jobs, final JobSubmission submission, final String message)
    {
        final JobSubmissionException refused = assertThrows(JobSubmissionException.class, () -> jobs.submit(submission));
        assertTrue(refused.getMessage().contains(message), refused.getMessage());
        assertEquals(JobSubmissionException.Kind.INVALID, refused.kind());
    }
}
