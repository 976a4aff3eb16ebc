package io.tidemark.runtime;

import io.tidemark.engine.api.Durations;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

/**
 * Reads durations as people type them: {@code 500ms}, {@code 1.5s}, {@code 5m} or {@code 5min},
 * {@code 1h30m}, or ISO-8601 ({@code PT1M}) ({@link Durations}); the command line prints them
 * back with {@link Durations#format}, in the same form.
 */
public final class DurationConverter implements ITypeConverter<Duration>
{
    @Override
    public Duration convert(final String text)
    {
        try
        {
            return Durations.parse(text);
        }
        catch (final IllegalArgumentException e)
        {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
