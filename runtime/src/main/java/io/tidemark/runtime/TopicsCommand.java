package io.tidemark.runtime;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code tidemark topics}: create, list, describe, alter and delete topics on any Kafka-protocol
 * broker through kafka-clients' {@link Admin}, printing what {@code kafka-topics.sh} prints.
 */
@Command(name = "topics", mixinStandardHelpOptions = true,
    subcommands = {TopicsCommand.Create.class, TopicsCommand.ListTopics.class, TopicsCommand.Describe.class, TopicsCommand.Alter.class,
        TopicsCommand.Delete.class},
    description = "Create, list, describe, alter and delete topics on a Kafka-protocol broker.",
    footerHeading = "%nExample:%n", footer = {"  tidemark topics create --topic orders --partitions 3 \\", "      --config retention.ms=86400000"})
final class TopicsCommand
{
    private TopicsCommand()
    {
    }

    /** {@code topics create}. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a topic.",
        footerHeading = "%nExample:%n", footer = {"  tidemark topics create --topic orders --partitions 3 \\", "      --config retention.ms=86400000 --config retention.bytes=1073741824"})
    static final class Create extends AdminCall
    {
        @Option(names = "--topic", paramLabel = "TOPIC", required = true, description = "The topic's name.")
        private String topic;

        @Option(names = "--partitions", paramLabel = "N", description = "Its partitions (default: the broker's num.partitions).")
        private Integer partitions;

        @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "1", description = "Replicas of each partition (default: ${DEFAULT-VALUE}).")
        private short replicationFactor;

        @Option(names = "--config", paramLabel = "KEY=VALUE", description = "A topic configuration key (Kafka's names); repeatable.")
        private Map<String, String> configs = new LinkedHashMap<>();

        @Option(names = "--if-not-exists", description = "Succeed without a change if the topic exists.")
        private boolean ifNotExists;

        @Override
        void check()
        {
            CommandErrors.check(spec, partitions == null || partitions >= 1, "--partitions", partitions, "at least 1");
            CommandErrors.check(spec, replicationFactor >= 1, "--replication-factor", replicationFactor, "at least 1");
        }

        @Override
        void run(final Admin admin, final PrintWriter out) throws ExecutionException, InterruptedException
        {
            final NewTopic newTopic = new NewTopic(topic, Optional.ofNullable(partitions), Optional.of(replicationFactor)).configs(configs);
            admin.createTopics(List.of(newTopic)).all().get();
            out.println("Created topic " + topic + ".");
        }

        @Override
        RuntimeException failure(final ExecutionException e)
        {
            return e.getCause() instanceof TopicExistsException && ifNotExists ? null : client.failure(e);
        }
    }

    /** {@code topics list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the topics' names, one a line.",
        footerHeading = "%nExample:%n", footer = "  tidemark topics list --bootstrap-server localhost:9092")
    static final class ListTopics extends AdminCall
    {
        @Option(names = "--exclude-internal", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Leave out internal topics such as __consumer_offsets (default: ${DEFAULT-VALUE}; --no-exclude-internal lists them).")
        private boolean excludeInternal;

        @Override
        void run(final Admin admin, final PrintWriter out) throws ExecutionException, InterruptedException
        {
            admin.listTopics(new ListTopicsOptions().listInternal(!excludeInternal)).names().get().stream().sorted().forEach(out::println);
        }
    }

    /** {@code topics describe}. */
    @Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Print topics' partitions (leader, replicas, in-sync replicas) and the configuration keys that differ from the defaults.",
        footerHeading = "%nExample:%n", footer = "  tidemark topics describe --topic orders")
    static final class Describe extends AdminCall
    {
        @Option(names = "--topic", paramLabel = "TOPIC", description = "The topic; repeatable (default: every topic but the internal ones).")
        private List<String> topics = new ArrayList<>();

        @Override
        void run(final Admin admin, final PrintWriter out) throws ExecutionException, InterruptedException
        {
            final Collection<String> names = topics.isEmpty() ? admin.listTopics().names().get().stream().sorted().toList() : topics;
            final Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames().get();
            final List<ConfigResource> resources = names.stream().map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
            final Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
            for (final String name : names)
            {
                print(out, descriptions.get(name), configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name)));
            }
        }

        @Override
        RuntimeException failure(final ExecutionException e)
        {
            return missingTopic(e, client, String.join(", ", topics));
        }

        private static void print(final PrintWriter out, final TopicDescription topic, final Config config)
        {
            final List<TopicPartitionInfo> partitions = topic.partitions();
            // Kafka's rule: a key shows unless its value is the built-in default.
            final String overrides = config.entries().stream()
                .filter(entry -> entry.source() != ConfigEntry.ConfigSource.DEFAULT_CONFIG)
                .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value, (a, b) -> a, TreeMap::new))
                .entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue()).collect(Collectors.joining(","));
            final Uuid id = topic.topicId();
            out.println("Topic: " + topic.name() + (id == null || Uuid.ZERO_UUID.equals(id) ? "" : "\tTopicId: " + id) +
                "\tPartitionCount: " + partitions.size() + "\tReplicationFactor: " + (partitions.isEmpty() ? 0 : partitions.get(0).replicas().size()) +
                "\tConfigs: " + overrides);
            for (final TopicPartitionInfo partition : partitions)
            {
                out.println("\tTopic: " + topic.name() + "\tPartition: " + partition.partition() +
                    "\tLeader: " + (partition.leader() == null || partition.leader().isEmpty() ? "none" : partition.leader().idString()) +
                    "\tReplicas: " + ids(partition.replicas()) + "\tIsr: " + ids(partition.isr()));
            }
        }

        private static String ids(final List<Node> nodes)
        {
            return nodes.stream().map(Node::idString).collect(Collectors.joining(","));
        }
    }

    /** {@code topics alter}. */
    @Command(name = "alter", mixinStandardHelpOptions = true,
        description = "Add partitions to a topic, or set or remove its configuration keys (IncrementalAlterConfigs).",
        footerHeading = "%nExamples:%n", footer = {"  tidemark topics alter --topic orders --partitions 6", "  tidemark topics alter --topic orders --config retention.ms=3600000 \\",
            "      --delete-config retention.bytes"})
    static final class Alter extends AdminCall
    {
        @Option(names = "--topic", paramLabel = "TOPIC", required = true, description = "The topic.")
        private String topic;

        @Option(names = "--partitions", paramLabel = "N", description = "The new partition count, more than the current one.")
        private Integer partitions;

        @Option(names = "--config", paramLabel = "KEY=VALUE", description = "Set a topic configuration key; repeatable.")
        private Map<String, String> configs = new LinkedHashMap<>();

        @Option(names = "--delete-config", paramLabel = "KEY", description = "Remove an override, back to the default; repeatable.")
        private List<String> deleted = new ArrayList<>();

        @Override
        void check()
        {
            if (partitions == null && configs.isEmpty() && deleted.isEmpty())
            {
                throw new ParameterException(spec.commandLine(), "give --partitions, --config or --delete-config");
            }
            CommandErrors.check(spec, partitions == null || partitions >= 1, "--partitions", partitions, "at least 1");
        }

        @Override
        void run(final Admin admin, final PrintWriter out) throws ExecutionException, InterruptedException
        {
            if (partitions != null)
            {
                admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions))).all().get();
                out.println("Increased the partitions of topic " + topic + " to " + partitions + ".");
            }
            if (!configs.isEmpty() || !deleted.isEmpty())
            {
                final List<AlterConfigOp> ops = new ArrayList<>();
                configs.forEach((key, value) -> ops.add(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET)));
                deleted.forEach(key -> ops.add(new AlterConfigOp(new ConfigEntry(key, null), AlterConfigOp.OpType.DELETE)));
                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), ops)).all().get();
                out.println("Updated the configuration of topic " + topic + ".");
            }
        }

        @Override
        RuntimeException failure(final ExecutionException e)
        {
            return missingTopic(e, client, topic);
        }
    }

    /** {@code topics delete}. */
    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a topic and its records.",
        footerHeading = "%nExample:%n", footer = "  tidemark topics delete --topic orders")
    static final class Delete extends AdminCall
    {
        @Option(names = "--topic", paramLabel = "TOPIC", required = true, description = "The topic.")
        private String topic;

        @Option(names = "--if-exists", description = "Succeed without a change if there is no such topic.")
        private boolean ifExists;

        @Override
        void run(final Admin admin, final PrintWriter out) throws ExecutionException, InterruptedException
        {
            admin.deleteTopics(List.of(topic)).all().get();
            out.println("Deleted topic " + topic + ".");
        }

        @Override
        RuntimeException failure(final ExecutionException e)
        {
            return e.getCause() instanceof UnknownTopicOrPartitionException && ifExists ? null : missingTopic(e, client, topic);
        }
    }

    /**
     * @param e what an admin call threw.
     * @param client the options, for the other failures.
     * @param topic the topic or topics the call was about.
     * @return the failure to report; an unknown topic named as such.
     */
    static RuntimeException missingTopic(final ExecutionException e, final ClientOptions client, final String topic)
    {
        if (e.getCause() instanceof UnknownTopicOrPartitionException)
        {
            return new IllegalStateException("no such topic: " + topic, e.getCause());
        }
        return client.failure(e);
    }
}
