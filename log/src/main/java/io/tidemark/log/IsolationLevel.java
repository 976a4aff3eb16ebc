package io.tidemark.log;

import java.util.Locale;

import io.tidemark.log.errors.InvalidConfigurationException;

/**
 * What a reader of a partition sees of transactions, Kafka's {@code isolation.level}.
 */
public enum IsolationLevel
{
    /** Every record up to the log end offset, aborted transactions' records included. */
    READ_UNCOMMITTED,
    /**
     * Only records below the last stable offset, and none of an aborted transaction: the
     * reader is given the aborted transactions of what it read and skips their records.
     */
    READ_COMMITTED;

    /**
     * @param value the configuration value, {@code read_uncommitted} or {@code read_committed}.
     * @return the level.
     * @throws InvalidConfigurationException for any other value.
     */
    public static IsolationLevel fromConfig(final String value)
    {
        for (final IsolationLevel level : values())
        {
            if (level.configValue().equals(value.trim().toLowerCase(Locale.ROOT)))
            {
                return level;
            }
        }
        throw new InvalidConfigurationException("isolation.level must be read_uncommitted or read_committed, not '" + value + "'");
    }

    /**
     * @return the value as Kafka's configuration spells it.
     */
    public String configValue()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
