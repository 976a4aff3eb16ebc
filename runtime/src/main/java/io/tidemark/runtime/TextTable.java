package io.tidemark.runtime;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A table printed as Kafka's tools print theirs: a header row of capitalised names, then one
 * row per line, each column left-aligned and as wide as its widest cell, one space between.
 */
final class TextTable
{
    private final List<String[]> rows = new ArrayList<>();

    /**
     * @param headers the columns' names.
     */
    TextTable(final String... headers)
    {
        rows.add(headers);
    }

    /**
     * Adds a row.
     *
     * @param cells one per column, printed with {@link String#valueOf(Object)}.
     * @return this table.
     */
    TextTable row(final Object... cells)
    {
        final String[] row = new String[rows.get(0).length];
        for (int i = 0; i < row.length; i++)
        {
            row[i] = String.valueOf(cells[i]);
        }
        rows.add(row);
        return this;
    }

    /**
     * Prints the header and the rows.
     *
     * @param out where.
     */
    void print(final PrintWriter out)
    {
        final int[] widths = new int[rows.get(0).length];
        for (final String[] row : rows)
        {
            for (int i = 0; i < row.length; i++)
            {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        final StringBuilder line = new StringBuilder();
        for (final String[] row : rows)
        {
            line.setLength(0);
            for (int i = 0; i < row.length; i++)
            {
                line.append(row[i]);
                if (i < row.length - 1)
                {
                    line.append(" ".repeat(widths[i] - row[i].length() + 1));
                }
            }
            out.println(line);
        }
        out.flush();
    }
}
