package io.tidemark.runtime;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a point in time as Kafka's tools take it: milliseconds since the epoch
 * ({@code 1700000000000}), or ISO-8601 with an offset ({@code 2024-05-01T12:00:00Z},
 * {@code 2024-05-01T14:00:00+02:00}) or without one, in this machine's time zone
 * ({@code 2024-05-01T12:00:00.000}).
 */
final class TimestampConverter implements ITypeConverter<Long>
{
    @Override
    public Long convert(final String text)
    {
        final String value = text.strip();
        if (value.matches("\\d+"))
        {
            return Long.parseLong(value);
        }
        try
        {
            return OffsetDateTime.parse(value).toInstant().toEpochMilli();
        }
        catch (final DateTimeParseException withoutOffset)
        {
            try
            {
                final Instant local = LocalDateTime.parse(value).atZone(ZoneId.systemDefault()).toInstant();
                return local.toEpochMilli();
            }
            catch (final DateTimeParseException e)
            {
                throw new TypeConversionException("'" + text + "' is not a time: use milliseconds since the epoch or ISO-8601 such as 2024-05-01T12:00:00Z");
            }
        }
    }
}
