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
    /** A number with a fraction, such as {@code 0.5}. */
    DOUBLE,
    /** {@code true} or {@code false}, in any case. */
    BOOLEAN,
    /** Text; one of the key's valid values when it lists some. */
    STRING,
    /**
     * Kafka's list: items separated by commas, blanks around them ignored, each item once, kept
     * as {@code a,b}; empty text is the empty list.
     */
    LIST,
    /** One directory: not empty and without a comma (Kafka's lists of directories are refused). */
    DIRECTORY
}
