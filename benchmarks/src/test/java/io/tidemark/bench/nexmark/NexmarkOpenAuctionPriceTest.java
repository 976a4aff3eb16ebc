package io.tidemark.bench.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import io.tidemark.bench.nexmark.model.Auction;
import io.tidemark.bench.nexmark.model.Bid;
import io.tidemark.bench.nexmark.model.OpenAuction;
import io.tidemark.bench.nexmark.model.OpenAuctionPrice;
import io.tidemark.bench.nexmark.model.WinningPrice;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Queries 4 and 6's row of numbers against query 9's row of objects: fed the same auction and
 * bids in the same order, they must agree on the winning price and on the timers they ask for.
 */
class NexmarkOpenAuctionPriceTest
{
    private static final Auction AUCTION = new Auction(1, "item", "", 1, 1, 100, 200, 7, 12, "");

    @Property(tries = 500)
    void theRowOfNumbersWinsWhatTheRowOfObjectsWins(@ForAll @Size(max = 12) final List<@LongRange(min = 50, max = 250) Long> times,
        @ForAll @Size(max = 12) final List<@LongRange(min = 1, max = 40) Long> prices, @ForAll @IntRange(max = 12) final int arrival,
        @ForAll @LongRange(min = 40, max = 260) final long dropBy)
    {
        final OpenAuction objects = new OpenAuction();
        final OpenAuctionPrice numbers = new OpenAuctionPrice();
        final int bids = Math.min(times.size(), prices.size());
        final int before = Math.min(arrival, bids);
        for (int i = 0; i < before; i++)
        {
            final Bid bid = bid(prices.get(i), times.get(i));
            assertEquals(objects.hold(bid), numbers.hold(bid), "a waiting bid needs a timer in both rows or in neither");
            assertEquals(objects.earliestWaiting(), numbers.earliestWaiting());
        }
        if (before > 0 && dropBy < AUCTION.dateTime)
        {
            assertEquals(objects.dropWaitingBy(dropBy), numbers.dropWaitingBy(dropBy), "the watermark leaves bids waiting in both rows or in neither");
            if (objects.hasWaiting())
            {
                assertEquals(objects.earliestWaiting(), numbers.earliestWaiting());
            }
        }
        objects.open(AUCTION);
        numbers.open(AUCTION);
        for (int i = before; i < bids; i++)
        {
            final Bid bid = bid(prices.get(i), times.get(i));
            objects.offer(bid);
            numbers.offer(bid);
        }
        final WinningPrice winner = numbers.winner();
        if (objects.winner() == null)
        {
            assertNull(winner, "no bid in time, no winner");
        }
        else
        {
            assertEquals(new WinningPrice(1, 7, 12, 200, objects.winner().bid().price), winner);
        }
        assertEquals(200, numbers.expires());
    }

    @Test
    void onlyBidsMadeWhileTheAuctionWasOpenCount()
    {
        final OpenAuctionPrice open = new OpenAuctionPrice();
        open.hold(bid(900, 99));
        open.open(AUCTION);
        assertNull(open.winner(), "900 was bid before the opening");
        open.offer(bid(800, 201));
        open.offer(bid(30, 150));
        open.offer(bid(40, 200));
        assertEquals(40, open.winner().price(), "800 came after the expiry; the expiry itself still counts");
    }

    private static Bid bid(final long price, final long dateTime)
    {
        return new Bid(1, 1000 + price, price, "Apple", "", dateTime, "");
    }
}
