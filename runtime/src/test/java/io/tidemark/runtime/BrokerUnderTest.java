package io.tidemark.runtime;

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
}
