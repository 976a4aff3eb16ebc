package io.tidemark.runtime.demo;

/**
 * One page view as the job reads it from {@code page_views}: the user (the record key) and
 * the page (the value). Its event time is the log record's timestamp.
 *
 * @param user the user.
 * @param page the page path.
 */
public record PageView(String user, String page)
{
    /** The key of the records that close the run: one per partition, far in the future. */
    static final String END_MARKER = "__end__";

    /**
     * @return whether this is an end marker rather than a view.
     */
    boolean isEndMarker()
    {
        return END_MARKER.equals(user);
    }
}
