package io.tidemark.log.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tidemark.log.errors.InvalidConfigurationException;

/**
 * A declarative table of configuration keys: what each key is, and the one place that reads a
 * map of text values against it (types, ranges, defaults, coarser spellings, ignored keys) and
 * names the nearest known key when one is misspelt.
 */
public final class ConfigTable
{
    private final String what;
    private final Map<String, ConfigKey> keys = new LinkedHashMap<>();
    private final List<ConfigKey> families = new ArrayList<>();

    /**
     * @param what what the keys configure ("topic", "server"), for messages.
     * @param rows the keys, in the order they are listed and described.
     * @throws IllegalArgumentException if a name is repeated, a default is not a valid value, or a
     *         coarser spelling stands for a key not in the table.
     */
    public ConfigTable(final String what, final List<ConfigKey> rows)
    {
        this.what = what;
        for (final ConfigKey row : rows)
        {
            if (keys.putIfAbsent(row.name(), row) != null)
            {
                throw new IllegalArgumentException("configuration key " + row.name() + " is defined twice");
            }
            if (row.isFamily())
            {
                families.add(row);
            }
            if (row.defaultValue() != null)
            {
                try
                {
                    row.parse(row.defaultValue());
                }
                catch (final InvalidConfigurationException e)
                {
                    throw new IllegalArgumentException("the default of " + row.name() + " is not valid: " + e.getMessage(), e);
                }
            }
        }
        for (final ConfigKey row : rows)
        {
            if (row.applies() == Applies.COARSER_UNIT && !keys.containsKey(row.target()))
            {
                throw new IllegalArgumentException(row.name() + " stands for " + row.target() + ", which is not in the table");
            }
        }
    }

    /**
     * @param name a key as written.
     * @return its row (the family's row for a key of an ignored family), or null if unknown.
     */
    public ConfigKey key(final String name)
    {
        final ConfigKey exact = keys.get(name);
        if (exact != null)
        {
            return exact;
        }
        for (final ConfigKey family : families)
        {
            if (family.matches(name))
            {
                return family;
            }
        }
        return null;
    }

    /**
     * @param topicKey a topic key.
     * @return the server key of this table that sets its default ({@link Applies#TOPIC_DEFAULT}),
     *         Kafka's synonym of it; null if there is none.
     */
    public ConfigKey topicDefaultOf(final String topicKey)
    {
        for (final ConfigKey key : keys.values())
        {
            if (key.applies() == Applies.TOPIC_DEFAULT && key.target().equals(topicKey))
            {
                return key;
            }
        }
        return null;
    }

    /**
     * Reads text values against the table.
     *
     * @param text keys as written mapped to their values; every key must be known.
     * @param origin where the values come from ("file", "request"), for {@link ConfigValues#origin}.
     * @return every key that has a value (set, derived from a coarser spelling, or by default),
     *         and a warning for each ignored key.
     * @throws InvalidConfigurationException naming the first unknown key (and the nearest known
     *         one) or invalid value.
     */
    public ConfigValues parse(final Map<String, String> text, final String origin)
    {
        final Map<String, ConfigValues.Value> set = new LinkedHashMap<>();
        final List<String> warnings = new ArrayList<>();
        final Map<String, Long> derivedUnits = new HashMap<>();
        for (final Map.Entry<String, String> e : text.entrySet())
        {
            final ConfigKey key = key(e.getKey());
            if (key == null)
            {
                throw unknown(e.getKey());
            }
            switch (key.applies())
            {
                case IGNORED -> warnings.add("ignoring " + e.getKey() + "=" + e.getValue() + ": " + key.doc());
                case COARSER_UNIT ->
                {
                    final long coarse = (Long)key.parse(e.getValue());
                    final Long unitSet = derivedUnits.get(key.target());
                    // Kafka's precedence: the finest spelling set wins, whatever the file's order.
                    if (!text.containsKey(key.target()) && (unitSet == null || key.unit() < unitSet))
                    {
                        derivedUnits.put(key.target(), key.unit());
                        final ConfigKey finer = keys.get(key.target());
                        set.put(finer.name(), new ConfigValues.Value(finer.parse(Long.toString(Math.multiplyExact(coarse, key.unit()))),
                            origin + ", as " + key.name() + "=" + coarse));
                    }
                }
                default -> set.put(key.name(), new ConfigValues.Value(key.parse(e.getValue()), origin));
            }
        }
        final Map<String, ConfigValues.Value> values = new LinkedHashMap<>();
        for (final ConfigKey key : keys.values())
        {
            final ConfigValues.Value value = set.get(key.name());
            if (value != null)
            {
                values.put(key.name(), value);
            }
            else if (key.defaultValue() != null)
            {
                values.put(key.name(), new ConfigValues.Value(key.parse(key.defaultValue()), ConfigValues.DEFAULT));
            }
        }
        return new ConfigValues(this, values, warnings);
    }

    /**
     * @param name a key that is not in the table.
     * @return the error naming it and, when one is close, the nearest known key.
     */
    public InvalidConfigurationException unknown(final String name)
    {
        final String nearest = nearest(name);
        return new InvalidConfigurationException("unknown " + what + " configuration key '" + name + "'" +
            (nearest == null ? "" : "; did you mean '" + nearest + "'?"));
    }

    /**
     * @param name a key that is not in the table.
     * @return the known key fewest edits away, if a few edits make it; null otherwise.
     */
    public String nearest(final String name)
    {
        String best = null;
        int bestDistance = Math.max(3, name.length() / 4) + 1;
        for (final ConfigKey key : keys.values())
        {
            if (!key.isFamily())
            {
                final int distance = distance(name, key.name());
                if (distance < bestDistance)
                {
                    best = key.name();
                    bestDistance = distance;
                }
            }
        }
        return best;
    }

    /** Levenshtein distance: the fewest insertions, deletions and substitutions from a to b. */
    private static int distance(final String a, final String b)
    {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++)
            {
                final int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            final int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
