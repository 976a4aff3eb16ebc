package io.tidemark.connector.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class CsvFormatTest
{
    private static final CsvFormat<CsvRow> ROWS = CsvFormat.of(row -> row);

    @Test
    void quotedFieldsMayHoldDelimitersAndDoubledQuotes()
    {
        assertEquals(List.of("a", "b, c", "say \"hi\"", "", "d"), ROWS.split("a,\"b, c\",\"say \"\"hi\"\"\",,d"));
        assertEquals(List.of("", ""), ROWS.split(","));
        assertEquals(List.of(""), ROWS.split(""));
        assertEquals(List.of("a", "b;c"), ROWS.withDelimiter('\t').split("a\tb;c"));
    }

    @Test
    void unbalancedQuotesAreRefusedWithTheColumn()
    {
        assertEquals("the quote opened at column 3 is not closed (a field cannot span lines)",
            assertThrows(IllegalArgumentException.class, () -> ROWS.split("a,\"b")).getMessage());
        assertEquals("a quote inside an unquoted field at column 4", assertThrows(IllegalArgumentException.class, () -> ROWS.split("a,b\"c")).getMessage());
        assertEquals("unexpected 'x' after the closing quote at column 5", assertThrows(IllegalArgumentException.class, () -> ROWS.split("a,\"b\"x")).getMessage());
    }

    @Test
    void aHeaderNamesTheColumnsAndFixesTheirNumber() throws Exception
    {
        final CsvFormat<String> format = CsvFormat.of(row -> row.get("user") + "@" + row.getLong("time")).withHeader();
        format.readHeader("user, time");
        assertEquals("ann@1000", format.parse("ann, 1000"));
        assertEquals("column 'time' is not a whole number: 'noon'", assertThrows(IllegalArgumentException.class, () -> format.parse("ann,noon")).getMessage());
        assertEquals("the line has 3 fields, the header 2", assertThrows(IllegalArgumentException.class, () -> format.parse("ann,1,2")).getMessage());
        final CsvFormat<String> unknown = CsvFormat.of(row -> row.get("when")).withHeader();
        unknown.readHeader("user,time");
        assertEquals("no column 'when'; the header has [user, time]", assertThrows(IllegalArgumentException.class, () -> unknown.parse("a,1")).getMessage());
        assertEquals("the header names column 'a' twice", assertThrows(IllegalArgumentException.class, () -> format.readHeader("a,b,a")).getMessage());
    }

    /** Writes fields as RFC 4180 does: quoted when they hold a comma or a quote. */
    private static String write(final List<String> fields)
    {
        final List<String> out = new ArrayList<>();
        for (final String field : fields)
        {
            out.add(field.contains(",") || field.contains("\"") ? "\"" + field.replace("\"", "\"\"") + "\"" : field);
        }
        return String.join(",", out);
    }

    @Property
    void whatAWriterQuotesTheReaderSplitsBack(@ForAll @Size(min = 1, max = 8) final List<@StringLength(max = 12) @CharRange(from = ' ', to = '~') String> fields)
    {
        assertEquals(fields, ROWS.split(write(fields)));
    }
}
