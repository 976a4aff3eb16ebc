package io.tidemark.connector.file;

import java.io.Serializable;
import java.util.Objects;

/**
 * JSON lines: one flat JSON object per line ({@code {"user":"ann","time":1000}}), read with
 * {@link FlatJsonObject} and turned into a record by a mapper.
 *
 * <pre>{@code
 * JsonLinesFormat.of(json -> new Click(json.getString("user"), json.getLong("time")))
 * }</pre>
 *
 * @param <T> the record type.
 */
public final class JsonLinesFormat<T> implements LineFormat<T>
{
    private static final long serialVersionUID = 1L;

    /**
     * Builds a record from an object.
     *
     * @param <T> the record type.
     */
    @FunctionalInterface
    public interface ObjectMapper<T> extends Serializable
    {
        /**
         * @param object the line's object.
         * @return the record.
         * @throws Exception if the object does not make a record.
         */
        T map(FlatJsonObject object) throws Exception;
    }

    private final ObjectMapper<T> mapper;

    private JsonLinesFormat(final ObjectMapper<T> mapper)
    {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /**
     * @param mapper builds a record from each line's object.
     * @param <T>    the record type.
     * @return the format.
     */
    public static <T> JsonLinesFormat<T> of(final ObjectMapper<T> mapper)
    {
        return new JsonLinesFormat<>(mapper);
    }

    @Override
    public T parse(final String line) throws Exception
    {
        return mapper.map(FlatJsonObject.parse(line));
    }
}
