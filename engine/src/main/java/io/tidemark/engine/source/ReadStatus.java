package io.tidemark.engine.source;

/** What a {@link SplitReader} reports after a read. */
public enum ReadStatus
{
    /** It emitted records and may have more right away. */
    MORE_AVAILABLE,
    /** It has nothing right now; the task may back off before asking again. */
    NOTHING_AVAILABLE,
    /** The split is exhausted and will never emit again. */
    END_OF_SPLIT
}
