package io.tidemark.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/**
 * An option's duration is shown as the user typed it, except ISO-8601, which is shown the way
 * people write durations.
 */
class TypedDurationTest
{
    private final TypedDurationConverter converter = new TypedDurationConverter();

    @Test
    void showsTheDurationAsTyped()
    {
        final TypedDuration minute = converter.convert("60s");
        assertEquals(Duration.ofMinutes(1), minute.value());
        assertEquals("60s", minute.toString());
        assertEquals("90s", converter.convert(" 90s ").toString());
        assertEquals("5min", converter.convert("5min").toString());
        assertEquals("1s500ms", converter.convert("1s500ms").toString());
    }

    @Test
    void showsIsoTextTheWayPeopleWriteIt()
    {
        assertEquals("5s", converter.convert("PT5S").toString());
        assertEquals("1m30s", converter.convert("pt1m30s").toString());
        assertEquals("5s", TypedDuration.of(Duration.ofSeconds(5)).toString());
    }

    @Test
    void refusesWhatIsNotADuration()
    {
        assertEquals("'soon' is not a duration: use 500ms, 1.5s, 5m, 1h30m or ISO-8601 such as PT1M",
            assertThrows(TypeConversionException.class, () -> converter.convert("soon")).getMessage());
    }
}
