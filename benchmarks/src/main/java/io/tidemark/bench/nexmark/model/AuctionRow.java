package io.tidemark.bench.nexmark.model;

import java.util.Arrays;

/**
 * One auction id's state while auctions and bids meet (queries 9, 4 and 6): the auction once it
 * came, what it needs of its best bid, and the bids that came before it. Query 9 keeps the
 * auction and the best bid whole ({@link OpenAuction}); queries 4 and 6 read a few numbers of
 * them and keep those alone ({@link OpenAuctionPrice}). The functions that drive a row and its
 * timers are the same for both, on Tidemark and on Flink.
 *
 * <p>Bids name an auction up to ten ids ahead, so about half the auctions have bids waiting
 * when they come, for a moment. This class keeps those: until the auction comes (the row
 * offers them to it) or the watermark passes them ({@link #dropWaitingBy}). Plain Java, not
 * thread-safe, as keyed state is not.
 *
 * @param <W> what the row gives when its auction closes with a winning bid.
 */
public abstract class AuctionRow<W>
{
    /** The bids that came before the auction; null when none waits. */
    private Bid[] waiting;
    private int waitingCount;
    /** The earliest waiting bid's time, kept so that asking for it reads no waiting bid. */
    private long earliest;

    /**
     * @return whether the auction came.
     */
    public abstract boolean isOpen();

    /**
     * @return when the auction closes; only once it came.
     */
    public abstract long expires();

    /**
     * The auction came: the row keeps it, and the bids that waited for it are offered to it
     * ({@link #offerWaiting}).
     *
     * @param auction the auction.
     */
    public abstract void open(Auction auction);

    /**
     * @param bid a bid on the auction, which has come ({@link #isOpen}).
     */
    public abstract void offer(Bid bid);

    /**
     * @return the auction's result as it closes, with the best bid made while it was open;
     * null if no such bid was offered.
     */
    public abstract W winner();

    /**
     * Keeps a bid that came before its auction until the auction comes or the watermark passes
     * the bid ({@link #dropWaitingBy}).
     *
     * @param bid a bid on the auction, which has not come.
     * @return whether the bid is made before every other waiting bid: the time to drop the
     * waiting bids from is then its own, and needs a timer.
     */
    public final boolean hold(final Bid bid)
    {
        if (waiting == null)
        {
            waiting = new Bid[4];
        }
        else if (waitingCount == waiting.length)
        {
            waiting = Arrays.copyOf(waiting, waitingCount * 2);
        }
        final boolean first = waitingCount == 0 || bid.dateTime < earliest;
        if (first)
        {
            earliest = bid.dateTime;
        }
        waiting[waitingCount++] = bid;
        return first;
    }

    /**
     * Drops the waiting bids made at or before {@code time}: an auction they could win opened
     * before them, so once the watermark passes them without the auction, it will not come in
     * time for them.
     *
     * @param time the watermark, past the bids to drop.
     * @return whether bids still wait.
     */
    public final boolean dropWaitingBy(final long time)
    {
        int kept = 0;
        earliest = Long.MAX_VALUE;
        for (int i = 0; i < waitingCount; i++)
        {
            if (waiting[i].dateTime > time)
            {
                earliest = Math.min(earliest, waiting[i].dateTime);
                waiting[kept++] = waiting[i];
            }
        }
        waitingCount = kept;
        if (kept == 0)
        {
            waiting = null;
        }
        else
        {
            Arrays.fill(waiting, kept, waiting.length, null);
        }
        return kept > 0;
    }

    /**
     * @return whether bids wait for the auction.
     */
    public final boolean hasWaiting()
    {
        return waitingCount > 0;
    }

    /**
     * @return the time of the earliest waiting bid; only when bids wait.
     */
    public final long earliestWaiting()
    {
        return earliest;
    }

    /** Offers the waiting bids to the auction, which came, and lets them go. */
    protected final void offerWaiting()
    {
        for (int i = 0; i < waitingCount; i++)
        {
            offer(waiting[i]);
        }
        waiting = null;
        waitingCount = 0;
    }
}
