package io.tidemark.connector.file;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Comma-separated values, one record per line, as RFC 4180 writes them: a field may be
 * quoted ({@code "a, b"}), a quote inside quotes is doubled ({@code "say ""hi"""}). A quoted
 * field cannot span lines. With {@link #withHeader()}, the first line of each file names the
 * columns and every line must have as many fields as the header.
 *
 * <pre>{@code
 * CsvFormat.of(row -> new Click(row.get("user"), row.getLong("time"))).withHeader()
 * }</pre>
 *
 * @param <T> the record type.
 */
public final class CsvFormat<T> implements LineFormat<T>
{
    private static final long serialVersionUID = 1L;

    /**
     * Builds a record from a row.
     *
     * @param <T> the record type.
     */
    @FunctionalInterface
    public interface RowMapper<T> extends Serializable
    {
        /**
         * @param row the line's fields.
         * @return the record.
         * @throws Exception if the fields do not make a record.
         */
        T map(CsvRow row) throws Exception;
    }

    private final RowMapper<T> mapper;
    private final char delimiter;
    private final boolean header;
    private Map<String, Integer> columns = Map.of();

    private CsvFormat(final RowMapper<T> mapper, final char delimiter, final boolean header)
    {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.delimiter = delimiter;
        this.header = header;
    }

    /**
     * @param mapper builds a record from each line's fields.
     * @param <T>    the record type.
     * @return a comma-separated format without header.
     */
    public static <T> CsvFormat<T> of(final RowMapper<T> mapper)
    {
        return new CsvFormat<>(mapper, ',', false);
    }

    /**
     * @return a copy of this format whose files start with a header line naming the columns.
     */
    public CsvFormat<T> withHeader()
    {
        return new CsvFormat<>(mapper, delimiter, true);
    }

    /**
     * @param delimiter the field separator, such as {@code ';'} or {@code '\t'}; not a quote.
     * @return a copy of this format with that separator.
     */
    public CsvFormat<T> withDelimiter(final char delimiter)
    {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r')
        {
            throw new IllegalArgumentException("cannot separate fields with " + (int)delimiter);
        }
        return new CsvFormat<>(mapper, delimiter, header);
    }

    @Override
    public boolean hasHeader()
    {
        return header;
    }

    @Override
    public void readHeader(final String line)
    {
        final List<String> names = split(line);
        final Map<String, Integer> byName = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++)
        {
            if (byName.put(names.get(i).strip(), i) != null)
            {
                throw new IllegalArgumentException("the header names column '" + names.get(i).strip() + "' twice");
            }
        }
        columns = byName;
    }

    @Override
    public T parse(final String line) throws Exception
    {
        final List<String> fields = split(line);
        if (!columns.isEmpty() && fields.size() != columns.size())
        {
            throw new IllegalArgumentException("the line has " + fields.size() + " fields, the header " + columns.size());
        }
        return mapper.map(new CsvRow(fields, columns));
    }

    /**
     * Splits a line into fields.
     *
     * @param line a line.
     * @return its fields, unquoted.
     * @throws IllegalArgumentException if quotes are unbalanced, naming the column.
     */
    List<String> split(final String line)
    {
        final List<String> fields = new ArrayList<>();
        final StringBuilder field = new StringBuilder();
        int i = 0;
        final int n = line.length();
        while (true)
        {
            if (i < n && line.charAt(i) == '"')
            {
                final int opened = i++;
                while (true)
                {
                    if (i >= n)
                    {
                        throw new IllegalArgumentException("the quote opened at column " + (opened + 1) + " is not closed (a field cannot span lines)");
                    }
                    final char c = line.charAt(i++);
                    if (c != '"')
                    {
                        field.append(c);
                    }
                    else if (i < n && line.charAt(i) == '"')
                    {
                        field.append('"');
                        i++;
                    }
                    else
                    {
                        break;
                    }
                }
                if (i < n && line.charAt(i) != delimiter)
                {
                    throw new IllegalArgumentException("unexpected '" + line.charAt(i) + "' after the closing quote at column " + i);
                }
            }
            else
            {
                while (i < n && line.charAt(i) != delimiter)
                {
                    final char c = line.charAt(i++);
                    if (c == '"')
                    {
                        throw new IllegalArgumentException("a quote inside an unquoted field at column " + i);
                    }
                    field.append(c);
                }
            }
            fields.add(field.toString());
            field.setLength(0);
            if (i >= n)
            {
                return fields;
            }
            i++; // the delimiter
        }
    }
}
