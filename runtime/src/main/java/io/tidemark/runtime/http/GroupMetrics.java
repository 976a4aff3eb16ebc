package io.tidemark.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tidemark.runtime.metrics.MetricFamily;

/**
 * The consumer groups, read at scrape time from what {@code GET /api/groups/{id}} answers, so
 * that the figures and the JSON agree: members, generation, rebalances, and per partition the
 * committed offset and the lag.
 */
final class GroupMetrics implements MultiCollector
{
    private final GroupsResource groups;

    /**
     * @param groups the groups resource of the API.
     */
    GroupMetrics(final GroupsResource groups)
    {
        this.groups = groups;
    }

    @Override
    public MetricSnapshots collect()
    {
        final MetricFamily members = MetricFamily.gauge("tidemark_group_members", "The group's members");
        final MetricFamily generation = MetricFamily.gauge("tidemark_group_generation", "The group's generation (consumer protocol: its group epoch)");
        final MetricFamily rebalances = MetricFamily.counter("tidemark_group_rebalances",
            "Rebalances of the group since the server loaded it (classic: generations begun; consumer protocol: target assignments computed)");
        final MetricFamily committed = MetricFamily.gauge("tidemark_group_committed_offset", "The group's committed offset of a partition");
        final MetricFamily lag = MetricFamily.gauge("tidemark_group_lag", "The partition's log end offset minus the group's committed offset");
        for (final JsonNode listed : groups.list().get("groups"))
        {
            final String groupId = listed.get("groupId").asText();
            final JsonNode group;
            try
            {
                group = groups.describe(groupId);
            }
            catch (final ApiException gone)
            {
                // Gone since it was listed.
                continue;
            }
            members.add(group.get("members").size(), "group", groupId);
            generation.add(group.get("generation").asLong(), "group", groupId);
            rebalances.add(group.get("rebalances").asLong(), "group", groupId);
            for (final JsonNode row : group.get("offsets"))
            {
                final String[] labels = {"group", groupId, "topic", row.get("topic").asText(), "partition", row.get("partition").asText()};
                if (!row.get("committedOffset").isNull())
                {
                    committed.add(row.get("committedOffset").asLong(), labels);
                }
                if (!row.get("lag").isNull())
                {
                    lag.add(row.get("lag").asLong(), labels);
                }
            }
        }
        return MetricSnapshots.of(members.build(), generation.build(), rebalances.build(), committed.build(), lag.build());
    }
}
