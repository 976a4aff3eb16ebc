package io.tidemark.engine.source;

/**
 * The source subtask a reader is opened on or a discovery is made for.
 *
 * @param subtask     the subtask, from 0.
 * @param parallelism the source's parallelism.
 */
public record SourceContext(int subtask, int parallelism)
{
    /**
     * @throws IllegalArgumentException if the subtask is not one of {@code parallelism}.
     */
    public SourceContext
    {
        if (parallelism < 1 || subtask < 0 || subtask >= parallelism)
        {
            throw new IllegalArgumentException("subtask " + subtask + " of parallelism " + parallelism);
        }
    }
}
