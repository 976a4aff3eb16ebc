package io.tidemark.engine.api;

/**
 * The end of a stream: a sink, which can be named and given its own parallelism.
 */
public final class DataStreamSink
{
    private final DataStream<?> sinkStream;

    DataStreamSink(final DataStream<?> sinkStream)
    {
        this.sinkStream = sinkStream;
    }

    /**
     * @param name the sink's name in metrics.
     * @return this sink.
     */
    public DataStreamSink name(final String name)
    {
        sinkStream.name(name);
        return this;
    }

    /**
     * @param parallelism the sink's parallelism.
     * @return this sink.
     */
    public DataStreamSink setParallelism(final int parallelism)
    {
        sinkStream.setParallelism(parallelism);
        return this;
    }
}
