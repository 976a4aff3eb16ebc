package io.tidemark.bench.nexmark.generator;

import java.io.Serializable;

/**
 * What a Nexmark event stream is made of: how many events, the seed, the generator's clock
 * and its disorder. The rest of the benchmark's parameters are its standard values, fixed
 * here: persons, auctions and bids in the proportion 1 : 3 : 46, hot auction ratio 2, hot
 * seller and hot bidder ratios 4, 1,000 active people, 100 auctions in flight, average sizes
 * of 200, 500 and 100 bytes.
 *
 * <p>Event {@code n} happens at {@code baseTime + n * 1000 / firstEventRate} ms (the
 * inter-event delay is {@code 1 / firstEventRate} s). The events are emitted in groups of
 * {@code outOfOrderGroupSize}, each group in a fixed shuffled order (see
 * {@link NexmarkGenerator#eventNumberAt}), so event time runs out of order by at most
 * {@link #maxDisorderMillis()}.
 *
 * @param events              how many events; positive.
 * @param seed                the seed of every random draw.
 * @param firstEventRate      events per second of event time; positive.
 * @param baseTime            the event time of event 0, in milliseconds since the epoch.
 * @param outOfOrderGroupSize how many consecutive events are emitted shuffled; 1 for none,
 *                            never a multiple of 953 (the shuffle's multiplier).
 */
public record NexmarkConfig(long events, long seed, long firstEventRate, long baseTime, int outOfOrderGroupSize) implements Serializable
{
    /** The benchmark's event rate: 10 million events per second of event time. */
    public static final long STANDARD_RATE = 10_000_000L;
    /** 2026-01-01T00:00:00Z: a fixed base time, so a seed makes the same stream on every run. */
    public static final long STANDARD_BASE_TIME = 1_767_225_600_000L;
    /** Persons per 50 events. */
    public static final int PERSON_PROPORTION = 1;
    /** Auctions per 50 events. */
    public static final int AUCTION_PROPORTION = 3;
    /** Bids per 50 events. */
    public static final int BID_PROPORTION = 46;
    /** The events of one round of the proportions. */
    public static final int TOTAL_PROPORTION = PERSON_PROPORTION + AUCTION_PROPORTION + BID_PROPORTION;

    private static final long serialVersionUID = 1L;
    private static final int SHUFFLE = 953;

    /**
     * @throws IllegalArgumentException if a value is out of its range.
     */
    public NexmarkConfig
    {
        if (events < 1 || firstEventRate < 1 || outOfOrderGroupSize < 1 || outOfOrderGroupSize % SHUFFLE == 0)
        {
            throw new IllegalArgumentException("events and the event rate must be positive, the out-of-order group size positive and not a multiple of "
                + SHUFFLE + ": events=" + events + ", firstEventRate=" + firstEventRate + ", outOfOrderGroupSize=" + outOfOrderGroupSize);
        }
    }

    /**
     * @param events how many events.
     * @return the benchmark's standard stream of that many events: seed 0, 10 million events
     * per second of event time, no disorder (the Nexmark default group size of 1).
     */
    public static NexmarkConfig standard(final long events)
    {
        return new NexmarkConfig(events, 0, STANDARD_RATE, STANDARD_BASE_TIME, 1);
    }

    /**
     * @param seed a seed.
     * @return this configuration with that seed.
     */
    public NexmarkConfig withSeed(final long seed)
    {
        return new NexmarkConfig(events, seed, firstEventRate, baseTime, outOfOrderGroupSize);
    }

    /**
     * @param rate events per second of event time.
     * @param base the event time of event 0.
     * @return this configuration with that clock.
     */
    public NexmarkConfig withClock(final long rate, final long base)
    {
        return new NexmarkConfig(events, seed, rate, base, outOfOrderGroupSize);
    }

    /**
     * @param groupSize how many consecutive events are emitted shuffled.
     * @return this configuration with that disorder.
     */
    public NexmarkConfig withOutOfOrderGroupSize(final int groupSize)
    {
        return new NexmarkConfig(events, seed, firstEventRate, baseTime, groupSize);
    }

    /**
     * @param eventNumber an event number.
     * @return its event time, in milliseconds since the epoch.
     */
    public long timestampOf(final long eventNumber)
    {
        return baseTime + eventNumber * 1000 / firstEventRate;
    }

    /**
     * @return the most an event can trail one emitted before it, in event time: the span of
     * one out-of-order group.
     */
    public long maxDisorderMillis()
    {
        return timestampOf(outOfOrderGroupSize - 1) - timestampOf(0) + 1;
    }
}
