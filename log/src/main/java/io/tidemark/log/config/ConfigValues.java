package io.tidemark.log.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Values read against a {@link ConfigTable}, each with where it came from. Immutable.
 */
public final class ConfigValues
{
    /** The origin of a value no one set. */
    public static final String DEFAULT = "default";

    /**
     * One key's value.
     *
     * @param value a {@link Long}, {@link Double}, {@link Boolean} or {@link String} (a list
     *        as {@code a,b}).
     * @param origin where it came from: {@link #DEFAULT}, or what the caller of
     *        {@link ConfigTable#parse} or {@link #with} named.
     */
    record Value(Object value, String origin)
    {
    }

    private final ConfigTable table;
    private final Map<String, Value> values;
    private final List<String> warnings;

    ConfigValues(final ConfigTable table, final Map<String, Value> values, final List<String> warnings)
    {
        this.table = table;
        this.values = values;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * @param key a key with a value.
     * @return its value.
     */
    public long getLong(final String key)
    {
        return (Long)value(key).value();
    }

    /**
     * @param key a key of type {@link ConfigType#INT}.
     * @return its value.
     */
    public int getInt(final String key)
    {
        return Math.toIntExact(getLong(key));
    }

    /**
     * @param key a key of type {@link ConfigType#BOOLEAN}.
     * @return its value.
     */
    public boolean getBoolean(final String key)
    {
        return (Boolean)value(key).value();
    }

    /**
     * @param key a fraction key.
     * @return its value.
     */
    public double getDouble(final String key)
    {
        return (Double)value(key).value();
    }

    /**
     * @param key a text or directory key.
     * @return its value, trimmed.
     */
    public String getString(final String key)
    {
        return (String)value(key).value();
    }

    /**
     * @param key a key with a value.
     * @return where its value came from.
     */
    public String origin(final String key)
    {
        return value(key).origin();
    }

    /**
     * A copy with one value replaced, checked like any other.
     *
     * @param key a key of the table.
     * @param text its new value.
     * @param origin where it comes from.
     * @return the copy.
     * @throws io.tidemark.log.errors.InvalidConfigurationException if the key is unknown or the value invalid.
     */
    public ConfigValues with(final String key, final String text, final String origin)
    {
        final ConfigKey row = table.key(key);
        if (row == null || !values.containsKey(key))
        {
            throw table.unknown(key);
        }
        final Map<String, Value> copy = new LinkedHashMap<>(values);
        copy.put(key, new Value(row.parse(text), origin));
        return new ConfigValues(table, copy, warnings);
    }

    /**
     * @return every key with a value, as text, in table order.
     */
    public Map<String, String> toMap()
    {
        final Map<String, String> map = new LinkedHashMap<>();
        values.forEach((key, value) -> map.put(key, value.value().toString()));
        return map;
    }

    /**
     * @return the topic keys that server keys set explicitly, mapped to their values as text.
     */
    public Map<String, String> topicDefaults()
    {
        final Map<String, String> map = new LinkedHashMap<>();
        values.forEach((key, value) ->
        {
            final ConfigKey row = table.key(key);
            if (row.applies() == Applies.TOPIC_DEFAULT && !DEFAULT.equals(value.origin()))
            {
                map.put(row.target(), value.value().toString());
            }
        });
        return map;
    }

    /**
     * @return one line per ignored key, naming it and why it means nothing here.
     */
    public List<String> warnings()
    {
        return warnings;
    }

    /**
     * @return one line per key, {@code key = value (origin)}, in table order.
     */
    public List<String> describe()
    {
        return values.entrySet().stream()
            .map(e -> e.getKey() + " = " + e.getValue().value() + " (" + e.getValue().origin() + ")")
            .toList();
    }

    private Value value(final String key)
    {
        final Value value = values.get(key);
        if (value == null)
        {
            throw new IllegalArgumentException("no value for configuration key " + key);
        }
        return value;
    }
}
