package io.tidemark.connector.file;

import java.util.List;
import java.util.Map;

/**
 * The fields of one CSV line, by position or, when the file has a header, by column name.
 * Every accessor fails with a message that names the column and quotes the offending text.
 */
public final class CsvRow
{
    private final List<String> fields;
    private final Map<String, Integer> columns;

    CsvRow(final List<String> fields, final Map<String, Integer> columns)
    {
        this.fields = fields;
        this.columns = columns;
    }

    /**
     * @return the number of fields.
     */
    public int size()
    {
        return fields.size();
    }

    /**
     * @param index a field's position, from 0.
     * @return its text.
     * @throws IllegalArgumentException if the line has no such field.
     */
    public String get(final int index)
    {
        if (index < 0 || index >= fields.size())
        {
            throw new IllegalArgumentException("field " + index + " is missing: the line has " + fields.size() + " fields");
        }
        return fields.get(index);
    }

    /**
     * @param column a column name from the header.
     * @return the field's text.
     * @throws IllegalArgumentException if there is no header or no such column.
     */
    public String get(final String column)
    {
        final Integer index = columns.get(column);
        if (index == null)
        {
            throw new IllegalArgumentException(columns.isEmpty() ? "no header to look up column '" + column + "' in"
                : "no column '" + column + "'; the header has " + columns.keySet());
        }
        return fields.get(index);
    }

    /**
     * @param column a column name from the header.
     * @return the field as a whole number.
     * @throws IllegalArgumentException if it is not one.
     */
    public long getLong(final String column)
    {
        final String text = get(column);
        try
        {
            return Long.parseLong(text.strip());
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("column '" + column + "' is not a whole number: '" + text + "'", e);
        }
    }

    /**
     * @param index a field's position, from 0.
     * @return the field as a whole number.
     * @throws IllegalArgumentException if it is not one.
     */
    public long getLong(final int index)
    {
        final String text = get(index);
        try
        {
            return Long.parseLong(text.strip());
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("field " + index + " is not a whole number: '" + text + "'", e);
        }
    }

    /**
     * @param column a column name from the header.
     * @return the field as a number.
     * @throws IllegalArgumentException if it is not one.
     */
    public double getDouble(final String column)
    {
        final String text = get(column);
        try
        {
            return Double.parseDouble(text.strip());
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("column '" + column + "' is not a number: '" + text + "'", e);
        }
    }

    @Override
    public String toString()
    {
        return fields.toString();
    }
}
