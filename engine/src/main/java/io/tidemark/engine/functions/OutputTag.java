package io.tidemark.engine.functions;

import java.util.Objects;

/**
 * Names a side output: a second stream an operator can emit into besides its main output,
 * such as the records a window operator received too late. Two tags with the same id are
 * the same side output.
 *
 * @param <T> the type of the side output's records.
 */
public final class OutputTag<T>
{
    private final String id;

    /**
     * @param id the side output's name, unique within the job.
     */
    public OutputTag(final String id)
    {
        this.id = Objects.requireNonNull(id, "id");
    }

    /**
     * @return the side output's name.
     */
    public String id()
    {
        return id;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof OutputTag<?> tag && tag.id.equals(id);
    }

    @Override
    public int hashCode()
    {
        return id.hashCode();
    }

    @Override
    public String toString()
    {
        return "OutputTag(" + id + ")";
    }
}
