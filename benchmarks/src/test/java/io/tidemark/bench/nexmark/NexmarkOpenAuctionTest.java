package io.tidemark.bench.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.bench.nexmark.model.Auction;
import io.tidemark.bench.nexmark.model.Bid;
import io.tidemark.bench.nexmark.model.OpenAuction;
import org.junit.jupiter.api.Test;

/** Query 9's row per auction id alone: the best bid in time, and the bids that wait for their auction. */
class NexmarkOpenAuctionTest
{
    private static final Auction AUCTION = new Auction(1, "item", "", 1, 1, 100, 200, 7, 10, "");

    @Test
    void theBestBidIsTheHighestMadeWhileTheAuctionWasOpenThenTheEarliest()
    {
        final OpenAuction open = new OpenAuction();
        open.open(AUCTION);
        open.offer(bid(50, 150));
        final Bid early = bid(70, 120);
        open.offer(early);
        open.offer(bid(70, 130));
        open.offer(bid(900, 99));
        open.offer(bid(900, 201));
        assertEquals(AUCTION, open.winner().auction(), "the auction comes back whole");
        assertEquals(early, open.winner().bid(), "70 at 120 beats 70 at 130; 900 was bid before the opening and after the expiry");
    }

    @Test
    void bidsBeforeTheAuctionWaitAndAreOfferedToItWhenItComes()
    {
        final OpenAuction open = new OpenAuction();
        assertFalse(open.hasWaiting());
        assertTrue(open.hold(bid(10, 150)), "the first waiting bid needs a timer");
        assertFalse(open.hold(bid(30, 160)), "a later one does not");
        assertTrue(open.hold(bid(20, 140)), "an earlier one does");
        assertEquals(140, open.earliestWaiting());
        assertFalse(open.isOpen());
        assertTrue(open.hasWaiting());
        open.open(AUCTION);
        assertFalse(open.hasWaiting(), "the auction took the waiting bids");
        assertEquals(30, open.winner().bid().price);
        open.offer(bid(40, 170));
        assertEquals(40, open.winner().bid().price, "once open, bids are offered, not held");
    }

    @Test
    void theWatermarkDropsTheWaitingBidsItPassedAndKeepsTheLaterOnes()
    {
        final OpenAuction open = new OpenAuction();
        open.hold(bid(90, 150));
        open.hold(bid(30, 160));
        open.hold(bid(80, 155));
        assertTrue(open.dropWaitingBy(155), "the bid at 160 still waits");
        assertEquals(160, open.earliestWaiting());
        open.open(AUCTION);
        assertEquals(30, open.winner().bid().price, "only the bid the watermark had not passed reached the auction");
        final OpenAuction none = new OpenAuction();
        none.hold(bid(10, 150));
        assertFalse(none.dropWaitingBy(150), "nothing waits once the watermark passed every bid");
    }

    private static Bid bid(final long price, final long dateTime)
    {
        return new Bid(1, 1000 + price, price, "Apple", "", dateTime, "");
    }
}
