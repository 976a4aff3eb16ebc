package io.tidemark.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemark.engine.api.Durations;

/**
 * How the {@code tidemark job} commands print what the API answers: durations as people read
 * them, counts with separators, and tables with aligned columns.
 */
final class JobText
{
    private JobText()
    {
    }

    /**
     * @param ms a measured duration in milliseconds.
     * @return it rounded to what a reader needs, written by {@link Durations#format}:
     *         {@code 850ms}, {@code 12.3s}, {@code 5m12s} or {@code 2h5m}.
     */
    static String duration(final long ms)
    {
        final long precision = ms < 1000 ? 1 : ms < 60_000 ? 100 : ms < 3_600_000 ? 1000 : 60_000;
        return Durations.format(Duration.ofMillis(Math.round((double)ms / precision) * precision));
    }

    /**
     * @param count a count.
     * @return it with thousands separators.
     */
    static String count(final long count)
    {
        return String.format(Locale.ROOT, "%,d", count);
    }

    /**
     * @param bytes a size.
     * @return it in B, KiB, MiB or GiB.
     */
    static String size(final long bytes)
    {
        if (bytes < 1024)
        {
            return bytes + " B";
        }
        final String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes / 1024.0;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1)
        {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /**
     * @param checkpoint a CheckpointSummary's JSON, or null.
     * @param nowMs      the time now, epoch milliseconds.
     * @return {@code #42 (3.1s ago)}, or {@code -} for none.
     */
    static String checkpoint(final JsonNode checkpoint, final long nowMs)
    {
        if (checkpoint == null || checkpoint.isNull())
        {
            return "-";
        }
        return "#" + checkpoint.path("id").asLong() + " (" + duration(Math.max(0, nowMs - checkpoint.path("timestampMs").asLong())) + " ago)";
    }

    /**
     * Rows padded into aligned columns, each line without trailing spaces.
     */
    static final class Table
    {
        private final List<String[]> rows = new ArrayList<>();

        /**
         * @param cells a row; the first row added is the header.
         * @return this table.
         */
        Table row(final String... cells)
        {
            rows.add(cells);
            return this;
        }

        /**
         * @param indent spaces before every line.
         * @return the lines of the table.
         */
        List<String> lines(final int indent)
        {
            final int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
            final int[] widths = new int[columns];
            for (final String[] row : rows)
            {
                for (int i = 0; i < row.length; i++)
                {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
            final List<String> lines = new ArrayList<>();
            for (final String[] row : rows)
            {
                final StringBuilder line = new StringBuilder(" ".repeat(indent));
                for (int i = 0; i < row.length; i++)
                {
                    line.append(row[i]).append(" ".repeat(i == row.length - 1 ? 0 : widths[i] - row[i].length() + 2));
                }
                lines.add(line.toString().stripTrailing());
            }
            return lines;
        }
    }
}
