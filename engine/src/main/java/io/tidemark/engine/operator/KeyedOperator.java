package io.tidemark.engine.operator;

/**
 * An operator with keyed state. Its input arrives over a keyed edge, which already computed
 * each record's key to route it; the task hands that key over with {@link #setCurrentKey}
 * before {@code processElement}, so the key selector runs once per record, not twice.
 */
public interface KeyedOperator
{
    /**
     * @param key the key of the record about to be processed.
     */
    void setCurrentKey(Object key);

    /**
     * The key of a {@code long}-keyed edge, by value; an operator that indexes such keys by
     * value takes it as it is, any other gets it as a {@code Long}.
     *
     * @param key the key of the record about to be processed.
     */
    default void setCurrentLongKey(final long key)
    {
        setCurrentKey(Long.valueOf(key));
    }
}
