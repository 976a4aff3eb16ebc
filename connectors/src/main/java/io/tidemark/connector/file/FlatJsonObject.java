package io.tidemark.connector.file;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One JSON object whose values are strings, numbers, booleans or {@code null}: the shape of
 * an event in a JSON-lines file. {@link #parse} is strict (RFC 8259 for everything it
 * accepts) and refuses nested objects and arrays by name, rather than guessing how to
 * flatten them; every error says at which column and why.
 *
 * <p>Why not a general JSON library: events here are flat, and a strict flat reader is a
 * page of code with no dependency. A job that needs nested documents should parse them in
 * its own {@link LineFormat} with a library such as Jackson.
 */
public final class FlatJsonObject
{
    private final Map<String, Object> fields;

    private FlatJsonObject(final Map<String, Object> fields)
    {
        this.fields = fields;
    }

    /**
     * @param text one JSON object.
     * @return it.
     * @throws IllegalArgumentException if the text is not a flat JSON object.
     */
    public static FlatJsonObject parse(final String text)
    {
        return new FlatJsonObject(new Reader(text).object());
    }

    /**
     * @return the field names, in the order they appear.
     */
    public Set<String> names()
    {
        return Collections.unmodifiableSet(fields.keySet());
    }

    /**
     * @param name a field name.
     * @return whether the object has the field (even if its value is {@code null}).
     */
    public boolean has(final String name)
    {
        return fields.containsKey(name);
    }

    /**
     * @param name a field name.
     * @return whether the field is present with the value {@code null}.
     */
    public boolean isNull(final String name)
    {
        return fields.containsKey(name) && fields.get(name) == null;
    }

    /**
     * @param name a field name.
     * @return its string value.
     * @throws IllegalArgumentException if it is missing or not a string.
     */
    public String getString(final String name)
    {
        final Object value = require(name);
        if (!(value instanceof String string))
        {
            throw new IllegalArgumentException("field '" + name + "' is not a string: " + describe(value));
        }
        return string;
    }

    /**
     * @param name a field name.
     * @return its value as a whole number.
     * @throws IllegalArgumentException if it is missing, not a number or not whole.
     */
    public long getLong(final String name)
    {
        final Object value = require(name);
        if (value instanceof JsonNumber number)
        {
            try
            {
                return Long.parseLong(number.text);
            }
            catch (final NumberFormatException e)
            {
                throw new IllegalArgumentException("field '" + name + "' is not a whole number that fits a long: " + number.text, e);
            }
        }
        throw new IllegalArgumentException("field '" + name + "' is not a number: " + describe(value));
    }

    /**
     * @param name a field name.
     * @return its value as a double.
     * @throws IllegalArgumentException if it is missing or not a number.
     */
    public double getDouble(final String name)
    {
        final Object value = require(name);
        if (value instanceof JsonNumber number)
        {
            return Double.parseDouble(number.text);
        }
        throw new IllegalArgumentException("field '" + name + "' is not a number: " + describe(value));
    }

    /**
     * @param name a field name.
     * @return its boolean value.
     * @throws IllegalArgumentException if it is missing or not a boolean.
     */
    public boolean getBoolean(final String name)
    {
        final Object value = require(name);
        if (value instanceof Boolean bool)
        {
            return bool;
        }
        throw new IllegalArgumentException("field '" + name + "' is not a boolean: " + describe(value));
    }

    private Object require(final String name)
    {
        if (!fields.containsKey(name))
        {
            throw new IllegalArgumentException("field '" + name + "' is missing; the object has " + fields.keySet());
        }
        final Object value = fields.get(name);
        if (value == null)
        {
            throw new IllegalArgumentException("field '" + name + "' is null");
        }
        return value;
    }

    private static String describe(final Object value)
    {
        return value instanceof String s ? "\"" + s + "\"" : value instanceof JsonNumber n ? n.text : String.valueOf(value);
    }

    @Override
    public String toString()
    {
        return fields.toString();
    }

    /** A number kept as its JSON text, converted when asked for a type. */
    private record JsonNumber(String text)
    {
        @Override
        public String toString()
        {
            return text;
        }
    }

    /** A recursive-descent reader of one flat object; positions in errors count from 1. */
    private static final class Reader
    {
        private final String text;
        private int at;

        Reader(final String text)
        {
            this.text = text;
        }

        Map<String, Object> object()
        {
            final Map<String, Object> fields = new LinkedHashMap<>();
            skipSpace();
            expect('{', "a JSON object must start with '{'");
            skipSpace();
            if (peek() == '}')
            {
                at++;
            }
            else
            {
                while (true)
                {
                    skipSpace();
                    expect('"', "expected a field name in quotes");
                    final int nameAt = at;
                    final String name = string();
                    skipSpace();
                    expect(':', "expected ':' after field name '" + name + "'");
                    skipSpace();
                    final Object value = value(name);
                    if (fields.containsKey(name))
                    {
                        throw error(nameAt, "field '" + name + "' appears twice");
                    }
                    fields.put(name, value);
                    skipSpace();
                    final char next = peek();
                    at++;
                    if (next == '}')
                    {
                        break;
                    }
                    if (next != ',')
                    {
                        throw error(at - 1, "expected ',' or '}' after the value of '" + name + "'");
                    }
                }
            }
            skipSpace();
            if (at < text.length())
            {
                throw error(at, "unexpected text after the object");
            }
            return fields;
        }

        private Object value(final String name)
        {
            final char c = peek();
            switch (c)
            {
                case '"':
                    at++;
                    return string();
                case '{':
                case '[':
                    throw error(at, "field '" + name + "' holds a nested " + (c == '{' ? "object" : "array")
                        + ": this reader takes flat objects only (strings, numbers, booleans, null)");
                case 't':
                    literal("true");
                    return Boolean.TRUE;
                case 'f':
                    literal("false");
                    return Boolean.FALSE;
                case 'n':
                    literal("null");
                    return null;
                default:
                    return number();
            }
        }

        private String string()
        {
            final StringBuilder out = new StringBuilder();
            while (true)
            {
                if (at >= text.length())
                {
                    throw error(at, "the string is not closed");
                }
                final char c = text.charAt(at++);
                if (c == '"')
                {
                    return out.toString();
                }
                if (c < 0x20)
                {
                    throw error(at - 1, "a control character inside a string must be escaped");
                }
                if (c != '\\')
                {
                    out.append(c);
                    continue;
                }
                if (at >= text.length())
                {
                    throw error(at, "the string is not closed");
                }
                final char escaped = text.charAt(at++);
                switch (escaped)
                {
                    case '"', '\\', '/' -> out.append(escaped);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> out.append(unicodeEscape());
                    default -> throw error(at - 2, "unknown escape '\\" + escaped + "'");
                }
            }
        }

        private char unicodeEscape()
        {
            if (at + 4 > text.length())
            {
                throw error(at - 2, "a \\u escape needs four hex digits");
            }
            int code = 0;
            for (int i = 0; i < 4; i++)
            {
                final int digit = Character.digit(text.charAt(at++), 16);
                if (digit < 0)
                {
                    throw error(at - 1, "a \\u escape needs four hex digits");
                }
                code = code * 16 + digit;
            }
            return (char)code;
        }

        private JsonNumber number()
        {
            final int start = at;
            if (peek() == '-')
            {
                at++;
            }
            if (peek() == '0')
            {
                at++;
            }
            else if (!digits())
            {
                throw error(start, "expected a value: a string, number, true, false or null");
            }
            if (peek() == '.')
            {
                at++;
                if (!digits())
                {
                    throw error(at, "expected digits after the decimal point");
                }
            }
            if (peek() == 'e' || peek() == 'E')
            {
                at++;
                if (peek() == '+' || peek() == '-')
                {
                    at++;
                }
                if (!digits())
                {
                    throw error(at, "expected digits in the exponent");
                }
            }
            return new JsonNumber(text.substring(start, at));
        }

        private boolean digits()
        {
            final int start = at;
            while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9')
            {
                at++;
            }
            return at > start;
        }

        private void literal(final String word)
        {
            if (!text.startsWith(word, at))
            {
                throw error(at, "expected a value: a string, number, true, false or null");
            }
            at += word.length();
        }

        private void expect(final char c, final String problem)
        {
            if (peek() != c)
            {
                throw error(at, problem);
            }
            at++;
        }

        private char peek()
        {
            if (at >= text.length())
            {
                throw error(at, "the line ends inside the object");
            }
            return text.charAt(at);
        }

        private void skipSpace()
        {
            while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t' || text.charAt(at) == '\r' || text.charAt(at) == '\n'))
            {
                at++;
            }
        }

        private static IllegalArgumentException error(final int position, final String problem)
        {
            return new IllegalArgumentException("column " + (position + 1) + ": " + problem);
        }
    }
}
