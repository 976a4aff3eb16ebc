package io.tidemark.log.config;

/**
 * Where a configuration key applies.
 */
public enum Applies
{
    /** A setting of the server itself. */
    BROKER,
    /** A setting of one topic, given when it is created. */
    TOPIC,
    /** A server key that sets a topic key's default ({@code log.retention.ms} for {@code retention.ms}). */
    TOPIC_DEFAULT,
    /**
     * A coarser spelling of another key ({@code log.retention.hours} for {@code log.retention.ms});
     * the finer key wins when both are set, as in Kafka.
     */
    COARSER_UNIT,
    /** A key accepted with a warning because it means nothing to a single broker. */
    IGNORED
}
