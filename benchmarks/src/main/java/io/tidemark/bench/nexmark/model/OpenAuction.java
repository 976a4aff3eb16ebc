package io.tidemark.bench.nexmark.model;

import java.util.Arrays;

/**
 * One auction id's state in query 9 (and 4 and 6 over it), as one row: the auction once it
 * came, its best bid so far, and the bids that came before it. One row instead of a state per
 * field means a bid costs one look-up of its auction's key, not one per field: with the
 * 120,000 auctions a run holds open, each look-up is a cache miss. For the same reason the row
 * keeps copies of what a bid is compared with (the auction's opening and expiry, the best
 * bid's price, time and bidder), so that offering a bid reads the row and the bid alone, not
 * the auction and the best bid behind it. Plain Java, shared with the Flink side; not
 * thread-safe, as keyed state is not.
 */
public final class OpenAuction
{
    private static final Bid[] NONE_WAITING = new Bid[0];

    private Auction auction;
    private long opened;
    private long expires;
    private Bid best;
    private long bestPrice;
    private long bestTime;
    private long bestBidder;
    private Bid[] waiting = NONE_WAITING;
    private int waitingCount;

    /**
     * @return the auction, or null while its bids wait for it.
     */
    public Auction auction()
    {
        return auction;
    }

    /**
     * @return the best bid made while the auction was open, of those offered; null if none.
     */
    public Bid best()
    {
        return best;
    }

    /**
     * The auction came: the bids that waited for it are offered to it, and let go.
     *
     * @param opened the auction.
     */
    public void open(final Auction opened)
    {
        auction = opened;
        this.opened = opened.dateTime;
        expires = opened.expires;
        for (int i = 0; i < waitingCount; i++)
        {
            offer(waiting[i]);
        }
        waiting = NONE_WAITING;
        waitingCount = 0;
    }

    /**
     * @param bid a bid on the auction, which has come ({@link #auction} is not null).
     */
    public void offer(final Bid bid)
    {
        final long time = bid.dateTime;
        if (AuctionBid.inTime(opened, expires, time) && (best == null || AuctionBid.beats(bid.price, time, bid.bidder, bestPrice, bestTime, bestBidder)))
        {
            best = bid;
            bestPrice = bid.price;
            bestTime = time;
            bestBidder = bid.bidder;
        }
    }

    /**
     * Keeps a bid that came before its auction until the auction comes or the watermark passes
     * the bid ({@link #dropWaitingBy}).
     *
     * @param bid a bid on the auction, which has not come.
     * @return whether the bid is made before every other waiting bid: the time to drop the
     * waiting bids from is then its own, and needs a timer.
     */
    public boolean hold(final Bid bid)
    {
        if (waitingCount == waiting.length)
        {
            waiting = Arrays.copyOf(waiting, Math.max(4, waitingCount * 2));
        }
        waiting[waitingCount++] = bid;
        return waitingCount == 1 || bid.dateTime < earliestWaiting(waitingCount - 1);
    }

    /**
     * Drops the waiting bids made at or before {@code time}: an auction they could win opened
     * before them, so once the watermark passes them without the auction, it will not come in
     * time for them.
     *
     * @param time the watermark, past the bids to drop.
     * @return whether bids still wait.
     */
    public boolean dropWaitingBy(final long time)
    {
        int kept = 0;
        for (int i = 0; i < waitingCount; i++)
        {
            if (waiting[i].dateTime > time)
            {
                waiting[kept++] = waiting[i];
            }
        }
        Arrays.fill(waiting, kept, waitingCount, null);
        waitingCount = kept;
        return kept > 0;
    }

    /**
     * @return whether bids wait for the auction.
     */
    public boolean hasWaiting()
    {
        return waitingCount > 0;
    }

    /**
     * @return the time of the earliest waiting bid; only when bids wait.
     */
    public long earliestWaiting()
    {
        return earliestWaiting(waitingCount);
    }

    private long earliestWaiting(final int count)
    {
        long earliest = Long.MAX_VALUE;
        for (int i = 0; i < count; i++)
        {
            earliest = Math.min(earliest, waiting[i].dateTime);
        }
        return earliest;
    }
}
