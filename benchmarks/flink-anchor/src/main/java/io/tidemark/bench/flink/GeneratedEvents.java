package io.tidemark.bench.flink;

import java.util.concurrent.atomic.AtomicLong;

import io.tidemark.bench.engine.Event;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The events of the generator G(N, users) of {@code docs/WORKLOADS.md}, made by Tidemark's own
 * {@code Event} (compiled in from the benchmarks module) behind Flink's
 * {@code DataGeneratorSource}. That source gives split {@code k} of {@code p} the index range
 * {@code [k * N / p, (k + 1) * N / p)}; index {@code i} of it becomes event
 * {@code (i - k * N / p) * p + k}, so that split {@code k} makes the events {@code i % p == k} in
 * increasing order, as Tidemark's {@code GeneratorSource} does, and every split moves through
 * event time at the same pace. Notes when the first event of the job is made, from which a
 * run is timed.
 */
final class GeneratedEvents implements GeneratorFunction<Long, UserEvent>
{
    private static final long serialVersionUID = 1L;

    /** {@code System.nanoTime()} when the first event of the job was made, 0 before; the MiniCluster runs in this JVM. */
    static final AtomicLong FIRST_EVENT_NANOS = new AtomicLong();

    private final long users;
    private final long perSplit;
    private final int splits;
    private transient boolean started;

    /**
     * @param events the number of events N, a multiple of {@code splits}.
     * @param users  the number of users.
     * @param splits the source's parallelism.
     */
    GeneratedEvents(final long events, final long users, final int splits)
    {
        if (events % splits != 0)
        {
            throw new IllegalArgumentException("the events must split evenly over the parallelism: " + events + " over " + splits);
        }
        this.users = users;
        this.splits = splits;
        this.perSplit = events / splits;
    }

    @Override
    public UserEvent map(final Long index)
    {
        if (!started)
        {
            started = true;
            FIRST_EVENT_NANOS.compareAndSet(0, System.nanoTime());
        }
        final long i = index % perSplit * splits + index / perSplit;
        return new UserEvent(Event.userOf(i, users), Event.timeOf(i), Event.valueOf(i));
    }
}
