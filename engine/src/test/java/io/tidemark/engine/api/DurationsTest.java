package io.tidemark.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * Durations read as typed and written back the same way: what the CLI prints can be pasted
 * into an option.
 */
class DurationsTest
{
    @Test
    void formatsAsPeopleTypeNotAsIso()
    {
        assertEquals("0s", Durations.format(Duration.ZERO));
        assertEquals("500ms", Durations.format(Duration.ofMillis(500)));
        assertEquals("5s", Durations.format(Duration.ofSeconds(5)));
        assertEquals("7.4s", Durations.format(Duration.ofMillis(7_400)));
        assertEquals("2m", Durations.format(Duration.ofMinutes(2)));
        assertEquals("1h30m", Durations.format(Duration.ofMinutes(90)));
        assertEquals("36h", Durations.format(Duration.ofHours(36)));
        assertEquals("1m0.25s", Durations.format(Duration.ofMillis(60_250)));
        assertEquals("14m50.944s", Durations.format(Duration.ofMillis(890_944)));
        assertEquals("-5s", Durations.format(Duration.ofSeconds(-5)));
        assertEquals("PT0.0000001S", Durations.format(Duration.ofNanos(100)));
    }

    @Test
    void readsEveryFormItWritesAndTheOlderSpellings()
    {
        assertEquals(Duration.ofMinutes(5), Durations.parse("5min"));
        assertEquals(Duration.ofMinutes(5), Durations.parse(" 5 M "));
        assertEquals(Duration.ofMillis(5), Durations.parse("5ms"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertEquals(Duration.ofMillis(1_500), Durations.parse("1.5s"));
        assertEquals(Duration.ofMillis(1_500), Durations.parse("1s500ms"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("90s"));
        assertEquals(Duration.ofMinutes(1), Durations.parse("PT1M"));
    }

    @Test
    void nonsenseIsRefusedNamingTheText()
    {
        for (final String bad : new String[] {"", "s", "5", "5 parsecs", "30s1m", "1.5m", "1.2345s", "99999999999999999999h", "-5s"})
        {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "' is not a duration"), e.getMessage());
        }
    }

    @Property
    void aCanonicalTextRoundTrips(
        @ForAll @IntRange(max = 1000) final int hours, @ForAll @IntRange(max = 59) final int minutes,
        @ForAll @IntRange(max = 59) final int seconds, @ForAll @IntRange(max = 999) final int millis)
    {
        final StringBuilder text = new StringBuilder();
        if (hours == 0 && minutes == 0 && seconds == 0 && millis == 0)
        {
            text.append("0s");
        }
        else if (hours == 0 && minutes == 0 && seconds == 0)
        {
            text.append(millis).append("ms");
        }
        else
        {
            text.append(hours == 0 ? "" : hours + "h").append(minutes == 0 ? "" : minutes + "m");
            if (seconds != 0 || millis != 0)
            {
                text.append(seconds).append(millis == 0 ? "" : ("." + String.format("%03d", millis)).replaceAll("0+$", "")).append('s');
            }
        }
        assertEquals(text.toString(), Durations.format(Durations.parse(text.toString())));
    }

    @Property
    void anyDurationInMillisecondsRoundTrips(@ForAll @LongRange(max = 400L * 24 * 3_600_000) final long millis)
    {
        final Duration duration = Duration.ofMillis(millis);
        assertEquals(duration, Durations.parse(Durations.format(duration)));
    }
}
