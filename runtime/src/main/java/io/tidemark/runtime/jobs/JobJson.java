package io.tidemark.runtime.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidemark.engine.checkpoint.DeliveryGuarantee;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The layout of {@code job.json}, written field by field so that it stays the same whatever
 * the records' Java shape becomes: camelCase, durations in milliseconds in fields ending
 * {@code Ms}, guarantees as {@code exactly-once}, absent values left out.
 *
 * <pre>{@code
 * {"id": "3fa9c2d1", "name": "click-counts", "state": "RUNNING", "createdAtMillis": 1767225600000,
 *  "submission": {"builtin": "click-counts", "args": ["exactly-once"], "restart": {"attempts": 10, ...}}}
 * }</pre>
 */
final class JobJson
{
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JobJson()
    {
    }

    /**
     * @param job a job's record.
     * @return its {@code job.json}.
     * @throws IOException if it cannot be written as JSON.
     */
    static byte[] write(final JobRecord job) throws IOException
    {
        final ObjectNode root = MAPPER.createObjectNode();
        root.put("id", job.id());
        root.put("name", job.name());
        root.put("state", job.state().name());
        putText(root, "failure", job.failure());
        root.put("createdAtMillis", job.createdAtMillis());
        putText(root, "savepoint", job.savepoint() == null ? null : job.savepoint().toString());
        final JobSubmission submission = job.submission();
        final ObjectNode node = root.putObject("submission");
        putText(node, "name", submission.name());
        putText(node, "builtin", submission.builtin());
        putText(node, "jar", submission.jar());
        putText(node, "className", submission.className());
        final ArrayNode args = node.putArray("args");
        (submission.args() == null ? List.<String>of() : submission.args()).forEach(args::add);
        if (submission.parallelism() != null)
        {
            node.put("parallelism", submission.parallelism());
        }
        putText(node, "guarantee", submission.guarantee() == null ? null : guarantee(submission.guarantee()));
        putMillis(node, "checkpointIntervalMs", submission.checkpointInterval());
        if (submission.restart() != null)
        {
            final RestartPolicy restart = submission.restart();
            final ObjectNode policy = node.putObject("restart");
            policy.put("attempts", restart.attempts());
            putMillis(policy, "delayMs", restart.delay());
            policy.put("multiplier", restart.multiplier());
            putMillis(policy, "maxDelayMs", restart.maxDelay());
            putMillis(policy, "resetAfterMs", restart.resetAfter());
        }
        putText(node, "fromSavepoint", submission.fromSavepoint() == null ? null : submission.fromSavepoint().toString());
        return MAPPER.writeValueAsBytes(root);
    }

    /**
     * @param bytes a {@code job.json}.
     * @return the record it holds.
     * @throws IOException if it is not JSON or lacks a field a job needs.
     */
    static JobRecord read(final byte[] bytes) throws IOException
    {
        final JsonNode root = MAPPER.readTree(bytes);
        final JsonNode node = required(root, "submission");
        final List<String> args = new ArrayList<>();
        node.path("args").forEach(arg -> args.add(arg.asText()));
        final JsonNode policy = node.get("restart");
        final RestartPolicy restart = policy == null ? null : new RestartPolicy(policy.path("attempts").asInt(), millis(policy, "delayMs"),
            policy.path("multiplier").asDouble(1), millis(policy, "maxDelayMs"), millis(policy, "resetAfterMs"));
        final JobSubmission submission = new JobSubmission(text(node, "name"), text(node, "builtin"), text(node, "jar"), text(node, "className"),
            List.copyOf(args), node.has("parallelism") ? node.get("parallelism").asInt() : null,
            node.has("guarantee") ? guarantee(node.get("guarantee").asText()) : null, millis(node, "checkpointIntervalMs"), restart, path(node, "fromSavepoint"));
        final JobState state;
        try
        {
            state = JobState.valueOf(required(root, "state").asText());
        }
        catch (final IllegalArgumentException e)
        {
            throw new IOException("unknown state '" + root.get("state").asText() + "'", e);
        }
        return new JobRecord(required(root, "id").asText(), required(root, "name").asText(), submission, state, text(root, "failure"),
            root.path("createdAtMillis").asLong(), path(root, "savepoint"));
    }

    /**
     * @param guarantee a guarantee.
     * @return its name in JSON and on the command line: {@code exactly-once}.
     */
    static String guarantee(final DeliveryGuarantee guarantee)
    {
        return guarantee.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static DeliveryGuarantee guarantee(final String text) throws IOException
    {
        for (final DeliveryGuarantee candidate : DeliveryGuarantee.values())
        {
            if (guarantee(candidate).equals(text))
            {
                return candidate;
            }
        }
        throw new IOException("unknown guarantee '" + text + "'");
    }

    private static JsonNode required(final JsonNode node, final String field) throws IOException
    {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull())
        {
            throw new IOException("no field '" + field + "'");
        }
        return value;
    }

    private static void putText(final ObjectNode node, final String field, final String value)
    {
        if (value != null)
        {
            node.put(field, value);
        }
    }

    private static void putMillis(final ObjectNode node, final String field, final Duration value)
    {
        if (value != null)
        {
            node.put(field, value.toMillis());
        }
    }

    private static String text(final JsonNode node, final String field)
    {
        final JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Duration millis(final JsonNode node, final String field)
    {
        final JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : Duration.ofMillis(value.asLong());
    }

    private static Path path(final JsonNode node, final String field)
    {
        final String value = text(node, field);
        return value == null ? null : Path.of(value);
    }
}
