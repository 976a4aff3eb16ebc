package io.tidemark.engine.source;

/**
 * A record a source could not turn into a value: a line of a file that does not parse, a log
 * record its deserializer rejects. The message says where it is ({@code clicks.csv:17},
 * {@code clicks-2 offset 1041}) and what is wrong with it.
 */
public final class MalformedRecordException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String location;

    /**
     * @param location where the record is: file and line, or partition and offset.
     * @param problem  what is wrong with it.
     * @param cause    the parser's error, or {@code null}.
     */
    public MalformedRecordException(final String location, final String problem, final Throwable cause)
    {
        super(location + ": " + problem, cause);
        this.location = location;
    }

    /**
     * @return where the record is.
     */
    public String location()
    {
        return location;
    }
}
