package io.tidemark.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * A broker in a process of its own that a test runs the same scenario against, whether it is
 * {@code tidemark server} or Apache Kafka (the oracle): started on a fresh data directory and
 * a free port, then killed, stopped and restarted on the same directory and port, so that
 * clients reconnect to it as to one broker that went away and came back.
 */
public interface BrokerUnderTest extends AutoCloseable
{
    /**
     * @return "tidemark" or "kafka", for messages.
     */
    String name();

    /**
     * Starts the broker the first time, on a fresh data directory and free ports, and waits
     * until it serves clients.
     *
     * @throws Exception if it does not start within a minute; the message has its output.
     */
    void start() throws Exception;

    /**
     * @return host:port for clients; the same across restarts.
     */
    String bootstrap();

    /**
     * SIGKILL: no shutdown hook, no flush; returns when the process is gone.
     *
     * @throws Exception if the process cannot be waited for.
     */
    void kill9() throws Exception;

    /**
     * SIGTERM, and waits for the exit.
     *
     * @throws Exception if the broker does not exit within a minute.
     */
    void stop() throws Exception;

    /**
     * Starts the broker again on the same data directory and port, after {@link #kill9()} or
     * {@link #stop()}, and waits until it serves clients.
     *
     * @throws Exception if it does not start within a minute.
     */
    void restart() throws Exception;

    /**
     * @return the broker's recent output, for failure messages.
     */
    String outputTail();

    /** Kills the process if it still runs. */
    @Override
    void close() throws Exception;

    /**
     * What {@link #onEach} does to a broker.
     *
     * @param <B> the kind of broker.
     */
    @FunctionalInterface
    interface Action<B extends BrokerUnderTest>
    {
        /**
         * @param broker the broker.
         * @throws Exception if it fails.
         */
        void apply(B broker) throws Exception;
    }

    /**
     * Does the same to several brokers at once, each on a thread of its own (a Kafka JVM takes
     * seconds to start, and the nodes of a cluster wait for each other's quorum), and waits for
     * all.
     *
     * @param brokers the brokers.
     * @param action  what to do, such as {@code BrokerUnderTest::start}.
     * @param timeout how long to wait for all.
     * @param <B>     the kind of broker.
     * @throws IllegalStateException naming the first broker whose action failed, with its output.
     * @throws Exception if the wait times out or is interrupted.
     */
    static <B extends BrokerUnderTest> void onEach(final Collection<B> brokers, final Action<B> action, final Duration timeout) throws Exception
    {
        final List<FutureTask<B>> tasks = new ArrayList<>();
        for (final B broker : brokers)
        {
            final FutureTask<B> task = new FutureTask<>(() ->
            {
                action.apply(broker);
                return broker;
            });
            tasks.add(task);
            new Thread(task, broker.name()).start();
        }
        final long deadline = System.nanoTime() + timeout.toNanos();
        int index = 0;
        for (final B broker : brokers)
        {
            try
            {
                tasks.get(index++).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            catch (final ExecutionException e)
            {
                throw new IllegalStateException(broker.name() + ": " + e.getCause().getMessage() + "\n" + broker.outputTail(), e.getCause());
            }
        }
    }
}
