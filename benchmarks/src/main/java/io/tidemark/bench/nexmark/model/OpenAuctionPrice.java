package io.tidemark.bench.nexmark.model;

/**
 * One auction id's state in queries 4 and 6, as one row of numbers: the auction's figures
 * once it came, the highest price bid while it was open, and the bids that came before it.
 * Query 9's {@link OpenAuction} keeps the auction and the best bid whole, since they are its
 * results; these two queries read a few numbers of them, as the benchmark's SQL does, so the
 * row keeps those alone, and the 600,000 auctions a 10 M-event run holds open cost the
 * collector one small object each. Which bid wins among those of the highest price does not
 * matter here: only the price is read. Plain Java, shared with the Flink side; not
 * thread-safe, as keyed state is not.
 */
public final class OpenAuctionPrice extends AuctionRow<WinningPrice>
{
    private boolean opened;
    private long id;
    private long seller;
    private long category;
    private long openedAt;
    private long expires;
    private boolean hasPrice;
    private long price;

    @Override
    public boolean isOpen()
    {
        return opened;
    }

    @Override
    public long expires()
    {
        return expires;
    }

    @Override
    public void open(final Auction auction)
    {
        opened = true;
        id = auction.id;
        seller = auction.seller;
        category = auction.category;
        openedAt = auction.dateTime;
        expires = auction.expires;
        offerWaiting();
    }

    @Override
    public void offer(final Bid bid)
    {
        if (AuctionBid.inTime(openedAt, expires, bid.dateTime) && (!hasPrice || bid.price > price))
        {
            hasPrice = true;
            price = bid.price;
        }
    }

    @Override
    public WinningPrice winner()
    {
        return hasPrice ? new WinningPrice(id, seller, category, expires, price) : null;
    }
}
