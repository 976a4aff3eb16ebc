package io.tidemark.connector.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * The questions a {@link KafkaSource} asks the cluster through an {@link Admin}: which
 * partitions its topics (or the topics matching its pattern) have, and offsets of
 * partitions. Every answer is a future completed on the Admin's own thread, so that discovery
 * never blocks a task; at job start the source simply waits for them.
 */
final class KafkaTopics
{
    private static final Comparator<TopicPartition> ORDER = Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private final Admin admin;
    private final List<String> topics;
    private final Pattern pattern;
    private final ListOffsetsOptions options;

    /**
     * @param admin     the client.
     * @param topics    the topics read, or {@code null} with a pattern.
     * @param pattern   the pattern topics are matched with, or {@code null}.
     * @param isolation the isolation level that decides what "latest" means.
     */
    KafkaTopics(final Admin admin, final List<String> topics, final Pattern pattern, final IsolationLevel isolation)
    {
        this.admin = admin;
        this.topics = topics;
        this.pattern = pattern;
        this.options = new ListOffsetsOptions(isolation);
    }

    /**
     * @return every partition of the topics read, by topic and partition.
     */
    CompletableFuture<List<TopicPartition>> partitions()
    {
        final CompletableFuture<Collection<String>> names = pattern == null ? CompletableFuture.completedFuture(topics)
            : admin.listTopics().names().toCompletionStage().toCompletableFuture().thenApply(all -> all.stream().filter(name -> pattern.matcher(name).matches()).toList());
        return names.thenCompose(found -> found.isEmpty() ? CompletableFuture.completedFuture(Map.<String, TopicDescription>of()) : admin.describeTopics(found).allTopicNames().toCompletionStage().toCompletableFuture())
            .thenApply(descriptions ->
            {
                final List<TopicPartition> partitions = new ArrayList<>();
                for (final TopicDescription description : descriptions.values())
                {
                    for (final TopicPartitionInfo info : description.partitions())
                    {
                        partitions.add(new TopicPartition(description.name(), info.partition()));
                    }
                }
                partitions.sort(ORDER);
                return partitions;
            });
    }

    /**
     * @param partitions some partitions.
     * @param spec       which offset of each.
     * @return that offset of each partition; -1 where there is none (no record at or after a
     * timestamp).
     */
    CompletableFuture<Map<TopicPartition, Long>> offsets(final Collection<TopicPartition> partitions, final OffsetSpec spec)
    {
        if (partitions.isEmpty())
        {
            return CompletableFuture.completedFuture(Map.of());
        }
        final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(partition -> request.put(partition, spec));
        return admin.listOffsets(request, options).all().toCompletionStage().toCompletableFuture().thenApply(answer ->
        {
            final Map<TopicPartition, Long> offsets = new HashMap<>();
            for (final Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> entry : answer.entrySet())
            {
                offsets.put(entry.getKey(), entry.getValue().offset());
            }
            return offsets;
        });
    }

    /**
     * @param group a consumer group.
     * @return the offsets it committed, by partition (partitions without one left out).
     */
    CompletableFuture<Map<TopicPartition, Long>> committed(final String group)
    {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().toCompletionStage().toCompletableFuture().thenApply(answer ->
        {
            final Map<TopicPartition, Long> offsets = new HashMap<>();
            answer.forEach((partition, committed) ->
            {
                if (committed != null)
                {
                    offsets.put(partition, committed.offset());
                }
            });
            return offsets;
        });
    }
}
