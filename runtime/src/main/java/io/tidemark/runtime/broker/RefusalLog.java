package io.tidemark.runtime.broker;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Says why the server refused a client, without letting a misbehaving client flood the log:
 * at most one line per second for each kind of refusal, which counts the refusals of its kind
 * that were not logged since the last line. Shared by every connection of a server, and by
 * the handlers ({@link Broker#refusals()}) for requests refused for what they ask.
 */
public final class RefusalLog
{
    /** The kinds of refusal, each with its own rate limit and level. */
    public enum Reason
    {
        /** An API key the server does not serve. */
        UNSUPPORTED_API(Level.INFO, "unsupported API"),
        /** A version outside the served range. */
        UNSUPPORTED_VERSION(Level.INFO, "unsupported version"),
        /** A header or body that does not decode, or a frame size that cannot be. */
        MALFORMED(Level.WARN, "malformed request"),
        /** A frame larger than {@code socket.request.max.bytes}. */
        OVERSIZED(Level.WARN, "oversized request"),
        /** A topic configuration key or value refused by CreateTopics or an alteration of configurations. */
        INVALID_CONFIG(Level.WARN, "invalid topic configuration");

        private final Level level;
        private final String text;

        Reason(final Level level, final String text)
        {
            this.level = level;
            this.text = text;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(RefusalLog.class);
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LongSupplier nanoClock;
    /** Per reason: the time from which the next line may be logged. */
    private final AtomicLongArray nextLine;
    /** Per reason: refusals not logged since its last line. */
    private final AtomicLongArray suppressed;

    /**
     * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime}).
     */
    RefusalLog(final LongSupplier nanoClock)
    {
        this.nanoClock = nanoClock;
        final int reasons = Reason.values().length;
        this.nextLine = new AtomicLongArray(reasons);
        this.suppressed = new AtomicLongArray(reasons);
        final long now = nanoClock.getAsLong();
        for (int i = 0; i < reasons; i++)
        {
            nextLine.set(i, now);
        }
    }

    /**
     * Logs the refusal of a decoded request, unless one of its kind was logged less than a
     * second ago.
     *
     * @param reason the kind of refusal.
     * @param request the request, for the client's address and id.
     * @param detail what exactly was refused.
     */
    public void refused(final Reason reason, final Request request, final String detail)
    {
        refused(reason, request.clientHost(), request.header().clientId(), detail);
    }

    /**
     * Logs a refusal, unless one of its kind was logged less than a second ago.
     *
     * @param reason the kind of refusal.
     * @param remote the client's address, as it is to be written.
     * @param clientId the client id of the request's header, or null if it did not parse.
     * @param detail what exactly was refused.
     */
    void refused(final Reason reason, final Object remote, final String clientId, final String detail)
    {
        final String line = line(reason, remote, clientId, detail);
        if (line != null)
        {
            LOG.atLevel(reason.level).log(line);
        }
    }

    /**
     * @return the line to log for this refusal, or null if the rate limit holds it back.
     */
    String line(final Reason reason, final Object remote, final String clientId, final String detail)
    {
        final int i = reason.ordinal();
        final long now = nanoClock.getAsLong();
        final long next = nextLine.get(i);
        if (now - next < 0 || !nextLine.compareAndSet(i, next, now + INTERVAL_NANOS))
        {
            suppressed.incrementAndGet(i);
            return null;
        }
        final long skipped = suppressed.getAndSet(i, 0);
        return "refused a request from " + remote + (clientId == null ? "" : " (client id '" + clientId + "')") + ": " + reason.text + ": " +
            detail + (skipped == 0 ? "" : " (" + skipped + " more refusals of this kind since the last such line)");
    }
}
