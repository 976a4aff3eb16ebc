package io.tidemark.runtime;

import java.util.Locale;

/**
 * Counts in English as the command line prints them: {@code 1 window}, {@code 2 windows},
 * {@code 0 late events}, {@code 1,882 views}.
 */
public final class Plural
{
    private Plural()
    {
    }

    /**
     * @param count    how many.
     * @param singular the noun for one, made plural by adding {@code s}.
     * @return the count with thousands separators and the noun that agrees with it.
     */
    public static String of(final long count, final String singular)
    {
        return of(count, singular, singular + "s");
    }

    /**
     * @param count    how many.
     * @param singular the noun for one.
     * @param plural   the noun for any other count, for irregular nouns ({@code strategies}).
     * @return the count with thousands separators and the noun that agrees with it.
     */
    public static String of(final long count, final String singular, final String plural)
    {
        return String.format(Locale.ROOT, "%,d %s", count, count == 1 ? singular : plural);
    }
}
