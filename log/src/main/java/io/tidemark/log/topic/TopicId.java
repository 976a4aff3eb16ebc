package io.tidemark.log.topic;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * A topic's identity, Kafka's topic id (KIP-516): 128 random bits given when the topic is
 * created, so that a topic deleted and created again under the same name is told apart from
 * the one before it. The log keeps the bits; the server turns them into the protocol's id.
 *
 * @param mostSignificantBits the first 64 bits.
 * @param leastSignificantBits the last 64 bits.
 */
public record TopicId(long mostSignificantBits, long leastSignificantBits)
{
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The sixth bit group that makes Kafka's base64 form start with '-' (62), which Kafka never hands out. */
    private static final long DASH = 62;

    /**
     * @return a fresh random id, never one Kafka reserves: not the zero id (no id), not the id
     *         of Kafka's metadata topic (0, 1), and not one whose text starts with '-', which
     *         Kafka's command-line tools would read as an option.
     */
    public static TopicId random()
    {
        while (true)
        {
            final UUID uuid = new UUID(RANDOM.nextLong(), RANDOM.nextLong());
            final long msb = uuid.getMostSignificantBits();
            final long lsb = uuid.getLeastSignificantBits();
            if (msb == 0 && (lsb == 0 || lsb == 1) || msb >>> 58 == DASH)
            {
                continue;
            }
            return new TopicId(msb, lsb);
        }
    }

    /**
     * @param text the form {@link #toString()} writes.
     * @return the id it names.
     * @throws IllegalArgumentException if {@code text} is no id or is the zero id.
     */
    public static TopicId parse(final String text)
    {
        final UUID uuid = UUID.fromString(text);
        if (uuid.getMostSignificantBits() == 0 && uuid.getLeastSignificantBits() == 0)
        {
            throw new IllegalArgumentException("the zero id names no topic");
        }
        return new TopicId(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
    }

    /**
     * @return the id as a UUID's text, the form kept in the topic's metadata.
     */
    @Override
    public String toString()
    {
        return new UUID(mostSignificantBits, leastSignificantBits).toString();
    }
}
