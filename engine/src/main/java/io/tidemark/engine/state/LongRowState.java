package io.tidemark.engine.state;

/**
 * Keyed state whose value is a row of a fixed number of {@code long}s, held in the state's
 * own arrays rather than as an object per key. For state of millions of keys whose value is
 * a few numbers (a key's last time and price, the prices of its top ten), where an object per
 * key would cost the garbage collector more than the job: each such object is copied when it
 * survives a young collection, and each update of a long-lived map to point at a young one
 * marks a card the collector must scan. A row costs neither.
 *
 * <p>Reads and writes copy the whole row, between the state and the caller's array: one
 * look-up of the key each way. Keys must be {@code Long}s (keyed with {@code keyByLong} or a
 * {@code Long} key selector), and the state has one row per key: it cannot be used in a
 * window's namespace.
 */
public interface LongRowState extends State
{
    /**
     * @return the number of longs in a row.
     */
    int width();

    /**
     * Copies the current key's row into the first {@link #width} longs of {@code row}.
     *
     * @param row where to copy it.
     * @return whether the key has a row; if not, {@code row} is left as it was.
     */
    boolean get(long[] row);

    /**
     * Sets the current key's row to the first {@link #width} longs of {@code row}, making it
     * if the key has none.
     *
     * @param row the row's values.
     */
    void put(long[] row);
}
