package io.tidemark.engine.api;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes durations as people type them, in job arguments and on command lines:
 * {@code 500ms}, {@code 60s}, {@code 1.5s}, {@code 5m} or {@code 5min}, {@code 1h},
 * {@code 1h30m}, or ISO-8601 ({@code PT1M}) when reading. {@link #format} writes the canonical
 * form, which {@link #parse} reads back to the same duration.
 */
public final class Durations
{
    /** Units from the largest down, each at most once; seconds may have up to three decimals. */
    private static final Pattern SIMPLE = Pattern.compile(
        "(?:(\\d+)\\s*h)?\\s*(?:(\\d+)\\s*(?:min|m))?\\s*(?:(\\d+)(?:\\.(\\d{1,3}))?\\s*s)?\\s*(?:(\\d+)\\s*ms)?");
    private static final long SECOND = 1_000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;

    private Durations()
    {
    }

    /**
     * @param text a duration as typed.
     * @return the duration.
     * @throws IllegalArgumentException naming the text and the forms accepted.
     */
    public static Duration parse(final String text)
    {
        try
        {
            final String simple = text.strip().toLowerCase(Locale.ROOT);
            final Matcher matcher = SIMPLE.matcher(simple);
            if (!simple.isEmpty() && matcher.matches())
            {
                Duration duration = Duration.ofHours(amount(matcher.group(1)))
                    .plusMinutes(amount(matcher.group(2)))
                    .plusSeconds(amount(matcher.group(3)))
                    .plusMillis(amount(matcher.group(5)));
                if (matcher.group(4) != null)
                {
                    duration = duration.plusMillis(new BigDecimal("0." + matcher.group(4)).movePointRight(3).longValueExact());
                }
                return duration;
            }
            return Duration.parse(text);
        }
        catch (final RuntimeException e)
        {
            // Too many digits, an overflow, or not a duration at all: the same answer for each.
            throw new IllegalArgumentException("'" + text + "' is not a duration: use 500ms, 1.5s, 5m, 1h30m or ISO-8601 such as PT1M", e);
        }
    }

    /**
     * Writes a duration the way a person would type it: hours, minutes and seconds that are not
     * zero, seconds with up to three decimals, milliseconds alone under a second.
     *
     * @param duration a duration.
     * @return it as {@code 0s}, {@code 500ms}, {@code 7.4s}, {@code 2m}, {@code 1h30m} or
     *         {@code 1m0.25s}... ({@link #parse} reads it back as the same duration); a
     *         negative one with a leading {@code -}; one finer than a millisecond in ISO-8601.
     */
    public static String format(final Duration duration)
    {
        if (duration.isNegative())
        {
            return "-" + format(duration.negated());
        }
        if (duration.getNano() % 1_000_000 != 0)
        {
            return duration.toString();
        }
        final long millis = duration.toMillis();
        if (millis == 0)
        {
            return "0s";
        }
        if (millis < SECOND)
        {
            return millis + "ms";
        }
        final StringBuilder text = new StringBuilder();
        if (millis >= HOUR)
        {
            text.append(millis / HOUR).append('h');
        }
        if (millis % HOUR >= MINUTE)
        {
            text.append(millis % HOUR / MINUTE).append('m');
        }
        final long secondsPart = millis % MINUTE;
        if (secondsPart != 0)
        {
            text.append(BigDecimal.valueOf(secondsPart, 3).stripTrailingZeros().toPlainString()).append('s');
        }
        return text.toString();
    }

    private static long amount(final String digits)
    {
        return digits == null ? 0 : Long.parseLong(digits);
    }
}
