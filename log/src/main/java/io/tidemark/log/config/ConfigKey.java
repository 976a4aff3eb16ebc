package io.tidemark.log.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.tidemark.log.errors.InvalidConfigurationException;

/**
 * One row of a {@link ConfigTable}: a key, its type and valid values, its default and one line
 * of documentation. The factories make each row one line of the table.
 *
 * @param name the key, as written in a properties file; a name ending in {@code .*} (only for
 *        {@link Applies#IGNORED}) stands for every key with that prefix.
 * @param applies where the key applies.
 * @param type the type of its value.
 * @param min the smallest valid number (numbers); for a list, the fewest items.
 * @param max the largest valid number (numbers only).
 * @param validValues the only valid texts of a string, or items of a list; empty for any.
 * @param defaultValue the value when the key is not set, as text; null for keys without one of
 *        their own (coarser spellings, ignored keys).
 * @param doc one line on what the key does here (for an ignored key: why it means nothing here).
 * @param target the key this one stands for: the topic key of {@link Applies#TOPIC_DEFAULT}, the
 *        finer key of {@link Applies#COARSER_UNIT}; null otherwise.
 * @param unit how many of the target's units one of this key's is ({@link Applies#COARSER_UNIT});
 *        1 otherwise.
 * @param format a regular expression a list must match whole, written {@code a,b}; null for any.
 * @param formatDoc the format in words, for messages; null when there is no format.
 */
public record ConfigKey(String name, Applies applies, ConfigType type, long min, long max, List<String> validValues,
    String defaultValue, String doc, String target, long unit, String format, String formatDoc)
{
    /**
     * Copies the valid values; {@link ConfigTable} checks that the default is one.
     */
    public ConfigKey
    {
        validValues = List.copyOf(validValues);
    }

    /**
     * @param applies where the key applies.
     * @param name the key.
     * @param min the smallest valid value.
     * @param max the largest valid value, at most {@link Integer#MAX_VALUE}.
     * @param defaultValue the default.
     * @param doc what the key does.
     * @return a whole-number key that fits an {@code int}.
     */
    public static ConfigKey ofInt(final Applies applies, final String name, final int min, final int max, final int defaultValue,
        final String doc)
    {
        return new ConfigKey(name, applies, ConfigType.INT, min, max, List.of(), Integer.toString(defaultValue), doc, null, 1, null, null);
    }

    /**
     * @param applies where the key applies.
     * @param name the key.
     * @param min the smallest valid value.
     * @param max the largest valid value.
     * @param defaultValue the default.
     * @param doc what the key does.
     * @return a whole-number key.
     */
    public static ConfigKey ofLong(final Applies applies, final String name, final long min, final long max, final long defaultValue,
        final String doc)
    {
        return new ConfigKey(name, applies, ConfigType.LONG, min, max, List.of(), Long.toString(defaultValue), doc, null, 1, null, null);
    }

    /**
     * @param applies where the key applies.
     * @param name the key.
     * @param min the smallest valid value.
     * @param max the largest valid value.
     * @param defaultValue the default, as Kafka writes it ({@code 0.5}).
     * @param doc what the key does.
     * @return a key whose value is a number with a fraction.
     */
    public static ConfigKey ofDouble(final Applies applies, final String name, final long min, final long max, final String defaultValue,
        final String doc)
    {
        return new ConfigKey(name, applies, ConfigType.DOUBLE, min, max, List.of(), defaultValue, doc, null, 1, null, null);
    }

    /**
     * @param applies where the key applies.
     * @param name the key.
     * @param defaultValue the default, items separated by commas; empty for the empty list.
     * @param doc what the key does.
     * @param validItems the only items accepted, exactly as written; none for any.
     * @return a list key.
     */
    public static ConfigKey ofList(final Applies applies, final String name, final String defaultValue, final String doc,
        final String... validItems)
    {
        return new ConfigKey(name, applies, ConfigType.LIST, 0, Integer.MAX_VALUE, List.of(validItems), defaultValue, doc, null, 1,
            null, null);
    }

    /**
     * @param applies where the key applies.
     * @param name the key.
     * @param defaultValue the default, items separated by commas; empty for the empty list.
     * @param doc what the key does.
     * @param format a regular expression the whole list must match, written {@code a,b}.
     * @param formatDoc the format in words, for the message that refuses a value.
     * @return a list key whose items follow a format.
     */
    public static ConfigKey ofFormattedList(final Applies applies, final String name, final String defaultValue, final String doc,
        final String format, final String formatDoc)
    {
        return new ConfigKey(name, applies, ConfigType.LIST, 0, Integer.MAX_VALUE, List.of(), defaultValue, doc, null, 1, format, formatDoc);
    }

    /**
     * @param applies where the key applies.
     * @param name the key.
     * @param defaultValue the default.
     * @param doc what the key does.
     * @param validValues the only value accepted ({@code "false"} for a feature not served); none
     *        for both.
     * @return a {@code true}/{@code false} key.
     */
    public static ConfigKey ofBoolean(final Applies applies, final String name, final boolean defaultValue, final String doc,
        final String... validValues)
    {
        return new ConfigKey(name, applies, ConfigType.BOOLEAN, 0, 0, List.of(validValues), Boolean.toString(defaultValue), doc, null, 1,
            null, null);
    }

    /**
     * @param applies where the key applies.
     * @param name the key.
     * @param defaultValue the default.
     * @param doc what the key does.
     * @param validValues the only texts accepted, exactly as written; none for any text.
     * @return a text key.
     */
    public static ConfigKey ofString(final Applies applies, final String name, final String defaultValue, final String doc,
        final String... validValues)
    {
        return new ConfigKey(name, applies, ConfigType.STRING, 0, 0, List.of(validValues), defaultValue, doc, null, 1, null, null);
    }

    /**
     * @param applies where the key applies.
     * @param name the key.
     * @param defaultValue the default.
     * @param doc what the key does.
     * @return a key naming one directory.
     */
    public static ConfigKey ofDirectory(final Applies applies, final String name, final String defaultValue, final String doc)
    {
        return new ConfigKey(name, applies, ConfigType.DIRECTORY, 0, 0, List.of(), defaultValue, doc, null, 1, null, null);
    }

    /**
     * @param name the server key.
     * @param topicKey the topic key it sets the default of; its type, range, default and
     *        documentation are the server key's too.
     * @return a server key setting a topic default.
     */
    public static ConfigKey topicDefault(final String name, final ConfigKey topicKey)
    {
        return new ConfigKey(name, Applies.TOPIC_DEFAULT, topicKey.type(), topicKey.min(), topicKey.max(), topicKey.validValues(),
            topicKey.defaultValue(), topicKey.doc(), topicKey.name(), 1, topicKey.format(), topicKey.formatDoc());
    }

    /**
     * @param name the coarser key.
     * @param finer the key it stands for.
     * @param unit the finer key's units in one of this key's.
     * @param unitName the unit, for the documentation.
     * @return a coarser spelling, a positive {@code int} as in Kafka.
     */
    public static ConfigKey coarserUnit(final String name, final String finer, final long unit, final String unitName)
    {
        return new ConfigKey(name, Applies.COARSER_UNIT, ConfigType.INT, 1, Integer.MAX_VALUE, List.of(), null,
            finer + " in " + unitName + "; " + finer + " wins when both are set", finer, unit, null, null);
    }

    /**
     * @param name the key, or a prefix followed by {@code .*}.
     * @param why why it means nothing here, for the warning.
     * @return a key accepted with a warning.
     */
    public static ConfigKey ignored(final String name, final String why)
    {
        return new ConfigKey(name, Applies.IGNORED, ConfigType.STRING, 0, 0, List.of(), null, why, null, 1, null, null);
    }

    /**
     * @param key a key as written.
     * @return true if this row is that key (or, for a family, a prefix of it).
     */
    public boolean matches(final String key)
    {
        return isFamily() ? key.startsWith(name.substring(0, name.length() - 1)) : name.equals(key);
    }

    /**
     * @return true if the name ends in {@code .*} and stands for every key with that prefix.
     */
    public boolean isFamily()
    {
        return name.endsWith(".*");
    }

    /**
     * Reads a value of this key.
     *
     * @param text the value as written; surrounding blanks do not count.
     * @return a {@link Long}, {@link Double}, {@link Boolean} or {@link String} (a list as
     *         {@code a,b}).
     * @throws InvalidConfigurationException naming the key, the value and what is valid.
     */
    public Object parse(final String text)
    {
        final String value = text == null ? "" : text.trim();
        return switch (type)
        {
            case INT, LONG -> number(value);
            case DOUBLE -> fraction(value);
            case LIST -> list(value);
            case BOOLEAN ->
            {
                if (!"true".equalsIgnoreCase(value) && !"false".equalsIgnoreCase(value))
                {
                    throw invalid("'" + value + "'", "true or false");
                }
                final boolean parsed = Boolean.parseBoolean(value);
                if (!validValues.isEmpty() && !validValues.contains(Boolean.toString(parsed)))
                {
                    throw invalid("'" + value + "'", "only " + validValues.get(0) + " is supported here");
                }
                yield parsed;
            }
            case STRING ->
            {
                if (!validValues.isEmpty() && !validValues.contains(value))
                {
                    throw invalid("'" + value + "'", validValues.size() == 1 ? "only '" + validValues.get(0) + "' is supported"
                        : "one of " + String.join(", ", validValues));
                }
                yield value;
            }
            case DIRECTORY ->
            {
                if (value.isEmpty() || value.contains(","))
                {
                    throw invalid("'" + value + "'", "one directory");
                }
                yield value;
            }
        };
    }

    private Double fraction(final String value)
    {
        final double parsed;
        try
        {
            parsed = Double.parseDouble(value);
        }
        catch (final NumberFormatException e)
        {
            throw invalid("'" + value + "'", "not a number");
        }
        if (!(parsed >= min && parsed <= max))
        {
            throw invalid(value, "must be " + range());
        }
        return parsed;
    }

    private String list(final String value)
    {
        final Set<String> items = new LinkedHashSet<>();
        if (!value.isEmpty())
        {
            for (final String item : value.split(",", -1))
            {
                if (item.isBlank())
                {
                    throw invalid("'" + value + "'", "an item of the list is empty");
                }
                if (!validValues.isEmpty() && !validValues.contains(item.trim()))
                {
                    throw invalid("'" + item.trim() + "'", validValues.size() == 1 ? "only '" + validValues.get(0) + "' is supported"
                        : "items must be among " + String.join(", ", validValues));
                }
                items.add(item.trim());
            }
        }
        final String joined = String.join(",", items);
        if (format != null && !joined.matches(format))
        {
            throw invalid("'" + value + "'", formatDoc);
        }
        return joined;
    }

    private Long number(final String value)
    {
        final long parsed;
        try
        {
            parsed = Long.parseLong(value);
        }
        catch (final NumberFormatException e)
        {
            throw invalid("'" + value + "'", "not a whole number");
        }
        if (parsed < min || parsed > max)
        {
            throw invalid(Long.toString(parsed), "must be " + range());
        }
        return parsed;
    }

    /**
     * @return the valid values in words: a range, a list, or what a type accepts.
     */
    public String range()
    {
        return switch (type)
        {
            case INT, LONG, DOUBLE -> max == Long.MAX_VALUE ? "at least " + min : "between " + min + " and " + max;
            case LIST -> format != null ? formatDoc : validValues.isEmpty() ? "a list of any text"
                : "a list of " + String.join(", ", validValues);
            case BOOLEAN -> validValues.isEmpty() ? "true or false" : "only " + validValues.get(0);
            case STRING -> validValues.isEmpty() ? "any text" : String.join(", ", validValues);
            case DIRECTORY -> "one directory";
        };
    }

    private InvalidConfigurationException invalid(final String value, final String valid)
    {
        return new InvalidConfigurationException("invalid value " + value + " for " + name + ": " + valid);
    }
}
