package io.tidemark.runtime.demo;

import io.tidemark.log.producer.Producer;
import io.tidemark.log.producer.ProducerRecord;
import io.tidemark.runtime.tradeoff.LogNormalDelay;

import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Users browsing a site, as their phones deliver the page views: each user visits in bursts
 * (a view every few seconds for a while, then minutes of nothing), every view reaches the
 * server after a log-normal network delay (median 200 ms, sigma 1.0), and now and then a
 * phone goes offline for two to five minutes and then uploads everything it queued at once.
 *
 * <p>Time is simulated: {@link #advanceTo(long)} moves the generator's clock, in event time,
 * and sends every view that has arrived by then, with its event time as the record timestamp.
 * The demo moves it {@code speed} times faster than the wall clock. Called from one thread.
 */
final class PageViewGenerator
{
    private static final String[] PAGES = {"/", "/search", "/product/1", "/product/2", "/product/3", "/product/4", "/cart", "/checkout"};
    private static final long MINUTE = 60_000;
    private static final double OFFLINE_PER_USER_MINUTE = 0.005;

    private final Producer producer;
    private final String topic;
    private final int partitions;
    private final SplittableRandom random;
    private final LogNormalDelay delay = new LogNormalDelay(200, 1.0);
    private final long[] nextView;
    private final long[] offlineUntil;
    private final PriorityQueue<Pending> inFlight = new PriorityQueue<>();
    private final Map<Long, Long> sentPerMinute = new TreeMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong newestEventTime = new AtomicLong(Long.MIN_VALUE);
    private volatile long now;
    private long sequence;
    private long queuedWhileOffline;

    /**
     * @param producer   sends to the log.
     * @param topic      the topic.
     * @param partitions its partitions (each gets an end marker).
     * @param users      how many users.
     * @param seed       the seed.
     * @param start      the simulated clock's start, epoch ms.
     */
    PageViewGenerator(final Producer producer, final String topic, final int partitions, final int users, final long seed, final long start)
    {
        this.producer = producer;
        this.topic = topic;
        this.partitions = partitions;
        this.random = new SplittableRandom(seed);
        this.nextView = new long[users];
        this.offlineUntil = new long[users];
        this.now = start;
        for (int u = 0; u < users; u++)
        {
            nextView[u] = start + random.nextLong(2 * MINUTE);
        }
    }

    /** A view on its way: sent when the clock reaches its arrival. */
    private record Pending(long arrival, long sequence, int user, long eventTime, String page) implements Comparable<Pending>
    {
        @Override
        public int compareTo(final Pending other)
        {
            final int byArrival = Long.compare(arrival, other.arrival);
            return byArrival != 0 ? byArrival : Long.compare(sequence, other.sequence);
        }
    }

    /**
     * Moves the simulated clock: users view pages up to {@code time}, phones go offline, and
     * every view that has arrived by then is sent.
     *
     * @param time the new simulated time, epoch ms.
     */
    void advanceTo(final long time)
    {
        final long step = time - now;
        for (int u = 0; u < nextView.length; u++)
        {
            if (offlineUntil[u] <= now && random.nextDouble() < OFFLINE_PER_USER_MINUTE * step / MINUTE)
            {
                offlineUntil[u] = now + 2 * MINUTE + random.nextLong(3 * MINUTE);
            }
            while (nextView[u] <= time)
            {
                final long eventTime = nextView[u];
                final boolean offline = offlineUntil[u] > eventTime;
                final long leaves = offline ? offlineUntil[u] : eventTime;
                queuedWhileOffline += offline ? 1 : 0;
                inFlight.add(new Pending(leaves + delay.nextMillis(random), sequence++, u, eventTime, PAGES[random.nextInt(PAGES.length)]));
                // In a visit, the next view comes seconds later; one in five ends the visit.
                final double mean = random.nextInt(5) == 0 ? 3 * MINUTE : 5_000;
                nextView[u] = eventTime + 1 + (long)(-mean * StrictMath.log(1.0 - random.nextDouble()));
            }
        }
        now = time;
        while (!inFlight.isEmpty() && inFlight.peek().arrival() <= time)
        {
            send(inFlight.poll());
        }
    }

    /**
     * Ends the run: every phone comes back online and every queued view is sent, then one end
     * marker per partition, a day ahead of the newest view, which moves every partition's
     * watermark past every window.
     */
    void finish()
    {
        while (!inFlight.isEmpty())
        {
            send(inFlight.poll());
        }
        final long farAhead = Math.max(now, newestEventTime.get()) + 24 * 60 * MINUTE;
        for (int p = 0; p < partitions; p++)
        {
            producer.send(new ProducerRecord(topic, p, farAhead, PageView.END_MARKER.getBytes(UTF_8), new byte[0], null));
        }
        producer.flush();
    }

    private void send(final Pending view)
    {
        producer.send(new ProducerRecord(topic, null, view.eventTime(), ("user-" + view.user()).getBytes(UTF_8), view.page().getBytes(UTF_8), null));
        synchronized (sentPerMinute)
        {
            sentPerMinute.merge(view.eventTime() - Math.floorMod(view.eventTime(), MINUTE), 1L, Long::sum);
        }
        sent.incrementAndGet();
        newestEventTime.accumulateAndGet(view.eventTime(), Math::max);
    }

    /**
     * @return views sent so far.
     */
    long sent()
    {
        return sent.get();
    }

    /**
     * @return views that waited on an offline phone.
     */
    long queuedWhileOffline()
    {
        return queuedWhileOffline;
    }

    /**
     * @return the newest event time sent, or {@code Long.MIN_VALUE}.
     */
    long newestEventTime()
    {
        return newestEventTime.get();
    }

    /**
     * @return views sent per event-time minute (start of the minute to count).
     */
    Map<Long, Long> sentPerMinute()
    {
        synchronized (sentPerMinute)
        {
            return new TreeMap<>(sentPerMinute);
        }
    }
}
