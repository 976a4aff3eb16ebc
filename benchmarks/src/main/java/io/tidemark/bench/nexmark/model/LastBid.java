package io.tidemark.bench.nexmark.model;

/**
 * Query 18's rules, shared with the Flink side: the key of a (bidder, auction) pair, and which
 * of two bids of a pair is its last. A pair's last bid is kept as a row of the numbers that
 * decide it ({@link #WIDTH} longs: time, price, {@link Bid#textDigest}), not as the bid: the
 * query emits the bid that arrives, so it never needs the one it keeps, and millions of pairs
 * held as rows of numbers cost the collector nothing.
 */
public final class LastBid
{
    /** Multiplies the bidder into the key's low half (the golden ratio's 32 bits, odd). */
    private static final long SPREAD = 0x9E3779B9L;
    private static final long LOW_HALF = 0xFFFF_FFFFL;
    /** The longs in a pair's row. */
    public static final int WIDTH = 3;
    private static final int TIME = 0;
    private static final int PRICE = 1;
    private static final int DIGEST = 2;

    private LastBid()
    {
    }

    /**
     * The pair as one {@code long}, so that it is keyed by value ({@code keyByLong}): the bidder
     * in the high half, and in the low half the auction xor-ed with the low half of the bidder
     * times an odd constant. That is collision-free for ids below 2^32 (the bidder is the high
     * half, and with it the auction is the low half xor-ed back), which the generator's ids are
     * for its first 71 billion events (auction ids grow by 3 per 50 events). The xor is for the
     * hash: a {@code long}'s hash code, from which the key group and the state map's slot are
     * mixed, is its two halves xor-ed, and {@code bidder << 32 | auction} would hash to
     * {@code bidder ^ auction}. The ids in play at any time are close to each other, so the
     * millions of pairs of a run would share about a million such hashes, several pairs per
     * slot of the state map; with the bidder's product in it, the hash spreads as a random one.
     *
     * @param bid a bid.
     * @return its pair's key.
     * @throws IllegalArgumentException if the bidder or auction id is negative or 2^32 or more,
     *                                  which the key cannot hold apart from other pairs.
     */
    public static long key(final Bid bid)
    {
        final long bidder = bid.bidder;
        final long auction = bid.auction;
        if (((bidder | auction) & ~LOW_HALF) != 0)
        {
            throw new IllegalArgumentException("query 18 keys ids below 2^32: bidder " + bidder + ", auction " + auction);
        }
        return bidder << 32 | (auction ^ bidder * SPREAD) & LOW_HALF;
    }

    /**
     * The benchmark's SQL takes a pair's bid with the latest {@code dateTime}, and leaves the
     * tie of equal times open; here the higher price breaks it, then the lower
     * {@link Bid#textDigest}, so the last bid does not depend on the order the bids arrive in.
     *
     * @param bid  a bid of the pair.
     * @param last the row of the pair's last bid so far ({@link #toRow}).
     * @return whether the bid is the later.
     */
    public static boolean later(final Bid bid, final long[] last)
    {
        if (bid.dateTime != last[TIME])
        {
            return bid.dateTime > last[TIME];
        }
        return bid.price != last[PRICE] ? bid.price > last[PRICE] : Bid.textDigest(bid) < last[DIGEST];
    }

    /**
     * Writes a bid's row.
     *
     * @param bid a bid.
     * @param row where to write its {@link #WIDTH} longs.
     */
    public static void toRow(final Bid bid, final long[] row)
    {
        row[TIME] = bid.dateTime;
        row[PRICE] = bid.price;
        row[DIGEST] = Bid.textDigest(bid);
    }
}
