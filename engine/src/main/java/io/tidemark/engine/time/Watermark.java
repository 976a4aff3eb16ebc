package io.tidemark.engine.time;

/**
 * What a watermark means, and its two special values. A watermark {@code w} is the assertion
 * "no more records with an event timestamp {@code <= w} will arrive". Tidemark carries
 * watermarks as plain {@code long} milliseconds, never as objects, so that moving one through
 * the pipeline allocates nothing.
 *
 * <p>An event-time window {@code [start, end)} is complete once the watermark reaches
 * {@code end - 1}, its largest timestamp; a record whose timestamp is {@code <=} the current
 * watermark is late.
 */
public final class Watermark
{
    /** No watermark yet: every timestamp is still possible. */
    public static final long NONE = Long.MIN_VALUE;

    /** End of input: nothing more will arrive, every event-time timer may fire. */
    public static final long END = Long.MAX_VALUE;

    private Watermark()
    {
    }

    /**
     * @param watermark a watermark.
     * @return a readable form: {@code NONE}, {@code END} or the number.
     */
    public static String format(final long watermark)
    {
        if (watermark == NONE)
        {
            return "NONE";
        }
        if (watermark == END)
        {
            return "END";
        }
        return Long.toString(watermark);
    }
}
