package io.tidemark.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps what a command prints within an 80-column terminal: a line that would be longer is
 * broken at the last space that fits, its continuation indented, and a word longer than a
 * whole line (a path, say) is cut where the line ends.
 */
public final class TerminalText
{
    /** The width every line fits in: a terminal's default. */
    public static final int COLUMNS = 80;

    private TerminalText()
    {
    }

    /**
     * @param line   one line of text, without a line break.
     * @param indent spaces before each continuation line, less than {@link #COLUMNS} / 2.
     * @return the line as lines of at most {@link #COLUMNS} characters, trailing spaces removed.
     */
    public static List<String> wrap(final String line, final int indent)
    {
        if (indent < 0 || indent >= COLUMNS / 2)
        {
            throw new IllegalArgumentException("indent " + indent + " leaves too little room in " + COLUMNS + " columns");
        }
        final List<String> lines = new ArrayList<>();
        String rest = line.stripTrailing();
        String prefix = "";
        while (prefix.length() + rest.length() > COLUMNS)
        {
            final int room = COLUMNS - prefix.length();
            final int space = rest.lastIndexOf(' ', room);
            // A break inside the leading spaces would leave an empty line: cut the word instead.
            final int cut = space > 0 && !rest.substring(0, space).isBlank() ? space : room;
            lines.add(prefix + rest.substring(0, cut).stripTrailing());
            rest = rest.substring(cut).stripLeading();
            prefix = " ".repeat(indent);
        }
        lines.add(prefix + rest);
        return lines;
    }
}
