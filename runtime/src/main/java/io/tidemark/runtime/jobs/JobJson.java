package io.tidemark.runtime.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The layout of {@code job.json}, written field by field so that it stays the same whatever
 * the records' Java shape becomes: the job's id, name, state, failure and savepoint, and its
 * submission as the HTTP API shows it ({@link SubmissionJson}).
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
        root.set("submission", SubmissionJson.write(job.submission()));
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
        final JobSubmission submission;
        try
        {
            submission = SubmissionJson.read(required(root, "submission"));
        }
        catch (final JobSubmissionException e)
        {
            throw new IOException("bad submission: " + e.getMessage(), e);
        }
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

    private static String text(final JsonNode node, final String field)
    {
        final JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Path path(final JsonNode node, final String field)
    {
        final String value = text(node, field);
        return value == null ? null : Path.of(value);
    }
}
