package io.tidemark.runtime;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code tidemark groups}: list, describe, reset the offsets of and delete consumer groups on
 * any Kafka-protocol broker through kafka-clients' {@link Admin}, printing what
 * {@code kafka-consumer-groups.sh} prints.
 */
@Command(name = "groups", mixinStandardHelpOptions = true,
    subcommands = {GroupsCommand.ListGroups.class, GroupsCommand.Describe.class, GroupsCommand.ResetOffsets.class, GroupsCommand.Delete.class},
    description = "List, describe, reset the offsets of and delete consumer groups on a Kafka-protocol broker.",
    footerHeading = "%nExample:%n", footer = "  tidemark groups describe --group billing")
final class GroupsCommand
{
    private GroupsCommand()
    {
    }

    /** {@code groups list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the consumer groups' ids, one a line.",
        footerHeading = "%nExample:%n", footer = "  tidemark groups list")
    static final class ListGroups extends AdminCall
    {
        @Override
        void run(final Admin admin, final PrintWriter out) throws ExecutionException, InterruptedException
        {
            GroupOffsets.consumerGroups(admin).forEach(out::println);
        }
    }

    /** {@code groups describe}. */
    @Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Print a group's committed offsets, the log end offsets and the lag per partition, with the member consuming each.",
        footerHeading = "%nExamples:%n", footer = {"  tidemark groups describe --group billing --members", "  tidemark groups describe --all-groups"})
    static final class Describe extends AdminCall
    {
        @Option(names = "--group", paramLabel = "GROUP", description = "A group; repeatable.")
        private List<String> groups = new ArrayList<>();

        @Option(names = "--all-groups", description = "Every consumer group, one table after another.")
        private boolean allGroups;

        @Option(names = "--members", description = "Print the members instead: their ids, hosts, client ids and partition counts.")
        private boolean members;

        @Override
        void check()
        {
            if (allGroups != groups.isEmpty())
            {
                throw new ParameterException(spec.commandLine(), "give --group or --all-groups");
            }
        }

        @Override
        void run(final Admin admin, final PrintWriter out) throws ExecutionException, InterruptedException
        {
            final List<String> described = allGroups ? GroupOffsets.consumerGroups(admin) : groups;
            for (int i = 0; i < described.size(); i++)
            {
                if (i > 0)
                {
                    out.println();
                }
                describe(admin, out, described.get(i));
            }
        }

        /** Prints one group's table, and its state's note on stderr. */
        private void describe(final Admin admin, final PrintWriter out, final String group) throws ExecutionException, InterruptedException
        {
            final GroupOffsets offsets = GroupOffsets.read(admin, group);
            if (offsets.state() == GroupState.DEAD && offsets.committed().isEmpty())
            {
                throw new IllegalStateException("no such group: " + group);
            }
            // On stderr, as Kafka's tool: stdout stays the table.
            final PrintWriter err = spec.commandLine().getErr();
            switch (offsets.state())
            {
                case EMPTY -> CommandErrors.print(err, "Consumer group '" + group + "' has no active members.");
                case PREPARING_REBALANCE, COMPLETING_REBALANCE, ASSIGNING, RECONCILING ->
                    CommandErrors.print(err, "Warning: Consumer group '" + group + "' is rebalancing.");
                default ->
                {
                    // Stable: the table says it all.
                }
            }
            if (members)
            {
                final TextTable table = new TextTable("GROUP", "CONSUMER-ID", "HOST", "CLIENT-ID", "#PARTITIONS");
                offsets.members().stream().sorted(Comparator.comparing(MemberDescription::consumerId)).forEach(m ->
                    table.row(group, m.consumerId(), m.host(), m.clientId(), m.assignment().topicPartitions().size()));
                table.print(out);
                return;
            }
            final Map<TopicPartition, MemberDescription> owners = new HashMap<>();
            offsets.members().forEach(m -> m.assignment().topicPartitions().forEach(p -> owners.put(p, m)));
            final Map<TopicPartition, OffsetAndMetadata> committed = offsets.committed();
            final Set<TopicPartition> partitions = new TreeSet<>(GroupOffsets.ORDER);
            partitions.addAll(committed.keySet());
            partitions.addAll(owners.keySet());
            final Map<TopicPartition, Long> ends = GroupOffsets.offsets(admin, partitions, OffsetSpec.latest());
            final TextTable table = new TextTable("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST",
                "CLIENT-ID");
            for (final TopicPartition partition : partitions)
            {
                final OffsetAndMetadata current = committed.get(partition);
                final Long end = ends.get(partition);
                final MemberDescription owner = owners.get(partition);
                table.row(group, partition.topic(), partition.partition(), current == null ? "-" : current.offset(), end == null ? "-" : end,
                    current == null || end == null ? "-" : Math.max(0, end - current.offset()),
                    owner == null ? "-" : owner.consumerId(), owner == null ? "-" : owner.host(), owner == null ? "-" : owner.clientId());
            }
            table.print(out);
        }
    }

    /** {@code groups reset-offsets}. */
    @Command(name = "reset-offsets", mixinStandardHelpOptions = true,
        description = {"Move an inactive group's committed offsets. Prints the plan; changes nothing without --execute.",
            "Refused while the group has members: stop its consumers first."},
        footerHeading = "%nExample:%n", footer = {"  tidemark groups reset-offsets --group billing --topic orders \\", "      --to-earliest --execute"})
    static final class ResetOffsets extends AdminCall
    {
        @Option(names = "--group", paramLabel = "GROUP", required = true, description = "The group.")
        private String group;

        @Option(names = "--topic", paramLabel = "TOPIC[:P,...]", description = "A topic, or some of its partitions (orders:0,2); repeatable.")
        private List<String> topics = new ArrayList<>();

        @Option(names = "--all-topics", description = "Every topic the group has committed offsets for.")
        private boolean allTopics;

        @ArgGroup(exclusive = true, multiplicity = "1")
        private Target target;

        @Option(names = "--execute", description = "Commit the new offsets.")
        private boolean execute;

        @Option(names = "--dry-run", description = "Only print the new offsets (the default).")
        private boolean dryRun;

        /** Where the offsets go; one of them. */
        static final class Target
        {
            @Option(names = "--to-earliest", required = true, description = "To each partition's earliest offset.")
            private boolean earliest;

            @Option(names = "--to-latest", required = true, description = "To each partition's log end offset.")
            private boolean latest;

            @Option(names = "--to-offset", paramLabel = "N", required = true, description = "To this offset (within each partition's earliest and latest).")
            private Long offset;

            @Option(names = "--to-datetime", paramLabel = "TIME", required = true, converter = TimestampConverter.class,
                description = "To the first record at or after this time: ISO-8601 (2024-05-01T12:00:00Z) or milliseconds since the epoch.")
            private Long time;

            @Option(names = "--shift-by", paramLabel = "N", required = true, description = "By N from the committed offset (negative: back).")
            private Long shift;
        }

        @Override
        void check()
        {
            if (target == null)
            {
                throw new ParameterException(spec.commandLine(), "give one of --to-earliest, --to-latest, --to-offset, --to-datetime and --shift-by");
            }
            if (allTopics != topics.isEmpty())
            {
                throw new ParameterException(spec.commandLine(), "give --topic or --all-topics");
            }
            CommandErrors.check(spec, !(execute && dryRun), "--execute", "--dry-run", "give one of --execute and --dry-run");
        }

        @Override
        void run(final Admin admin, final PrintWriter out) throws ExecutionException, InterruptedException
        {
            final GroupOffsets offsets = GroupOffsets.read(admin, group);
            if (!offsets.members().isEmpty())
            {
                throw new IllegalStateException("cannot reset the offsets of group " + group + ": it has " + offsets.members().size() +
                    " active members (state " + offsets.state() + "); stop its consumers first");
            }
            final List<TopicPartition> partitions = partitions(admin, offsets.committed());
            final Map<TopicPartition, Long> earliest = GroupOffsets.offsets(admin, partitions, OffsetSpec.earliest());
            final Map<TopicPartition, Long> latest = GroupOffsets.offsets(admin, partitions, OffsetSpec.latest());
            final Map<TopicPartition, Long> timed = target.time == null ? Map.of()
                : GroupOffsets.offsets(admin, partitions, OffsetSpec.forTimestamp(target.time));
            final Map<TopicPartition, OffsetAndMetadata> planned = new TreeMap<>(GroupOffsets.ORDER);
            for (final TopicPartition partition : partitions)
            {
                final long low = earliest.get(partition);
                final long high = latest.get(partition);
                final OffsetAndMetadata current = offsets.committed().get(partition);
                final long wanted;
                if (target.earliest)
                {
                    wanted = low;
                }
                else if (target.latest)
                {
                    wanted = high;
                }
                else if (target.offset != null)
                {
                    wanted = target.offset;
                }
                else if (target.time != null)
                {
                    final Long at = timed.get(partition);
                    wanted = at == null || at < 0 ? high : at;
                }
                else
                {
                    wanted = (current == null ? high : current.offset()) + target.shift;
                }
                planned.put(partition, new OffsetAndMetadata(Math.min(high, Math.max(low, wanted))));
            }
            final TextTable table = new TextTable("GROUP", "TOPIC", "PARTITION", "NEW-OFFSET");
            planned.forEach((partition, offset) -> table.row(group, partition.topic(), partition.partition(), offset.offset()));
            table.print(out);
            if (execute)
            {
                admin.alterConsumerGroupOffsets(group, planned).all().get();
            }
            else
            {
                CommandErrors.print(spec.commandLine().getErr(), "Dry run: nothing changed; add --execute to commit these offsets.");
            }
        }

        @Override
        RuntimeException failure(final ExecutionException e)
        {
            return TopicsCommand.missingTopic(e, client, String.join(", ", topics));
        }

        private List<TopicPartition> partitions(final Admin admin, final Map<TopicPartition, OffsetAndMetadata> committed)
            throws ExecutionException, InterruptedException
        {
            if (allTopics)
            {
                return committed.keySet().stream().sorted(GroupOffsets.ORDER).toList();
            }
            final List<TopicPartition> partitions = new ArrayList<>();
            final Map<String, String> named = topics.stream().collect(Collectors.toMap(t -> t.split(":", 2)[0], t -> t.contains(":") ? t.split(":", 2)[1] : "",
                (a, b) -> a.isEmpty() || b.isEmpty() ? "" : a + "," + b, TreeMap::new));
            final Map<String, TopicDescription> described = admin.describeTopics(named.keySet()).allTopicNames().get();
            named.forEach((topic, list) ->
            {
                final int count = described.get(topic).partitions().size();
                if (list.isEmpty())
                {
                    for (int p = 0; p < count; p++)
                    {
                        partitions.add(new TopicPartition(topic, p));
                    }
                    return;
                }
                for (final String text : list.split(","))
                {
                    CommandErrors.check(spec, text.strip().matches("\\d+") && Integer.parseInt(text.strip()) < count, "--topic", topic + ":" + list,
                        "partitions of " + topic + " are 0 to " + (count - 1));
                    partitions.add(new TopicPartition(topic, Integer.parseInt(text.strip())));
                }
            });
            return partitions;
        }
    }

    /** {@code groups delete}. */
    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an inactive group and its committed offsets.",
        footerHeading = "%nExample:%n", footer = "  tidemark groups delete --group billing")
    static final class Delete extends AdminCall
    {
        @Option(names = "--group", paramLabel = "GROUP", required = true, description = "The group.")
        private String group;

        @Override
        void run(final Admin admin, final PrintWriter out) throws ExecutionException, InterruptedException
        {
            admin.deleteConsumerGroups(List.of(group)).all().get();
            out.println("Deletion of requested consumer groups ('" + group + "') was successful.");
        }

        @Override
        RuntimeException failure(final ExecutionException e)
        {
            return e.getCause() instanceof GroupIdNotFoundException ? new IllegalStateException("no such group: " + group, e.getCause()) : client.failure(e);
        }
    }

    /**
     * A group as the broker describes it, with its committed offsets.
     *
     * @param members the group's members.
     * @param state its state; {@link GroupState#DEAD} for a group the broker does not know.
     * @param committed the committed offset of each partition that has one.
     */
    private record GroupOffsets(List<MemberDescription> members, GroupState state, Map<TopicPartition, OffsetAndMetadata> committed)
    {
        static final Comparator<TopicPartition> ORDER = Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

        /**
         * @return the ids of the broker's consumer groups, sorted.
         */
        static List<String> consumerGroups(final Admin admin) throws ExecutionException, InterruptedException
        {
            return admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get().stream().map(GroupListing::groupId).sorted().toList();
        }

        /**
         * @return the group as the broker has it: a group it does not know (Kafka says so, or
         *         describes it as dead) has no members and no offsets.
         */
        static GroupOffsets read(final Admin admin, final String group) throws ExecutionException, InterruptedException
        {
            try
            {
                final ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                final Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>(
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get());
                committed.values().removeIf(offset -> offset == null);
                return new GroupOffsets(List.copyOf(description.members()), description.groupState(), committed);
            }
            catch (final ExecutionException e)
            {
                if (e.getCause() instanceof GroupIdNotFoundException)
                {
                    return new GroupOffsets(List.of(), GroupState.DEAD, Map.of());
                }
                throw e;
            }
        }

        /**
         * @return each partition's offset of the kind asked; -1 where there is none.
         */
        static Map<TopicPartition, Long> offsets(final Admin admin, final Collection<TopicPartition> partitions, final OffsetSpec spec)
            throws ExecutionException, InterruptedException
        {
            final Map<TopicPartition, ListOffsetsResultInfo> found = admin.listOffsets(partitions.stream()
                .collect(Collectors.toMap(Function.identity(), p -> spec))).all().get();
            return found.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }
}
