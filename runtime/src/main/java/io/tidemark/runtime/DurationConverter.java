package io.tidemark.runtime;

import io.tidemark.engine.api.Durations;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

/**
 * Reads durations as people type them: {@code 500ms}, {@code 60s}, {@code 5m} or {@code 5min},
 * {@code 1h}, or ISO-8601 ({@code PT1M}) ({@link Durations}).
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
