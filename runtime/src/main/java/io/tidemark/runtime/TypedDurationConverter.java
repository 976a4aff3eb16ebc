package io.tidemark.runtime;

import picocli.CommandLine.ITypeConverter;

/**
 * Reads a duration as {@link DurationConverter} does and keeps the text it was typed as, for
 * options that output quotes back ({@link TypedDuration}).
 */
public final class TypedDurationConverter implements ITypeConverter<TypedDuration>
{
    private final DurationConverter durations = new DurationConverter();

    @Override
    public TypedDuration convert(final String text)
    {
        return TypedDuration.typed(durations.convert(text), text);
    }
}
