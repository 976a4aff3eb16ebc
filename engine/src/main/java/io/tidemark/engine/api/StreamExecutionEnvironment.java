package io.tidemark.engine.api;

import io.tidemark.engine.checkpoint.CheckpointConfig;
import java.util.Objects;

import io.tidemark.engine.graph.JobGraph;
import io.tidemark.engine.graph.StreamGraph;
import io.tidemark.engine.graph.StreamNode;
import io.tidemark.engine.source.CollectionSource;
import io.tidemark.engine.source.Source;
import io.tidemark.engine.task.ExecutionConfig;
import io.tidemark.engine.task.JobHandle;
import io.tidemark.engine.task.LocalExecutor;
import io.tidemark.engine.time.Clock;
import io.tidemark.engine.time.WatermarkStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Where a job is defined and started. Add sources, transform the streams they return, add
 * sinks, then {@link #execute()}:
 *
 * <pre>{@code
 * var env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
 * env.fromSource(source, WatermarkStrategy.<Click>forBoundedOutOfOrderness(Duration.ofSeconds(2))
 *         .withTimestampAssigner((click, ts) -> click.timeMs()), "clicks")
 *     .keyBy(Click::user)
 *     .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
 *     .aggregate(AggregateFunctions.count())
 *     .sinkTo(new PrintSink<>());
 * env.execute("clicks per minute");
 * }</pre>
 *
 * An operator's parallelism defaults to the environment's at the moment the operator is
 * added. Executing a job clears the definition, so the environment can define the next one.
 */
public final class StreamExecutionEnvironment
{
    private final ExecutionConfig config = new ExecutionConfig();
    private StreamGraph graph = new StreamGraph();

    private StreamExecutionEnvironment()
    {
    }

    /**
     * @return a new environment that runs jobs in this process.
     */
    public static StreamExecutionEnvironment getExecutionEnvironment()
    {
        return new StreamExecutionEnvironment();
    }

    /**
     * @param parallelism the parallelism of operators added from now on.
     * @return this environment.
     */
    public StreamExecutionEnvironment setParallelism(final int parallelism)
    {
        config.parallelism(parallelism);
        return this;
    }

    /**
     * @return the parallelism of operators added from now on.
     */
    public int getParallelism()
    {
        return config.parallelism();
    }

    /**
     * @param maxParallelism the number of key groups (default 128).
     * @return this environment.
     */
    public StreamExecutionEnvironment setMaxParallelism(final int maxParallelism)
    {
        config.maxParallelism(maxParallelism);
        return this;
    }

    /**
     * @param timeout the longest a record waits in a channel for its batch; zero for the
     *                lowest latency.
     * @return this environment.
     */
    public StreamExecutionEnvironment setBufferTimeout(final Duration timeout)
    {
        config.bufferTimeout(timeout);
        return this;
    }

    /**
     * @param interval processing time between periodic watermarks.
     * @return this environment.
     */
    public StreamExecutionEnvironment setAutoWatermarkInterval(final Duration interval)
    {
        config.autoWatermarkInterval(interval);
        return this;
    }

    /**
     * @param clock the processing-time clock.
     * @return this environment.
     */
    public StreamExecutionEnvironment setClock(final Clock clock)
    {
        config.clock(clock);
        return this;
    }

    /**
     * @return all execution settings, for the less common ones (channel capacity, batch
     * size, idle strategy).
     */
    public ExecutionConfig getConfig()
    {
        return config;
    }

    /**
     * @param source   the source.
     * @param strategy how each split generates timestamps and watermarks.
     * @param name     the source's name in metrics.
     * @param <T>      the record type.
     * @return the source's stream.
     */
    public <T> DataStream<T> fromSource(final Source<T, ?> source, final WatermarkStrategy<T> strategy, final String name)
    {
        final StreamNode node = graph.addSource(name, config.parallelism(), source, strategy);
        return new DataStream<>(this, List.of(DataStream.Upstream.mainOf(node)), node);
    }

    /**
     * A stream of the collection's elements, from one split, without timestamps or
     * watermarks (event-time windows then fire at the end of input).
     *
     * @param elements the elements.
     * @param <T>      their type.
     * @return the stream.
     */
    public <T> DataStream<T> fromCollection(final Collection<T> elements)
    {
        return fromSource(CollectionSource.of(List.copyOf(elements)), WatermarkStrategy.noWatermarks(), "collection-" + graph.nodes().size());
    }

    /**
     * @param elements the elements.
     * @param <T>      their type.
     * @return a stream of them; see {@link #fromCollection}.
     */
    @SafeVarargs
    public final <T> DataStream<T> fromElements(final T... elements)
    {
        final List<T> list = new ArrayList<>(elements.length);
        for (final T element : elements)
        {
            list.add(element);
        }
        return fromCollection(list);
    }

    /**
     * Makes the job checkpoint, and resume from its checkpoint directory's latest completed
     * checkpoint if there is one.
     *
     * @param checkpoints how the job checkpoints.
     * @return this.
     */
    public StreamExecutionEnvironment enableCheckpointing(final CheckpointConfig checkpoints)
    {
        config.checkpointing(Objects.requireNonNull(checkpoints, "checkpoints"));
        return this;
    }

    /**
     * Runs the job defined so far and waits for it to finish.
     *
     * @return the finished job's handle, with its final metrics.
     * @throws io.tidemark.engine.task.JobExecutionException if the job fails.
     */
    public JobHandle execute()
    {
        return execute("job");
    }

    /**
     * Runs the job defined so far and waits for it to finish.
     *
     * @param jobName the job's name.
     * @return the finished job's handle, with its final metrics.
     * @throws io.tidemark.engine.task.JobExecutionException if the job fails.
     */
    public JobHandle execute(final String jobName)
    {
        return executeAsync(jobName).awaitTermination();
    }

    /**
     * Starts the job defined so far and returns at once: for unbounded jobs, and to watch
     * metrics while a job runs.
     *
     * @param jobName the job's name.
     * @return the running job's handle.
     */
    public JobHandle executeAsync(final String jobName)
    {
        final JobGraph jobGraph = JobGraph.of(graph);
        graph = new StreamGraph();
        return LocalExecutor.start(jobName, jobGraph, config);
    }

    StreamGraph graph()
    {
        return graph;
    }

    ExecutionConfig config()
    {
        return config;
    }
}
