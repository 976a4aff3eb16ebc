package io.tidemark.log.config;

/**
 * The type of a configuration value, as written in a properties file or a request.
 */
public enum ConfigType
{
    /** A whole number that fits an {@code int}. */
    INT,
    /** A whole number that fits a {@code long}. */
    LONG,
    /** {@code true} or {@code false}, in any case. */
    BOOLEAN,
    /** Text; one of the key's valid values when it lists some. */
    STRING,
    /** One directory: not empty and without a comma (Kafka's lists of directories are refused). */
    DIRECTORY
}
