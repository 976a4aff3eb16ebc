package io.tidemark.runtime;

import io.tidemark.engine.api.Durations;

import java.time.Duration;
import java.util.Objects;

/**
 * A duration given on the command line, with the text to show for it: what the user typed
 * ({@code 60s} stays {@code 60s} rather than becoming {@code 1m}), so that output quotes the
 * option back as it was written. ISO-8601 text ({@code PT5S}) is read but shown in the simple
 * form ({@code 5s}), which is the one people read at a glance.
 *
 * @param value the duration.
 * @param text  how to show it.
 */
public record TypedDuration(Duration value, String text)
{
    /**
     * @param value the duration.
     * @param text  how to show it.
     */
    public TypedDuration
    {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(text, "text");
    }

    /**
     * @param value a duration nobody typed (a default in code).
     * @return it, shown in {@link Durations#format}'s form.
     */
    public static TypedDuration of(final Duration value)
    {
        return new TypedDuration(value, Durations.format(value));
    }

    /**
     * @param value a duration read from {@code typed}.
     * @param typed the text it was read from.
     * @return it, shown as typed unless that was ISO-8601.
     */
    static TypedDuration typed(final Duration value, final String typed)
    {
        final String text = typed.strip();
        return text.regionMatches(true, 0, "P", 0, 1) ? of(value) : new TypedDuration(value, text);
    }

    /** @return the text to show. */
    @Override
    public String toString()
    {
        return text;
    }
}
