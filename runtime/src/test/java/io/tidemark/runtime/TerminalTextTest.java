package io.tidemark.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class TerminalTextTest
{
    @Test
    void aShortLineIsLeftAlone()
    {
        assertEquals(List.of("  on time      event 10:04-10:05 total: 1,882 views"), TerminalText.wrap("  on time      event 10:04-10:05 total: 1,882 views  ", 15));
    }

    @Test
    void aLongLineBreaksAtASpaceAndItsContinuationIsIndented()
    {
        final String line = "  LATE UPDATE  " + "word ".repeat(20);
        final List<String> lines = TerminalText.wrap(line, 15);
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("  LATE UPDATE  word") && lines.get(0).endsWith("word"), lines.get(0));
        assertTrue(lines.get(1).startsWith(" ".repeat(15) + "word"), lines.get(1));
        assertEquals(line.strip(), String.join(" ", lines.stream().map(String::strip).toList()));
    }

    @Test
    void aWordLongerThanALineIsCut()
    {
        final String path = "/tmp/" + "x".repeat(200);
        final List<String> lines = TerminalText.wrap("  topic page_views in " + path, 2);
        assertEquals("  topic page_views in", lines.get(0));
        assertEquals(path, String.join("", lines.subList(1, lines.size()).stream().map(String::strip).toList()));
    }

    @Test
    void anIndentThatLeavesNoRoomIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> TerminalText.wrap("text", 40));
    }

    @Property
    void nothingIsLostAndNoLineIsLongerThanEightyColumns(
        @ForAll @StringLength(max = 400) @CharRange(from = ' ', to = '~') final String words, @ForAll @IntRange(max = 39) final int indent)
    {
        final List<String> lines = TerminalText.wrap(words, indent);
        for (final String wrapped : lines)
        {
            assertTrue(wrapped.length() <= TerminalText.COLUMNS, wrapped);
        }
        assertEquals(words.replace(" ", ""), String.join("", lines).replace(" ", ""));
    }
}
