package io.tidemark.runtime.http;

import java.util.Map;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidemark.engine.checkpoint.CheckpointStats;
import io.tidemark.engine.operator.OperatorMetrics;
import io.tidemark.engine.task.JobHandle;
import io.tidemark.engine.time.Watermark;
import io.tidemark.runtime.jobs.JobManager;
import io.tidemark.runtime.metrics.KafkaRequestMetrics;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * What the dashboard shows at one moment, as one JSON object: every job's graph and status as
 * {@code /api/jobs/{id}} answers it, with each operator subtask's figures read from the same
 * {@link OperatorMetrics}, its checkpoints; the topics' partitions and the groups as
 * {@code /api/topics/{name}} and {@code /api/groups/{id}} answer them; and the Kafka requests
 * per API. The page works out rates from two snapshots.
 */
final class DashboardSnapshot
{
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final JobManager jobManager;
    private final JobsResource jobs;
    private final TopicsResource topics;
    private final GroupsResource groups;
    private final KafkaRequestMetrics requests;
    private final LongSupplier clock;

    /**
     * @param jobManager the server's jobs, or null if it runs none.
     * @param jobs       the API's jobs resource.
     * @param topics     the API's topics resource.
     * @param groups     the API's groups resource.
     * @param requests   the Kafka listener's request counters.
     * @param clock      the wall clock, epoch milliseconds: processing time.
     */
    DashboardSnapshot(final JobManager jobManager, final JobsResource jobs, final TopicsResource topics, final GroupsResource groups,
        final KafkaRequestMetrics requests, final LongSupplier clock)
    {
        this.jobManager = jobManager;
        this.jobs = jobs;
        this.topics = topics;
        this.groups = groups;
        this.requests = requests;
        this.clock = clock;
    }

    /**
     * @return the snapshot: {@code serverTimeMs}, {@code jobs}, {@code topics}, {@code groups}, {@code requests}.
     */
    ObjectNode take()
    {
        final ObjectNode snapshot = JSON.objectNode().put("serverTimeMs", clock.getAsLong());
        final ArrayNode jobList = snapshot.putArray("jobs");
        if (jobManager != null)
        {
            for (final Map.Entry<String, JobHandle> run : jobManager.runs().entrySet())
            {
                try
                {
                    jobList.add(job(run.getKey(), run.getValue()));
                }
                catch (final ApiException gone)
                {
                    // Removed since it was listed.
                }
            }
        }
        final ArrayNode topicList = snapshot.putArray("topics");
        for (final JsonNode listed : topics.list().get("topics"))
        {
            try
            {
                final ObjectNode topic = topics.describe(listed.get("name").asText());
                topic.remove("configs");
                topic.remove("overrides");
                topicList.add(topic);
            }
            catch (final ApiException gone)
            {
                // Deleted since it was listed.
            }
        }
        final ArrayNode groupList = snapshot.putArray("groups");
        for (final JsonNode listed : groups.list().get("groups"))
        {
            try
            {
                groupList.add(groups.describe(listed.get("groupId").asText()));
            }
            catch (final ApiException gone)
            {
                // Gone since it was listed.
            }
        }
        final ArrayNode apis = snapshot.putArray("requests");
        for (final ApiKeys key : requests.used())
        {
            apis.addObject().put("api", key.name).put("requests", requests.requests(key.id)).put("errors", requests.errors(key.id))
                .put("p50Ms", requests.latencyQuantileSeconds(key.id, 0.5) * 1e3).put("p99Ms", requests.latencyQuantileSeconds(key.id, 0.99) * 1e3);
        }
        return snapshot;
    }

    private ObjectNode job(final String id, final JobHandle run)
    {
        final ObjectNode job = jobs.detail(id);
        final ArrayNode subtasks = job.putArray("subtasks");
        for (final OperatorMetrics m : run.metrics())
        {
            subtasks.addObject().put("operator", m.operatorName()).put("subtask", m.subtaskIndex()).put("recordsIn", m.recordsIn())
                .put("recordsOut", m.recordsOut()).put("watermarkMs", time(m.watermark())).put("newestEventTimeMs", time(m.newestEventTime()))
                .put("idle", m.idle()).put("busyNanos", m.busyNanos()).put("backpressuredNanos", m.backpressuredNanos())
                .put("lateRecordsDropped", m.lateRecordsDropped()).put("lateRecordsToSideOutput", m.lateRecordsToSideOutput())
                .put("lateRecordsUpdated", m.lateRecordsUpdated()).put("lateWindowsMissed", m.lateWindowsMissed());
        }
        final ArrayNode checkpoints = job.putArray("checkpoints");
        for (final CheckpointStats stats : run.checkpointStats())
        {
            checkpoints.addObject().put("id", stats.id()).put("status", stats.status().name()).put("triggeredAtMs", stats.triggerTimestamp())
                .put("durationMs", stats.durationMillis()).put("sizeBytes", stats.sizeBytes()).put("alignmentMs", stats.alignmentMillis())
                .put("savepoint", stats.savepoint());
        }
        return job;
    }

    /** A watermark or event time, null for none or the end of time (JSON has no room for those longs as times). */
    private static Long time(final long millis)
    {
        return millis == Watermark.NONE || millis == Watermark.END ? null : millis;
    }
}
