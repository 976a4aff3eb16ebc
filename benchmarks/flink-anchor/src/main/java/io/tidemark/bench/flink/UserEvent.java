package io.tidemark.bench.flink;

/**
 * One W1 event as Flink sees it: a POJO (public fields, a no-argument constructor), so that
 * Flink serializes it with its POJO serializer rather than Kryo.
 */
public class UserEvent
{
    /** The user, the key of W1. */
    public long userId;
    /** The event time in milliseconds. */
    public long eventTimeMs;
    /** The value (W1 counts and ignores it; carried as the topic carries it). */
    public long value;

    /** For Flink's POJO serializer. */
    public UserEvent()
    {
    }

    /**
     * @param userId      the user.
     * @param eventTimeMs the event time in milliseconds.
     * @param value       the value.
     */
    public UserEvent(final long userId, final long eventTimeMs, final long value)
    {
        this.userId = userId;
        this.eventTimeMs = eventTimeMs;
        this.value = value;
    }
}
