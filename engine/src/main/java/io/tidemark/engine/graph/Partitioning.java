package io.tidemark.engine.graph;

import io.tidemark.engine.functions.KeySelector;
import io.tidemark.engine.functions.LongKeySelector;
import java.util.Objects;

/**
 * How records of an edge are spread over the consuming subtasks.
 */
public final class Partitioning
{
    /** The three ways. */
    public enum Kind
    {
        /** Subtask {@code i} feeds subtask {@code i}; with equal parallelism, chained into one task. */
        FORWARD,
        /** Round robin over all consumers: evens out load. */
        REBALANCE,
        /** By key: key → key group → the subtask that owns it, so a key always meets its state. */
        HASH,
        /** Every record to every consumer: a small side input that each subtask needs whole. */
        BROADCAST
    }

    private static final Partitioning FORWARD = new Partitioning(Kind.FORWARD, null);
    private static final Partitioning REBALANCE = new Partitioning(Kind.REBALANCE, null);
    private static final Partitioning BROADCAST = new Partitioning(Kind.BROADCAST, null);

    private final Kind kind;
    private final KeySelector<?, ?> keySelector;

    private Partitioning(final Kind kind, final KeySelector<?, ?> keySelector)
    {
        this.kind = kind;
        this.keySelector = keySelector;
    }

    /**
     * @return forward partitioning, the default between operators.
     */
    public static Partitioning forward()
    {
        return FORWARD;
    }

    /**
     * @return round-robin partitioning.
     */
    public static Partitioning rebalance()
    {
        return REBALANCE;
    }

    /**
     * @return partitioning that sends every record to every consumer subtask.
     */
    public static Partitioning broadcast()
    {
        return BROADCAST;
    }

    /**
     * @param keySelector extracts the key.
     * @return partitioning by key.
     */
    public static Partitioning hash(final KeySelector<?, ?> keySelector)
    {
        return new Partitioning(Kind.HASH, Objects.requireNonNull(keySelector, "keySelector"));
    }

    /**
     * @return the kind.
     */
    public Kind kind()
    {
        return kind;
    }

    /**
     * @return the key selector for {@link Kind#HASH}, else {@code null}.
     */
    public KeySelector<?, ?> keySelector()
    {
        return keySelector;
    }

    /**
     * @return whether the edge partitions by a primitive {@code long} key, which its channels
     * then carry by value.
     */
    public boolean hasLongKeys()
    {
        return keySelector instanceof LongKeySelector<?>;
    }

    @Override
    public String toString()
    {
        return kind.name();
    }
}
