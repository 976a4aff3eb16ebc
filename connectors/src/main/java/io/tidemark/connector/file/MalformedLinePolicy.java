package io.tidemark.connector.file;

/** What a file source does with a line its format cannot parse. */
public enum MalformedLinePolicy
{
    /**
     * Fail the job with a {@link io.tidemark.engine.source.MalformedRecordException} naming the
     * file, the line number and the problem. The default: bad input should be seen.
     */
    FAIL,
    /** Skip the line and count it ({@link FileSource#skippedLines()}). */
    SKIP
}
