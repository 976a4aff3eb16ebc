package io.tidemark.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.runtime.CommandOutput;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job calls of the HTTP API and the {@code tidemark job} commands against a real server
 * and its JobManager: a built-in job submitted, listed, described, savepointed, cancelled with
 * a savepoint and resumed from it; a jar uploaded and its class submitted; refusals answered
 * 400, 404 and 409. Skipped on a server that runs no jobs.
 */
class JobsApiTest
{
    private static final String JOB_ID = "[0-9a-f]{8}";

    @TempDir
    Path dir;

    private TestApi api;
    private final CommandOutput command = new CommandOutput();

    @BeforeEach
    void start() throws Exception
    {
        api = new TestApi(dir.resolve("data"));
        Assumptions.assumeFalse(api.get("/api").json().path("jobs").isNull(), "this server runs no jobs");
    }

    @AfterEach
    void stop()
    {
        api.close();
    }

    @Test
    void aBuiltinJobIsSubmittedListedSavepointedCancelledAndResumed() throws Exception
    {
        final JsonNode builtins = api.get("/api/jobs/builtins").json().path("builtins");
        assertTrue(builtins.findValuesAsText("name").contains("click-counts"), builtins.toString());

        final TestApi.Answer submitted = api.post("/api/jobs", "{\"builtin\": \"click-counts\", \"args\": [\"exactly-once\"], \"name\": \"clicks\"}");
        assertEquals(201, submitted.status(), submitted.json().toString());
        final String id = submitted.json().path("id").asText();
        assertTrue(id.matches(JOB_ID), id);
        assertEquals("clicks", submitted.json().path("name").asText());
        assertEquals("RUNNING", submitted.json().path("state").asText());
        assertEquals("click-counts", submitted.json().path("submission").path("builtin").asText());

        final JsonNode listed = api.get("/api/jobs").json().path("jobs");
        assertEquals(1, listed.size(), listed.toString());
        assertEquals(id, listed.get(0).path("id").asText());
        assertFalse(listed.get(0).path("operators").isEmpty(), listed.toString());

        final JsonNode detail = api.get("/api/jobs/" + id).json();
        assertEquals(id, detail.path("status").path("id").asText(), detail.toString());
        assertFalse(detail.path("vertices").isEmpty(), detail.toString());
        assertTrue(detail.has("edges") && detail.has("checkpoints"), detail.toString());

        final TestApi.Answer running = api.post("/api/jobs/" + id + "/resume", "{}");
        assertEquals(409, running.status(), running.json().toString());

        final Path savepointDir = dir.resolve("savepoint-by-hand");
        final TestApi.Answer savepoint = api.post("/api/jobs/" + id + "/savepoints", "{\"directory\": \"" + savepointDir + "\"}");
        assertEquals(200, savepoint.status(), savepoint.json().toString());
        final Path written = Path.of(savepoint.json().path("path").asText());
        assertTrue(written.startsWith(savepointDir) && Files.isDirectory(written), savepoint.json().toString());

        final TestApi.Answer cancelled = api.post("/api/jobs/" + id + "/cancel", "{\"savepoint\": true}");
        assertEquals(200, cancelled.status(), cancelled.json().toString());
        final String lastSavepoint = cancelled.json().path("savepoint").path("path").asText();
        assertTrue(Files.isDirectory(Path.of(lastSavepoint)), cancelled.json().toString());
        assertEquals("CANCELLED", api.get("/api/jobs/" + id).json().path("status").path("state").asText());
        assertEquals(409, api.post("/api/jobs/" + id + "/savepoints", "{}").status(), "no savepoint of a cancelled job");

        final TestApi.Answer resumed = api.post("/api/jobs/" + id + "/resume", "{\"from\": \"" + lastSavepoint + "\"}");
        assertEquals(200, resumed.status(), resumed.json().toString());
        assertEquals("RUNNING", resumed.json().path("state").asText());
        final TestApi.Answer stopped = api.post("/api/jobs/" + id + "/cancel", "");
        assertEquals(200, stopped.status(), stopped.json().toString());
        assertTrue(stopped.json().path("savepoint").isNull(), stopped.json().toString());
    }

    @Test
    void refusalsAreAnsweredByTheirKind() throws Exception
    {
        final TestApi.Answer unknownJob = api.get("/api/jobs/0000abcd");
        assertEquals(404, unknownJob.status());
        assertEquals("no job '0000abcd'", unknownJob.error());
        assertEquals(404, api.post("/api/jobs/0000abcd/cancel", "{}").status());
        assertEquals(404, api.post("/api/jobs/0000abcd/resume", "{}").status());

        final TestApi.Answer unknownBuiltin = api.post("/api/jobs", "{\"builtin\": \"no-such-job\"}");
        assertEquals(400, unknownBuiltin.status(), unknownBuiltin.json().toString());
        final TestApi.Answer typo = api.post("/api/jobs", "{\"builtin\": \"click-counts\", \"paralelism\": 2}");
        assertEquals(400, typo.status());
        assertTrue(typo.error().startsWith("unknown field 'paralelism'"), typo.error());
        final TestApi.Answer badGuarantee = api.post("/api/jobs", "{\"builtin\": \"click-counts\", \"guarantee\": \"sometimes\"}");
        assertEquals(400, badGuarantee.status());
        final TestApi.Answer noAttempts = api.post("/api/jobs", "{\"builtin\": \"click-counts\", \"restart\": {\"delayMs\": 10}}");
        assertEquals(400, noAttempts.status());
        assertEquals("'restart.attempts' is required: the restarts allowed in a row", noAttempts.error());
        assertTrue(api.get("/api/jobs").json().path("jobs").isEmpty(), "a refused submission leaves no job behind");
    }

    /**
     * A jar arrives in a file, not in memory: 20 MiB that are not a jar are refused 400 after
     * being read whole, and the connection serves on; a real jar's class is then submitted.
     */
    @Test
    void anUploadedJarsClassIsSubmittedAndANonJarIsRefused() throws Exception
    {
        final TestApi.Answer notAJar = api.post("/api/jars", new byte[20 << 20]);
        assertEquals(400, notAJar.status(), notAJar.json().toString());
        assertEquals(200, api.get("/api").status());

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, api.bootstrap())))
        {
            admin.createTopics(List.of(new NewTopic("lines", 1, (short)1), new NewTopic("upper-lines", 1, (short)1))).all().get(30, TimeUnit.SECONDS);
        }
        final TestApi.Answer jar = api.post("/api/jars", Files.readAllBytes(jarOf(UpperCaseJob.class)));
        assertEquals(201, jar.status(), jar.json().toString());
        final TestApi.Answer submitted = api.post("/api/jobs", "{\"jar\": \"" + jar.json().path("jar").asText() + "\", \"className\": \""
            + UpperCaseJob.class.getName() + "\", \"args\": [\"lines\", \"upper-lines\"], \"parallelism\": 1, \"checkpointIntervalMs\": 500,"
            + " \"restart\": {\"attempts\": 2, \"delayMs\": 100}}");
        assertEquals(201, submitted.status(), submitted.json().toString());
        final JsonNode submission = submitted.json().path("submission");
        assertEquals(500, submission.path("checkpointIntervalMs").asLong(), submission.toString());
        assertEquals(2, submission.path("restart").path("attempts").asInt(), submission.toString());
        assertEquals("UpperCaseJob", submitted.json().path("name").asText());
    }

    /** The commands over the same calls: what each prints, and a refusal in one line with exit code 1. */
    @Test
    void theJobCommandsDriveAJobThroughItsLife() throws Exception
    {
        final String server = "--server=" + api.url();
        assertEquals(0, command.run("job", "builtins", server), command.err());
        assertTrue(command.out().startsWith("NAME") && command.out().contains("click-counts"), command.out());

        command.clear();
        assertEquals(0, command.run("job", "submit", server, "--parallelism", "1", "--restart-attempts", "3", "click-counts", "at-least-once"), command.err());
        final String submitted = command.out().strip();
        assertTrue(submitted.matches("submitted job " + JOB_ID + " \\(click-counts\\)"), submitted);
        final String id = submitted.substring("submitted job ".length(), "submitted job ".length() + 8);

        command.clear();
        assertEquals(0, command.run("job", "list", server), command.err());
        final List<String> lines = command.out().lines().toList();
        assertEquals(List.of("ID", "NAME", "STATE", "UPTIME", "RECORDS-IN", "RECORDS-OUT", "RESTARTS", "LAST-CHECKPOINT"),
            List.of(lines.get(0).split("\\s+")), command.out());
        assertTrue(lines.get(1).startsWith(id + "  click-counts  RUNNING"), command.out());
        assertTrue(lines.size() > 2 && lines.get(2).startsWith("  - ") && lines.get(2).contains("watermark lag"), command.out());

        command.clear();
        assertEquals(0, command.run("job", "describe", id, server), command.err());
        assertTrue(command.out().startsWith("job " + id + " (click-counts): RUNNING"), command.out());
        assertTrue(command.out().contains("built-in click-counts at-least-once"), command.out());
        assertTrue(command.out().contains("OPERATOR") && command.out().contains("VERTEX"), command.out());

        command.clear();
        final Path savepoint = dir.resolve("by-command");
        assertEquals(0, command.run("job", "savepoint", id, "--dir", savepoint.toString(), server), command.err());
        assertTrue(command.out().startsWith("savepoint ") && command.out().contains(" of job " + id + " in " + savepoint), command.out());

        command.clear();
        assertEquals(0, command.run("job", "cancel", id, server), command.err());
        assertEquals("cancelled job " + id + System.lineSeparator(), command.out());

        command.clear();
        assertEquals(1, command.run("job", "cancel", id, server));
        assertEquals(1, command.err().lines().count(), command.err());
        assertTrue(command.err().startsWith("tidemark job cancel: job " + id), command.err());

        command.clear();
        assertEquals(0, command.run("job", "resume", id, "--from", savepoint.toString(), server), command.err());
        assertEquals("resumed job " + id + " (click-counts)" + System.lineSeparator(), command.out());

        command.clear();
        assertEquals(1, command.run("job", "describe", "0000abcd", server));
        assertEquals("tidemark job describe: no job '0000abcd'" + System.lineSeparator(), command.err());
    }

    /** A jar of one class, as a user would build it. */
    private Path jarOf(final Class<?> type) throws IOException
    {
        final Path jar = dir.resolve(type.getSimpleName() + ".jar");
        final String entry = type.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
            InputStream in = type.getClassLoader().getResourceAsStream(entry))
        {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }
}
