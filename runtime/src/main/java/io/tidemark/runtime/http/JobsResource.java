package io.tidemark.runtime.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tidemark.runtime.jobs.JobDetail;
import io.tidemark.runtime.jobs.JobManager;
import io.tidemark.runtime.jobs.JobState;
import io.tidemark.runtime.jobs.JobStatus;
import io.tidemark.runtime.jobs.JobSubmissionException;
import io.tidemark.runtime.jobs.SubmissionJson;
import io.tidemark.runtime.jobs.OperatorStatus;

/**
 * {@code /api/jobs} and {@code /api/jars}: the server's {@link JobManager} over HTTP. A
 * refusal of the job manager is answered by its kind: 400 for a bad submission, 404 for an
 * unknown job, 409 for a job in the wrong state. Unknown jobs and running jobs are also
 * checked here before the call, so the answer does not depend on how the refusal is worded.
 */
final class JobsResource
{
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final JobManager jobs;

    /**
     * @param jobs the server's jobs, or null if it runs none (every job call is then answered 503).
     */
    JobsResource(final JobManager jobs)
    {
        this.jobs = jobs;
    }

    /**
     * @return the number of jobs, and of those running, for the overview; null if the server runs no jobs.
     */
    ObjectNode counts()
    {
        if (jobs == null)
        {
            return null;
        }
        final List<JobStatus> all = jobs.list();
        return JSON.objectNode().put("total", all.size()).put("running", all.stream().filter(j -> j.state() == JobState.RUNNING).count());
    }

    /** @return {@code {"jobs": [JobStatus...]}}, oldest first. */
    ObjectNode list()
    {
        final ObjectNode answer = JSON.objectNode();
        answer.putArray("jobs").addAll(manager().list().stream().map(JobsResource::status).toList());
        return answer;
    }

    /** @return {@code {"builtins": [{"name", "description"}...]}}. */
    ObjectNode builtins()
    {
        final ObjectNode answer = JSON.objectNode();
        answer.putArray("builtins").addAll(manager().builtins().stream()
            .map(b -> (JsonNode)JSON.objectNode().put("name", b.name()).put("description", b.description())).toList());
        return answer;
    }

    /**
     * @param jar the uploaded jar.
     * @return {@code {"jar": id}}.
     */
    ObjectNode storeJar(final RequestBody jar)
    {
        final JobManager manager = manager();
        if (jar.length() == 0)
        {
            throw ApiException.badRequest("the body must be a jar file, not empty");
        }
        try (InputStream in = jar.open())
        {
            return JSON.objectNode().put("jar", call(() -> manager.storeJar(in)));
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param submission the submission's JSON.
     * @return the new job's status.
     */
    ObjectNode submit(final JsonNode submission)
    {
        final JobManager manager = manager();
        return status(call(() -> manager.submit(SubmissionJson.read(submission))));
    }

    /**
     * @param jobId a job's id.
     * @return the job with its graph and checkpoints.
     */
    ObjectNode detail(final String jobId)
    {
        final JobDetail detail = existing(jobId);
        final ObjectNode answer = JSON.objectNode();
        answer.set("status", status(detail.status()));
        answer.putArray("vertices").addAll(detail.vertices().stream().map(v ->
        {
            final ObjectNode vertex = JSON.objectNode().put("id", v.id()).put("name", v.name()).put("parallelism", v.parallelism());
            vertex.putArray("operators").addAll(v.operators().stream().map(JSON::textNode).toList());
            return (JsonNode)vertex;
        }).toList());
        answer.putArray("edges").addAll(detail.edges().stream()
            .map(e -> (JsonNode)JSON.objectNode().put("source", e.source()).put("target", e.target()).put("partitioning", e.partitioning())).toList());
        answer.putArray("checkpoints").addAll(detail.checkpoints().stream()
            .map(c -> (JsonNode)JSON.objectNode().put("id", c.id()).put("status", c.status()).put("triggeredAtMs", c.triggeredAtMillis())
                .put("durationMs", c.durationMillis()).put("sizeBytes", c.sizeBytes())).toList());
        return answer;
    }

    /**
     * @param jobId   a running job's id.
     * @param request {@code {"directory": optional path}}.
     * @return completes with the savepoint once it is written.
     */
    CompletableFuture<ObjectNode> savepoint(final String jobId, final JsonNode request)
    {
        final String directory = call(() -> SubmissionJson.text(request, "directory"));
        if (!existing(jobId).status().state().live())
        {
            throw new ApiException(HttpResponseStatus.CONFLICT, "job " + jobId + " is not running");
        }
        return translated(call(() -> manager().savepoint(jobId, directory == null ? null : Path.of(directory)))).thenApply(JobsResource::checkpoint);
    }

    /**
     * @param jobId   a job's id.
     * @param request {@code {"savepoint": bool}}.
     * @return completes with {@code {"savepoint": CheckpointSummary or null}} once the job has stopped.
     */
    CompletableFuture<ObjectNode> cancel(final String jobId, final JsonNode request)
    {
        final JsonNode savepoint = request.get("savepoint");
        if (savepoint != null && !savepoint.isBoolean() && !savepoint.isNull())
        {
            throw ApiException.badRequest("'savepoint' must be true or false");
        }
        existing(jobId);
        return translated(call(() -> manager().cancel(jobId, savepoint != null && savepoint.booleanValue())))
            .thenApply(summary -> (ObjectNode)JSON.objectNode().set("savepoint", summary == null ? JSON.nullNode() : checkpoint(summary)));
    }

    /**
     * @param jobId   a stopped job's id.
     * @param request {@code {"from": optional savepoint path}}.
     * @return the job's status, running again.
     */
    ObjectNode resume(final String jobId, final JsonNode request)
    {
        final String from = call(() -> SubmissionJson.text(request, "from"));
        final JobStatus status = existing(jobId).status();
        if (status.state().live())
        {
            throw new ApiException(HttpResponseStatus.CONFLICT, "job " + jobId + " is " + status.state().name().toLowerCase(Locale.ROOT) + "; cancel it first");
        }
        return status(call(() -> manager().resume(jobId, from == null ? null : Path.of(from))));
    }

    private JobDetail existing(final String jobId)
    {
        return manager().detail(jobId).orElseThrow(() -> ApiException.notFound("no job '" + jobId + "'"));
    }

    private JobManager manager()
    {
        if (jobs == null)
        {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "this server runs no jobs");
        }
        return jobs;
    }

    private static <T> T call(final Supplier<T> call)
    {
        try
        {
            return call.get();
        }
        catch (final JobSubmissionException e)
        {
            throw refusal(e);
        }
    }

    private static <T> CompletableFuture<T> translated(final CompletableFuture<T> future)
    {
        return future.exceptionallyCompose(e ->
        {
            final Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            return CompletableFuture.failedFuture(cause instanceof JobSubmissionException refused ? refusal(refused) : cause);
        });
    }

    private static ApiException refusal(final JobSubmissionException e)
    {
        final HttpResponseStatus status = switch (e.kind())
        {
            case UNKNOWN_JOB -> HttpResponseStatus.NOT_FOUND;
            case CONFLICT -> HttpResponseStatus.CONFLICT;
            case INVALID -> HttpResponseStatus.BAD_REQUEST;
        };
        return new ApiException(status, e.getMessage());
    }

    /**
     * @param status a job's status.
     * @return its JSON.
     */
    static ObjectNode status(final JobStatus status)
    {
        final ObjectNode json = JSON.objectNode().put("id", status.id()).put("name", status.name()).put("state", status.state().name());
        json.set("submission", SubmissionJson.write(status.submission()));
        json.put("startedAtMs", status.startedAtMillis()).put("uptimeMs", status.uptimeMillis()).put("recordsIn", status.recordsIn())
            .put("recordsOut", status.recordsOut()).put("restarts", status.restarts());
        json.set("lastCheckpoint", status.lastCheckpoint() == null ? JSON.nullNode() : checkpoint(status.lastCheckpoint()));
        json.putArray("operators").addAll(status.operators().stream().map(JobsResource::operator).toList());
        json.put("failure", status.failure());
        return json;
    }

    private static JsonNode operator(final OperatorStatus operator)
    {
        final boolean none = operator.watermark() == Long.MIN_VALUE;
        return JSON.objectNode().put("name", operator.name()).put("parallelism", operator.parallelism()).put("recordsIn", operator.recordsIn())
            .put("recordsOut", operator.recordsOut())
            .put("watermarkMs", none ? null : operator.watermark()).put("watermarkLagMs", operator.watermarkLagMillis() < 0 ? null : operator.watermarkLagMillis())
            .put("newestEventTimeMs", operator.newestEventTime() == Long.MIN_VALUE ? null : operator.newestEventTime())
            .put("lateRecordsDropped", operator.lateRecordsDropped()).put("lateRecordsUpdated", operator.lateRecordsUpdated())
            .put("lateRecordsToSideOutput", operator.lateRecordsToSideOutput()).put("lateWindowsMissed", operator.lateWindowsMissed());
    }

    private static ObjectNode checkpoint(final JobStatus.CheckpointSummary summary)
    {
        return JSON.objectNode().put("id", summary.id()).put("timestampMs", summary.timestampMillis()).put("path", summary.path())
            .put("sizeBytes", summary.sizeBytes());
    }
}
