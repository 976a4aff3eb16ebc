package io.tidemark.log.record;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A record header: a UTF-8 key and an optional value, as Kafka carries them.
 *
 * @param key the header name, never null.
 * @param value the header value, or null.
 */
public record Header(String key, byte[] value)
{
    /**
     * @param key the header name, never null.
     * @param value the header value, or null.
     */
    public Header
    {
        if (key == null)
        {
            throw new IllegalArgumentException("a header key cannot be null");
        }
    }

    /**
     * A header whose value is the UTF-8 encoding of a string.
     *
     * @param key the header name.
     * @param value the value as text.
     * @return the header.
     */
    public static Header of(final String key, final String value)
    {
        return new Header(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof Header h && key.equals(h.key) && Arrays.equals(value, h.value);
    }

    @Override
    public int hashCode()
    {
        return 31 * key.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString()
    {
        return key + "=" + (value == null ? "null" : new String(value, StandardCharsets.UTF_8));
    }
}
