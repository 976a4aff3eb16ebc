package io.tidemark.connector.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class FlatJsonObjectTest
{
    @Test
    void readsStringsNumbersBooleansAndNullsWithEscapes()
    {
        final FlatJsonObject json = FlatJsonObject.parse(" { \"user\" : \"ann \\\"A\\\" \\u00e9\\n\", \"time\":1700000000000,\"score\":-1.5e2,\"ok\":true,\"gone\":null } ");
        assertEquals(List.of("user", "time", "score", "ok", "gone"), List.copyOf(json.names()));
        assertEquals("ann \"A\" \u00e9\n", json.getString("user"));
        assertEquals(1_700_000_000_000L, json.getLong("time"));
        assertEquals(-150.0, json.getDouble("score"));
        assertTrue(json.getBoolean("ok"));
        assertTrue(json.isNull("gone"));
        assertFalse(json.has("other"));
        assertEquals(0, FlatJsonObject.parse("{}").names().size());
    }

    @Test
    void wrongTypesAndMissingFieldsAreNamed()
    {
        final FlatJsonObject json = FlatJsonObject.parse("{\"user\":\"ann\",\"time\":1.5,\"gone\":null}");
        assertEquals("field 'time' is not a whole number that fits a long: 1.5", assertThrows(IllegalArgumentException.class, () -> json.getLong("time")).getMessage());
        assertEquals("field 'user' is not a number: \"ann\"", assertThrows(IllegalArgumentException.class, () -> json.getLong("user")).getMessage());
        assertEquals("field 'when' is missing; the object has [user, time, gone]", assertThrows(IllegalArgumentException.class, () -> json.getString("when")).getMessage());
        assertEquals("field 'gone' is null", assertThrows(IllegalArgumentException.class, () -> json.getString("gone")).getMessage());
    }

    @Test
    void malformedTextIsRefusedWithTheColumn()
    {
        final Map<String, String> errors = Map.of(
            "{\"a\":{\"b\":1}}", "column 6: field 'a' holds a nested object: this reader takes flat objects only (strings, numbers, booleans, null)",
            "{\"a\":[1]}", "column 6: field 'a' holds a nested array: this reader takes flat objects only (strings, numbers, booleans, null)",
            "{\"a\":1,\"a\":2}", "column 9: field 'a' appears twice",
            "{\"a\":1} x", "column 9: unexpected text after the object",
            "{\"a\":01}", "column 7: expected ',' or '}' after the value of 'a'",
            "{\"a\":1.}", "column 8: expected digits after the decimal point",
            "{\"a\":tru}", "column 6: expected a value: a string, number, true, false or null",
            "{\"a\":\"x", "column 8: the string is not closed",
            "[1]", "column 1: a JSON object must start with '{'",
            "{\"a\":\"\\q\"}", "column 7: unknown escape '\\q'");
        errors.forEach((text, message) -> assertEquals(message, assertThrows(IllegalArgumentException.class, () -> FlatJsonObject.parse(text)).getMessage(), text));
        assertEquals("column 8: the line ends inside the object", assertThrows(IllegalArgumentException.class, () -> FlatJsonObject.parse("{\"a\":1,")).getMessage());
    }

    private static String quote(final String s)
    {
        final StringBuilder out = new StringBuilder("\"");
        for (final char c : s.toCharArray())
        {
            if (c == '"' || c == '\\')
            {
                out.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                out.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    @Property(tries = 200)
    void whatAWriterEscapesTheReaderReadsBack(@ForAll @Size(max = 6) final List<@StringLength(max = 20) String> values, @ForAll final long number)
    {
        final StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++)
        {
            text.append(quote("f\t" + i)).append(':').append(quote(values.get(i))).append(',');
        }
        text.append("\"number\":").append(number).append('}');
        final FlatJsonObject json = FlatJsonObject.parse(text.toString());
        for (int i = 0; i < values.size(); i++)
        {
            assertEquals(values.get(i), json.getString("f\t" + i));
        }
        assertEquals(number, json.getLong("number"));
        assertEquals(values.size() + 1, json.names().size());
    }
}
