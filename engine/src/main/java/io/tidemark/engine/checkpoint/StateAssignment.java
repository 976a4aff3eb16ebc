package io.tidemark.engine.checkpoint;

import io.tidemark.engine.graph.JobGraph;
import io.tidemark.engine.graph.JobVertex;
import io.tidemark.engine.graph.Partitioning;
import io.tidemark.engine.graph.StreamEdge;
import io.tidemark.engine.graph.StreamNode;
import io.tidemark.engine.source.SourceSplit;
import io.tidemark.engine.state.KeyGroupRange;
import io.tidemark.engine.state.KeyGroups;
import io.tidemark.engine.state.TypeSerializer;
import java.io.ByteArrayInputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deals a completed checkpoint's state to the subtasks of a resuming job, whose parallelism
 * may differ from the checkpointed one. State is matched by stream node id (and name), not by
 * vertex, so a node may even have moved to another chain.
 *
 * <ul>
 *   <li>An operator fed by a keyed edge receives the snapshot of every old subtask whose key
 *       groups intersect its own, and keeps only its own key groups.</li>
 *   <li>An unkeyed operator that keeps broadcast state (a two-input node fed by a broadcast
 *       edge) holds the same state in every subtask: scaled up, new subtask {@code i} receives
 *       the snapshot of old subtask {@code i % p'} (of the old parallelism {@code p'}), so no
 *       subtask starts without the broadcast state; scaled down, as any other operator. A keyed
 *       one gets it with its key groups' snapshots, each of which holds it.</li>
 *   <li>Any other operator of subtask {@code i} of {@code p} receives the snapshots of the old
 *       subtasks {@code j} with {@code j % p == i}.</li>
 *   <li>A source subtask receives every {@code p}-th split of the old source's splits,
 *       interleaved back into the order fresh splits were dealt in (old subtask {@code k} read
 *       splits {@code k, k + p', ...}), so that restoring without rescaling gives every
 *       subtask the splits it had.</li>
 * </ul>
 * An old subtask that had finished before the barrier wrote no file: it has neither state nor
 * splits left to restore.
 */
final class StateAssignment
{
    private final Manifest manifest;
    private final CompletedCheckpoint.StateFiles files;
    private final String checkpoint;
    private final Map<String, StateFile> read = new HashMap<>();

    StateAssignment(final Manifest manifest, final CompletedCheckpoint.StateFiles files, final String checkpoint)
    {
        this.manifest = manifest;
        this.files = files;
        this.checkpoint = checkpoint;
    }

    TaskRestore restoreFor(final JobGraph graph, final JobVertex vertex, final int subtask, final int maxParallelism) throws IOException
    {
        if (maxParallelism != manifest.maxParallelism())
        {
            throw new IOException(checkpoint + " was taken with " + manifest.maxParallelism() + " key groups, the job has " + maxParallelism
                + ": the maximum parallelism must not change");
        }
        if (subtask < 0 || subtask >= vertex.parallelism())
        {
            throw new IllegalArgumentException("subtask " + subtask + " of a vertex of parallelism " + vertex.parallelism());
        }
        final Map<Integer, Manifest.VertexEntry> oldVertexOf = matchGraph(graph);
        final int parallelism = vertex.parallelism();
        final KeyGroupRange owned = KeyGroups.rangeFor(maxParallelism, parallelism, subtask);
        final Map<Integer, List<DataInput>> operators = new LinkedHashMap<>();
        for (final StreamNode node : vertex.nodes())
        {
            final boolean keyed = isKeyed(graph, node);
            final Manifest.VertexEntry oldVertex = oldVertexOf.get(node.id());
            final boolean copied = !keyed && hasBroadcastState(graph, node) && parallelism > oldVertex.parallelism();
            final List<DataInput> inherited = new ArrayList<>();
            for (final Manifest.FileEntry entry : filesOf(oldVertex))
            {
                final boolean inherits;
                if (keyed)
                {
                    inherits = intersect(entry.keyGroups(), owned);
                }
                else if (copied)
                {
                    inherits = entry.subtask() == subtask % oldVertex.parallelism();
                }
                else
                {
                    inherits = entry.subtask() % parallelism == subtask;
                }
                final byte[] state = inherits ? file(entry).operators().get(node.id()) : null;
                // An operator without state writes nothing: there is nothing to hand it.
                if (state != null && state.length > 0)
                {
                    inherited.add(new DataInputStream(new ByteArrayInputStream(state)));
                }
            }
            operators.put(node.id(), List.copyOf(inherited));
        }
        final StreamNode head = vertex.head();
        final List<SourceSplit> splits = head.isSource() ? splits(head, oldVertexOf.get(head.id()), parallelism, subtask) : null;
        return new TaskRestore(operators, splits);
    }

    /**
     * Checks that the job's nodes are the checkpoint's, by id and name, and maps each node id
     * to the vertex it ran in.
     */
    private Map<Integer, Manifest.VertexEntry> matchGraph(final JobGraph graph) throws IOException
    {
        final Map<Integer, Manifest.VertexEntry> oldVertexOf = new HashMap<>();
        final Map<Integer, String> oldNames = new HashMap<>();
        for (final Manifest.VertexEntry vertex : manifest.vertices())
        {
            for (final Manifest.NodeEntry node : vertex.nodes())
            {
                oldVertexOf.put(node.id(), vertex);
                oldNames.put(node.id(), node.name());
            }
        }
        final Set<Integer> seen = new HashSet<>();
        for (final StreamNode node : graph.streamGraph().nodes())
        {
            final String oldName = oldNames.get(node.id());
            if (oldName == null)
            {
                throw new IOException("the job does not match " + checkpoint + ": it has no node " + node.id() + " '" + node.name() + "'");
            }
            if (!oldName.equals(node.name()))
            {
                throw new IOException("the job does not match " + checkpoint + ": node " + node.id() + " is '" + node.name() + "' in the job, '"
                    + oldName + "' in the checkpoint");
            }
            seen.add(node.id());
        }
        for (final Map.Entry<Integer, String> old : oldNames.entrySet())
        {
            if (!seen.contains(old.getKey()))
            {
                throw new IOException("the job does not match " + checkpoint + ": its node " + old.getKey() + " '" + old.getValue() + "' is not in the job");
            }
        }
        return oldVertexOf;
    }

    private static boolean isKeyed(final JobGraph graph, final StreamNode node)
    {
        for (final StreamEdge input : graph.streamGraph().inputsOf(node))
        {
            if (input.partitioning().kind() == Partitioning.Kind.HASH)
            {
                return true;
            }
        }
        return false;
    }

    /** A two-input node fed by a broadcast edge keeps broadcast state, the same in every subtask. */
    private static boolean hasBroadcastState(final JobGraph graph, final StreamNode node)
    {
        if (!node.isTwoInput())
        {
            return false;
        }
        for (final StreamEdge input : graph.streamGraph().inputsOf(node))
        {
            if (input.partitioning().kind() == Partitioning.Kind.BROADCAST)
            {
                return true;
            }
        }
        return false;
    }

    private static boolean intersect(final KeyGroupRange a, final KeyGroupRange b)
    {
        return a.size() > 0 && b.size() > 0 && a.start() <= b.end() && b.start() <= a.end();
    }

    private List<Manifest.FileEntry> filesOf(final Manifest.VertexEntry vertex)
    {
        final List<Manifest.FileEntry> result = new ArrayList<>();
        for (final Manifest.FileEntry entry : manifest.files())
        {
            if (entry.vertexId() == vertex.id())
            {
                result.add(entry);
            }
        }
        result.sort(Comparator.comparingInt(Manifest.FileEntry::subtask));
        return result;
    }

    private StateFile file(final Manifest.FileEntry entry) throws IOException
    {
        StateFile file = read.get(entry.name());
        if (file == null)
        {
            file = files.read(entry);
            read.put(entry.name(), file);
        }
        return file;
    }

    private List<SourceSplit> splits(final StreamNode source, final Manifest.VertexEntry oldVertex, final int parallelism, final int subtask)
        throws IOException
    {
        final TypeSerializer<? extends SourceSplit> serializer = source.source().splitSerializer();
        final List<List<SourceSplit>> perOldSubtask = new ArrayList<>();
        for (final Manifest.FileEntry entry : filesOf(oldVertex))
        {
            final byte[] bytes = file(entry).splits();
            final List<SourceSplit> splits = new ArrayList<>();
            if (bytes != null)
            {
                final DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
                try
                {
                    final int count = in.readInt();
                    for (int i = 0; i < count; i++)
                    {
                        splits.add(serializer.deserialize(in));
                    }
                }
                catch (final IOException e)
                {
                    throw new IOException(checkpoint + ", " + entry.name() + ": cannot read the splits of source '" + source.name() + "': " + e.getMessage(), e);
                }
            }
            perOldSubtask.add(splits);
        }
        return SplitDeal.splitsFor(perOldSubtask, subtask, parallelism);
    }
}
