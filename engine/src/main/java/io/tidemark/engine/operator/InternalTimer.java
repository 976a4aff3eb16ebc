package io.tidemark.engine.operator;

/**
 * One timer: a key, a namespace (a window, or {@code VoidNamespace}) and a time. The
 * sequence number orders timers of equal time by registration, so firing order is
 * reproducible; the heap index lets a timer be deleted without a search.
 */
final class InternalTimer
{
    final Object key;
    final Object namespace;
    final long timestamp;
    final long sequence;
    final int hash;
    int heapIndex;

    InternalTimer(final Object key, final Object namespace, final long timestamp, final long sequence, final int hash)
    {
        this.key = key;
        this.namespace = namespace;
        this.timestamp = timestamp;
        this.sequence = sequence;
        this.hash = hash;
    }

    boolean matches(final Object key, final Object namespace, final long timestamp)
    {
        return this.timestamp == timestamp && this.key.equals(key) && this.namespace.equals(namespace);
    }

    boolean firesBefore(final InternalTimer other)
    {
        return timestamp < other.timestamp || (timestamp == other.timestamp && sequence < other.sequence);
    }
}
