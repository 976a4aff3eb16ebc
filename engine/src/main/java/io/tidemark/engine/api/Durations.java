package io.tidemark.engine.api;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads durations as people type them, in job arguments and on command lines: {@code 500ms},
 * {@code 60s}, {@code 5m} or {@code 5min}, {@code 1h}, or ISO-8601 ({@code PT1M}).
 */
public final class Durations
{
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|min|h)");

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
            final Matcher matcher = SIMPLE.matcher(text.strip().toLowerCase(Locale.ROOT));
            if (matcher.matches())
            {
                final long amount = Long.parseLong(matcher.group(1));
                return switch (matcher.group(2))
                {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofMinutes(amount);
                };
            }
            return Duration.parse(text);
        }
        catch (final RuntimeException e)
        {
            // Too many digits, an overflow, or not a duration at all: the same answer for each.
            throw new IllegalArgumentException("'" + text + "' is not a duration: use 500ms, 60s, 5m, 1h or ISO-8601 such as PT1M", e);
        }
    }
}
