package io.tidemark.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.functions.BroadcastProcessFunction;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.graph.JobGraph;
import io.tidemark.engine.graph.JobVertex;
import io.tidemark.engine.graph.Partitioning;
import io.tidemark.engine.graph.StreamGraph;
import io.tidemark.engine.graph.StreamNode;
import io.tidemark.engine.operator.BroadcastProcessOperator;
import io.tidemark.engine.operator.MapOperator;
import io.tidemark.engine.source.GeneratorSource;
import io.tidemark.engine.source.SourceSplit;
import io.tidemark.engine.state.KeyGroupRange;
import io.tidemark.engine.state.KeyGroups;
import io.tidemark.engine.time.WatermarkStrategy;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointStorageTest
{
    private static final int MAX_PARALLELISM = 128;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "on disk: {0}")
    @ValueSource(booleans = {true, false})
    void aCheckpointRoundTripsEverySubtasksStateAndSplits(final boolean onDisk) throws Exception
    {
        final CheckpointStorage storage = CheckpointStorage.open(onDisk ? dir : null, 3);
        final JobGraph graph = graph(2, 3);
        final long size = writeAll(storage, 7, graph);
        final CompletedCheckpoint completed = storage.complete(7, 1234, graph, MAX_PARALLELISM);
        assertEquals(size, completed.sizeBytes());

        final CompletedCheckpoint latest = storage.latest().orElseThrow();
        assertEquals(7, latest.id());
        assertEquals(1234, latest.timestamp());
        assertEquals(onDisk ? completed.directory() : null, latest.directory());
        for (final JobVertex vertex : graph.vertices())
        {
            for (int subtask = 0; subtask < vertex.parallelism(); subtask++)
            {
                final TaskRestore restore = latest.restoreFor(graph, vertex, subtask, MAX_PARALLELISM);
                for (final StreamNode node : vertex.nodes())
                {
                    final List<DataInput> inputs = restore.operators().get(node.id());
                    assertEquals(1, inputs.size(), "without rescaling each subtask gets back its own snapshot");
                    assertEquals(stateOf(node.id(), subtask), inputs.get(0).readUTF());
                }
                if (vertex.head().isSource())
                {
                    assertEquals(List.of(new GeneratorSource.Split(subtask, 2, subtask + 40)), restore.splits());
                }
                else
                {
                    assertNull(restore.splits());
                }
            }
        }
    }

    @Test
    void aCheckpointWithoutManifestIsSkippedForThePreviousOne() throws Exception
    {
        final CheckpointStorage storage = CheckpointStorage.open(dir, 3);
        final JobGraph graph = graph(2, 2);
        writeAll(storage, 1, graph);
        storage.complete(1, 1, graph, MAX_PARALLELISM);
        writeAll(storage, 2, graph);

        assertTrue(Files.isDirectory(dir.resolve("chk-00000000000000000002")), "written, not completed");
        assertEquals(1, storage.latest().orElseThrow().id());
        assertEquals(1, CheckpointStorage.open(dir, 3).latest().orElseThrow().id(), "also after a restart");
        assertEquals(1, CheckpointStorage.load(dir).id(), "a directory of checkpoints loads its latest complete one");
    }

    @Test
    void aCheckpointWithADamagedStateFileIsSkippedAndLoadingItNamesTheFile() throws Exception
    {
        final CheckpointStorage storage = CheckpointStorage.open(dir, 3);
        final JobGraph graph = graph(2, 2);
        writeAll(storage, 1, graph);
        storage.complete(1, 1, graph, MAX_PARALLELISM);
        writeAll(storage, 2, graph);
        final CompletedCheckpoint second = storage.complete(2, 2, graph, MAX_PARALLELISM);
        final Path stateFile = second.directory().resolve("v1-s0.state");
        final byte[] bytes = Files.readAllBytes(stateFile);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(stateFile, bytes);

        assertEquals(1, CheckpointStorage.open(dir, 3).latest().orElseThrow().id());
        final IOException damaged = assertThrows(IOException.class, () -> CheckpointStorage.load(second.directory()));
        assertTrue(damaged.getMessage().contains(stateFile.toString()) && damaged.getMessage().contains("checksum"), damaged.getMessage());

        Files.delete(stateFile);
        final IOException missing = assertThrows(IOException.class, () -> CheckpointStorage.load(second.directory()));
        assertTrue(missing.getMessage().contains(stateFile.toString()), missing.getMessage());
        assertEquals(1, CheckpointStorage.open(dir, 3).latest().orElseThrow().id());
    }

    @Test
    void aDamagedManifestGivesAnErrorNamingItAndIsSkipped() throws Exception
    {
        final CheckpointStorage storage = CheckpointStorage.open(dir, 3);
        final JobGraph graph = graph(1, 1);
        writeAll(storage, 1, graph);
        storage.complete(1, 1, graph, MAX_PARALLELISM);
        writeAll(storage, 2, graph);
        final Path manifest = storage.complete(2, 2, graph, MAX_PARALLELISM).directory().resolve("MANIFEST");
        final byte[] bytes = Files.readAllBytes(manifest);
        Files.write(manifest, java.util.Arrays.copyOf(bytes, bytes.length - 3));

        final IOException truncated = assertThrows(IOException.class, () -> CheckpointStorage.load(manifest.getParent()));
        assertTrue(truncated.getMessage().contains(manifest.toString()), truncated.getMessage());
        assertEquals(1, storage.latest().orElseThrow().id());

        Files.write(manifest, "not a manifest at all".getBytes());
        final IOException foreign = assertThrows(IOException.class, () -> CheckpointStorage.load(manifest.getParent()));
        assertTrue(foreign.getMessage().contains(manifest.toString()) && foreign.getMessage().contains("not a checkpoint manifest"), foreign.getMessage());
    }

    @Test
    void onlyTheLastRetainedCheckpointsAreKeptAndOlderIncompleteOnesGo() throws Exception
    {
        final CheckpointStorage storage = CheckpointStorage.open(dir, 2);
        final JobGraph graph = graph(1, 1);
        writeAll(storage, 1, graph);
        storage.discard(1);
        assertFalse(Files.exists(dir.resolve("chk-00000000000000000001")), "an aborted checkpoint is deleted");
        writeAll(storage, 2, graph);
        for (long id = 3; id <= 6; id++)
        {
            writeAll(storage, id, graph);
            storage.complete(id, id, graph, MAX_PARALLELISM);
        }
        final List<String> left;
        try (Stream<Path> entries = Files.list(dir))
        {
            left = entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("chk-00000000000000000005", "chk-00000000000000000006"), left);

        final CheckpointStorage inMemory = CheckpointStorage.open(null, 2);
        for (long id = 1; id <= 4; id++)
        {
            writeAll(inMemory, id, graph);
            inMemory.complete(id, id, graph, MAX_PARALLELISM);
        }
        assertEquals(4, inMemory.latest().orElseThrow().id());
    }

    @Test
    void aJobThatDoesNotMatchTheCheckpointIsRefusedSayingWhy() throws Exception
    {
        final CheckpointStorage storage = CheckpointStorage.open(dir, 1);
        final JobGraph graph = graph(2, 2);
        writeAll(storage, 1, graph);
        final CompletedCheckpoint completed = storage.complete(1, 1, graph, MAX_PARALLELISM);

        final JobGraph renamed = graph(2, 2);
        renamed.streamGraph().nodes().get(1).name("other");
        final IOException names = assertThrows(IOException.class, () -> completed.restoreFor(renamed, renamed.vertices().get(1), 0, MAX_PARALLELISM));
        assertTrue(names.getMessage().contains("node 1 is 'other' in the job, 'count' in the checkpoint"), names.getMessage());

        final IOException keyGroups = assertThrows(IOException.class, () -> completed.restoreFor(graph, graph.vertices().get(1), 0, 64));
        assertTrue(keyGroups.getMessage().contains("128 key groups, the job has 64"), keyGroups.getMessage());
    }

    @Test
    void aSubtaskThatHadFinishedLeavesNothingToRestore() throws Exception
    {
        final CheckpointStorage storage = CheckpointStorage.open(dir, 1);
        final JobGraph graph = graph(2, 2);
        final JobVertex source = graph.vertices().get(0);
        storage.write(1, snapshot(source, 0, 1));
        final CompletedCheckpoint completed = storage.complete(1, 1, graph, MAX_PARALLELISM);

        assertEquals(List.of(new GeneratorSource.Split(0, 2, 40)), completed.restoreFor(graph, source, 0, MAX_PARALLELISM).splits());
        assertEquals(List.of(), completed.restoreFor(graph, source, 1, MAX_PARALLELISM).splits(), "a source with no splits left");
        assertEquals(List.of(), completed.restoreFor(graph, graph.vertices().get(1), 1, MAX_PARALLELISM).operators().get(1));
    }

    @Test
    void everySubtaskOfAnUnkeyedBroadcastOperatorGetsTheBroadcastStateAtAnyParallelism() throws Exception
    {
        final CheckpointStorage storage = CheckpointStorage.open(dir, 1);
        final JobGraph graph = broadcastGraph(2);
        final JobVertex tag = graph.vertices().get(2);
        storage.write(1, snapshot(tag, 0, 1));
        storage.write(1, snapshot(tag, 1, 1));
        final CompletedCheckpoint completed = storage.complete(1, 1, graph, MAX_PARALLELISM);
        final int node = tag.head().id();

        final JobGraph up = broadcastGraph(5);
        for (int subtask = 0; subtask < 5; subtask++)
        {
            final List<DataInput> inputs = completed.restoreFor(up, up.vertices().get(2), subtask, MAX_PARALLELISM).operators().get(node);
            assertEquals(1, inputs.size(), "subtask " + subtask + " of 5 starts with one copy of the broadcast state");
            assertEquals(stateOf(node, subtask % 2), inputs.get(0).readUTF());
        }
        final JobGraph down = broadcastGraph(1);
        final List<DataInput> inputs = completed.restoreFor(down, down.vertices().get(2), 0, MAX_PARALLELISM).operators().get(node);
        assertEquals(List.of(stateOf(node, 0), stateOf(node, 1)), List.of(inputs.get(0).readUTF(), inputs.get(1).readUTF()));
        assertEquals(2, inputs.size());
    }

    /**
     * Sources "events" and "rules" feeding the unkeyed two-input operator "tag" (node 2), the
     * rules over a broadcast edge.
     */
    private static JobGraph broadcastGraph(final int tagParallelism)
    {
        final StreamGraph graph = new StreamGraph();
        final StreamNode events = graph.addSource("events", 2, GeneratorSource.of(100, i -> i), WatermarkStrategy.noWatermarks());
        final StreamNode rules = graph.addSource("rules", 1, GeneratorSource.of(10, i -> i), WatermarkStrategy.noWatermarks());
        final StreamNode tag = graph.addTwoInputOperator("tag", tagParallelism,
            () -> new BroadcastProcessOperator<Long, Long, Long>(new BroadcastProcessFunction<Long, Long, Long>()
            {
                private static final long serialVersionUID = 1L;

                @Override
                public void processElement(final Long value, final ReadOnlyContext ctx, final Collector<Long> out)
                {
                    out.collect(value);
                }

                @Override
                public void processBroadcastElement(final Long value, final Context ctx, final Collector<Long> out)
                {
                }
            }, List.of()));
        graph.addEdge(events, tag, Partitioning.rebalance(), null, 1);
        graph.addEdge(rules, tag, Partitioning.broadcast(), null, 2);
        return JobGraph.of(graph);
    }

    /**
     * A source of the given parallelism feeding a keyed operator "count" (node 1) over a hash
     * edge.
     */
    static JobGraph graph(final int sourceParallelism, final int countParallelism)
    {
        final StreamGraph graph = new StreamGraph();
        final StreamNode source = graph.addSource("numbers", sourceParallelism, GeneratorSource.of(100, i -> i), WatermarkStrategy.noWatermarks());
        final StreamNode count = graph.addOperator("count", countParallelism, () -> new MapOperator<Long, Long>(x -> x));
        graph.addEdge(source, count, Partitioning.hash(x -> x), null);
        return JobGraph.of(graph);
    }

    private static long writeAll(final CheckpointStorage storage, final long checkpointId, final JobGraph graph) throws IOException
    {
        long bytes = 0;
        for (final JobVertex vertex : graph.vertices())
        {
            for (int subtask = 0; subtask < vertex.parallelism(); subtask++)
            {
                bytes += storage.write(checkpointId, snapshot(vertex, subtask, checkpointId));
            }
        }
        return bytes;
    }

    private static TaskSnapshot snapshot(final JobVertex vertex, final int subtask, final long checkpointId) throws IOException
    {
        final Map<Integer, OperatorSnapshot> operators = new HashMap<>();
        for (final StreamNode node : vertex.nodes())
        {
            operators.put(node.id(), out -> out.writeUTF(stateOf(node.id(), subtask)));
        }
        byte[] splits = null;
        if (vertex.head().isSource())
        {
            final List<SourceSplit> mine = new ArrayList<>();
            mine.add(new GeneratorSource.Split(subtask, vertex.parallelism(), subtask + 40));
            splits = serialize(mine);
        }
        final KeyGroupRange keyGroups = KeyGroups.rangeFor(MAX_PARALLELISM, vertex.parallelism(), subtask);
        return new TaskSnapshot(vertex.id(), subtask, vertex.parallelism(), keyGroups, operators, splits, 1, 0);
    }

    static byte[] serialize(final List<SourceSplit> splits) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(splits.size());
        for (final SourceSplit split : splits)
        {
            GeneratorSource.of(1, i -> i).splitSerializer().serialize((GeneratorSource.Split)split, out);
        }
        return bytes.toByteArray();
    }

    private static String stateOf(final int nodeId, final int subtask)
    {
        return "node " + nodeId + " of subtask " + subtask;
    }

    @Test
    void stateFileBytesAreTheSameOnDiskAndInMemory() throws Exception
    {
        final JobGraph graph = graph(1, 1);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CheckpointFormat.writeState(3, snapshot(graph.vertices().get(0), 0, 3), bytes);
        final CheckpointStorage storage = CheckpointStorage.open(dir, 1);
        storage.write(3, snapshot(graph.vertices().get(0), 0, 3));
        assertArrayEquals(bytes.toByteArray(), Files.readAllBytes(dir.resolve("chk-00000000000000000003").resolve("v0-s0.state")));
    }
}
