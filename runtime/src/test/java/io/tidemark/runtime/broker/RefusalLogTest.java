package io.tidemark.runtime.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.tidemark.runtime.broker.RefusalLog.Reason;
import org.junit.jupiter.api.Test;

/**
 * A flood of refusals makes one line per second per kind, each saying how many it stands for.
 */
class RefusalLogTest
{
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);

    @Test
    void oneLinePerSecondPerKindCountingTheRest()
    {
        final AtomicLong now = new AtomicLong(-TimeUnit.DAYS.toNanos(1));
        final RefusalLog log = new RefusalLog(now::get);

        final String first = log.line(Reason.UNSUPPORTED_VERSION, CLIENT, "producer-1", "version 99 of PRODUCE; supported: 3..12");
        assertEquals("refused a request from /127.0.0.1:40000 (client id 'producer-1'): unsupported version: version 99 of PRODUCE; supported: 3..12",
            first);
        for (int i = 0; i < 41; i++)
        {
            assertNull(log.line(Reason.UNSUPPORTED_VERSION, CLIENT, "producer-1", "again"), "held back within the second");
        }
        assertNotNull(log.line(Reason.MALFORMED, CLIENT, null, "a body that does not decode"), "another kind has its own limit");

        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
        assertNull(log.line(Reason.UNSUPPORTED_VERSION, CLIENT, null, "still within the second"));
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        final String next = log.line(Reason.UNSUPPORTED_VERSION, CLIENT, null, "a second later");
        assertTrue(next.endsWith("a second later (42 more refusals of this kind since the last such line)"), next);
        now.addAndGet(TimeUnit.SECONDS.toNanos(5));
        assertTrue(log.line(Reason.UNSUPPORTED_VERSION, CLIENT, null, "quiet since").endsWith("quiet since"), "nothing left out, nothing said");
    }
}
