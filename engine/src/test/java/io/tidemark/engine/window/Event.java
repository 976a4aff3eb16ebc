package io.tidemark.engine.window;

/**
 * A test record: a key, an event time and a value.
 *
 * @param key   the key.
 * @param time  the event time.
 * @param value the value.
 */
public record Event(String key, long time, long value)
{
    static Event of(final String key, final long time)
    {
        return new Event(key, time, 1);
    }
}
