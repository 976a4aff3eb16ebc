package io.tidemark.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.graph.JobGraph;
import io.tidemark.engine.graph.JobVertex;
import io.tidemark.engine.graph.Partitioning;
import io.tidemark.engine.graph.StreamEdge;
import io.tidemark.engine.sink.CollectSink;
import io.tidemark.engine.window.TumblingEventTimeWindows;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobGraphTest
{
    @Test
    void forwardEdgesOfEqualParallelismChainAndEveryOtherEdgeCrossesTasks()
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        final DataStream<Long> numbers = env.fromElements(1L, 2L, 3L).map(x -> x * 2).name("double").filter(x -> x > 0).name("positive");
        numbers.keyBy(x -> x % 3)
            .window(TumblingEventTimeWindows.of(Duration.ofSeconds(1)))
            .aggregate(AggregateFunctions.<Long>count()).name("count")
            .map(Object::toString).name("format")
            .sinkTo(new CollectSink<>()).name("out");
        numbers.map(x -> x).name("narrow").setParallelism(1).sinkTo(new CollectSink<>()).name("narrow-out").setParallelism(1);

        final JobGraph graph = JobGraph.of(env.graph());
        final List<String> vertices = graph.vertices().stream().map(JobVertex::name).toList();
        assertEquals(List.of("collection-0 -> double -> positive", "count -> format -> out", "narrow -> narrow-out"), vertices);
        final List<String> edges = graph.channelEdges().stream().map(JobGraphTest::describe).toList();
        assertEquals(List.of("positive->count HASH", "positive->narrow REBALANCE"), edges);
    }

    @Test
    void aUnionIsNeverChainedSoItsInputsMeetInAValve()
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        final DataStream<Integer> a = env.fromElements(1);
        final DataStream<Integer> b = env.fromElements(2);
        a.union(b).map(x -> x).name("merged").sinkTo(new CollectSink<>());
        final JobGraph graph = JobGraph.of(env.graph());
        assertEquals(4 - 1, graph.vertices().size(), "two sources, and the union's consumer with its sink");
        assertEquals(List.of(Partitioning.Kind.FORWARD, Partitioning.Kind.FORWARD),
            graph.channelEdges().stream().map(e -> e.effectivePartitioning().kind()).toList());
    }

    private static String describe(final StreamEdge edge)
    {
        return edge.from().name() + "->" + edge.to().name() + " " + edge.effectivePartitioning();
    }
}
