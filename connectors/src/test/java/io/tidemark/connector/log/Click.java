package io.tidemark.connector.log;

import java.nio.charset.StandardCharsets;

/** A test event as the log holds it: value {@code user,time}, log timestamp {@code time}. */
record Click(String user, long time)
{
    static final LogDeserializer<Click> DESERIALIZER = (key, value) -> parse(value);
    static final LogSerializer<Click> SERIALIZER = LogSerializer.keyed(c -> c.user().getBytes(StandardCharsets.UTF_8), Click::bytes);

    byte[] bytes()
    {
        return (user + "," + time).getBytes(StandardCharsets.UTF_8);
    }

    static Click parse(final byte[] value)
    {
        final String text = new String(value, StandardCharsets.UTF_8);
        final int comma = text.indexOf(',');
        if (comma < 0)
        {
            throw new IllegalArgumentException("no comma in '" + text + "'");
        }
        return new Click(text.substring(0, comma), Long.parseLong(text.substring(comma + 1)));
    }
}
