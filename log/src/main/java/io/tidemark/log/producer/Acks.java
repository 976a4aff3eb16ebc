package io.tidemark.log.producer;

/**
 * When a send counts as done. Tidemark has one replica, so Kafka's levels map onto the log's
 * flush policy:
 * <ul>
 *   <li>{@link #NONE}: as soon as the record is buffered; its offset is not known (-1) and a
 *       failure afterwards is not reported to the sender.</li>
 *   <li>{@link #LEADER}: once the batch is appended to the partition's log, which flushes it
 *       only if the topic says so ({@code flush.messages}, {@code flush.ms}); it survives a
 *       killed process (page cache), not a power cut, unless the topic flushes every write.</li>
 *   <li>{@link #ALL}: once the batch is appended and forced to disk: it survives a power cut
 *       whatever the topic's flush policy.</li>
 * </ul>
 */
public enum Acks
{
    /** Done when buffered. */
    NONE,
    /** Done when appended. */
    LEADER,
    /** Done when appended and on disk. */
    ALL;

    /**
     * Parses Kafka's {@code acks} setting.
     *
     * @param value {@code 0}, {@code 1}, {@code all} or {@code -1}.
     * @return the level.
     * @throws IllegalArgumentException for anything else.
     */
    public static Acks parse(final String value)
    {
        return switch (value.trim())
        {
            case "0" -> NONE;
            case "1" -> LEADER;
            case "all", "-1" -> ALL;
            default -> throw new IllegalArgumentException("acks must be 0, 1, all or -1, not '" + value + "'");
        };
    }
}
