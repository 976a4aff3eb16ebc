package io.tidemark.bench.nexmark.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Days and minutes of event time in UTC, as the queries' {@code DATE_FORMAT} prints them. */
public final class Days
{
    /** One day, in milliseconds. */
    public static final long DAY = 86_400_000L;

    private static final DateTimeFormatter DAY_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private Days()
    {
    }

    /**
     * @param millis a time, in milliseconds since the epoch.
     * @return its day, {@code yyyy-MM-dd}.
     */
    public static String day(final long millis)
    {
        return DAY_FORMAT.format(Instant.ofEpochMilli(millis));
    }

    /**
     * @param millis a time, in milliseconds since the epoch.
     * @return its minute, {@code HH:mm}.
     */
    public static String minute(final long millis)
    {
        final long ofDay = Math.floorMod(millis, DAY);
        final long hour = ofDay / 3_600_000;
        final long minute = ofDay / 60_000 % 60;
        return (hour < 10 ? "0" : "") + hour + (minute < 10 ? ":0" : ":") + minute;
    }

    /**
     * @param millis a time, in milliseconds since the epoch.
     * @return its hour of the day, 0 to 23.
     */
    public static int hour(final long millis)
    {
        return (int)(Math.floorMod(millis, DAY) / 3_600_000);
    }
}
