package io.tidemark.runtime.tradeoff;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The event stream of workload T1 ({@code docs/WORKLOADS.md}): devices that each emit one event
 * per second of event time, delivered over a network with log-normal delay, a few of them
 * going offline for minutes and then uploading everything they queued at once.
 *
 * <p>Exactly, for a seed: one {@link SplittableRandom} draws, in this order, a phase in
 * {@code [0, 1000)} ms per device (its events fall at that offset within each second); the
 * offline devices ({@code round(devices * offlineShare)} of them, the first of a seeded
 * Fisher-Yates shuffle), each with an outage start uniform in the run and a length uniform in
 * {@code [offlineMin, offlineMax]}; then, second by second and device by device, a value in
 * {@code [0, 1000)} and a {@link LogNormalDelay}. An event's arrival time is its event time
 * plus the delay, or, if its device was offline at that event time, the end of the outage
 * plus the delay. Event times start at {@code T0 = 1_700_000_000_000}.
 *
 * @param devices       how many devices.
 * @param seconds       how many seconds of event time.
 * @param seed          the seed.
 * @param medianDelay   median network delay, ms.
 * @param sigma         log-normal sigma.
 * @param offlineShare  share of devices that go offline once.
 * @param offlineMin    shortest outage, ms.
 * @param offlineMax    longest outage, ms.
 */
public record T1Generator(int devices, int seconds, long seed, double medianDelay, double sigma, double offlineShare, long offlineMin, long offlineMax)
{
    /** The first event time. */
    public static final long T0 = 1_700_000_000_000L;

    /**
     * @param devices how many devices.
     * @param seconds how many seconds of event time.
     * @param seed    the seed.
     * @return T1 with its default network: median 200 ms, sigma 1.0, 2% of devices offline for
     *         5 to 15 minutes.
     */
    public static T1Generator withDefaults(final int devices, final int seconds, final long seed)
    {
        return new T1Generator(devices, seconds, seed, 200, 1.0, 0.02, 5 * 60_000L, 15 * 60_000L);
    }

    /**
     * @param events the number of events wanted; rounded down to whole seconds of 1,000 devices
     *               (fewer devices when fewer than 1,000 events).
     * @param seed   the seed.
     * @return the generator for about that many events.
     */
    public static T1Generator forEvents(final long events, final long seed)
    {
        if (events < 1)
        {
            throw new IllegalArgumentException("need at least one event: " + events);
        }
        final int devices = (int)Math.min(1000, events);
        return withDefaults(devices, (int)Math.min(Integer.MAX_VALUE, events / devices), seed);
    }

    /**
     * @return the stream, in arrival order.
     */
    public EventStream generate()
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final LogNormalDelay delay = new LogNormalDelay(medianDelay, sigma);
        final long[] phase = new long[devices];
        for (int d = 0; d < devices; d++)
        {
            phase[d] = random.nextInt(1000);
        }
        final long runMillis = seconds * 1000L;
        final long[] offlineFrom = new long[devices];
        final long[] offlineTo = new long[devices];
        final int[] order = new int[devices];
        for (int d = 0; d < devices; d++)
        {
            order[d] = d;
            offlineFrom[d] = Long.MAX_VALUE;
            offlineTo[d] = Long.MAX_VALUE;
        }
        for (int i = devices - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        final int offline = (int)Math.round(devices * offlineShare);
        for (int k = 0; k < offline; k++)
        {
            final int d = order[k];
            offlineFrom[d] = T0 + random.nextLong(runMillis);
            offlineTo[d] = offlineFrom[d] + offlineMin + random.nextLong(offlineMax - offlineMin + 1);
        }

        final int n = Math.multiplyExact(devices, seconds);
        final int[] device = new int[n];
        final long[] eventTime = new long[n];
        final long[] arrivalTime = new long[n];
        final long[] value = new long[n];
        int i = 0;
        for (int s = 0; s < seconds; s++)
        {
            for (int d = 0; d < devices; d++)
            {
                final long time = T0 + s * 1000L + phase[d];
                final long sent = time >= offlineFrom[d] && time < offlineTo[d] ? offlineTo[d] : time;
                device[i] = d;
                eventTime[i] = time;
                value[i] = random.nextInt(1000);
                arrivalTime[i] = sent + delay.nextMillis(random);
                i++;
            }
        }
        final List<String> names = new ArrayList<>(devices);
        for (int d = 0; d < devices; d++)
        {
            names.add("device-" + d);
        }
        return EventStream.inArrivalOrder(names, device, eventTime, arrivalTime, value);
    }
}
