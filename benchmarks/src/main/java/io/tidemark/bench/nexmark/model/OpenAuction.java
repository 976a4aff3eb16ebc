package io.tidemark.bench.nexmark.model;

/**
 * One auction id's state in query 9, as one row: the auction once it came, its best bid so
 * far, and the bids that came before it ({@link AuctionRow}). One row instead of a state per
 * field means a bid costs one look-up of its auction's key, not one per field. For the same
 * reason the row keeps copies of what a bid is compared with (the auction's opening and
 * expiry, the best bid's price, time and bidder), so that offering a bid reads the row and the
 * bid alone, not the auction and the best bid behind it. The auction and the best bid are the
 * query's result, so the row holds them whole until the auction closes. Plain Java, shared
 * with the Flink side; not thread-safe, as keyed state is not.
 */
public final class OpenAuction extends AuctionRow<AuctionBid>
{
    private Auction auction;
    private long opened;
    private long expires;
    private Bid best;
    private long bestPrice;
    private long bestTime;
    private long bestBidder;

    @Override
    public boolean isOpen()
    {
        return auction != null;
    }

    @Override
    public long expires()
    {
        return expires;
    }

    @Override
    public AuctionBid winner()
    {
        return best == null ? null : new AuctionBid(auction, best);
    }

    @Override
    public void open(final Auction opened)
    {
        auction = opened;
        this.opened = opened.dateTime;
        expires = opened.expires;
        offerWaiting();
    }

    @Override
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
}
