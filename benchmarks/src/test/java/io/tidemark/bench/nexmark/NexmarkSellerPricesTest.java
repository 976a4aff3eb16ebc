package io.tidemark.bench.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import io.tidemark.bench.nexmark.model.SellerPrice;
import io.tidemark.bench.nexmark.model.SellerPrices;
import io.tidemark.bench.nexmark.model.WinningPrice;
import org.junit.jupiter.api.Test;

class NexmarkSellerPricesTest
{
    @Test
    void winningBidsCloseInTheOrderOfExpiryThenIdWhateverTheOrderTheyArriveIn()
    {
        final SellerPrices prices = new SellerPrices();
        prices.hold(winner(3, 200, 30));
        prices.hold(winner(2, 100, 20));
        prices.hold(winner(5, 200, 50));
        prices.hold(winner(1, 100, 10));
        assertFalse(prices.closesBy(99), "nothing expires before 100");
        final List<SellerPrice> closed = new ArrayList<>();
        while (prices.closesBy(100))
        {
            closed.add(prices.closeNext());
        }
        assertEquals(List.of(new SellerPrice(7, 1, 10), new SellerPrice(7, 2, 15)), closed, "auction 1 before 2 at the same expiry");
        assertTrue(prices.closesBy(200));
        assertEquals(new SellerPrice(7, 3, 20), prices.closeNext());
        assertEquals(new SellerPrice(7, 5, 27), prices.closeNext(), "110 / 4, rounded down");
        assertFalse(prices.closesBy(Long.MAX_VALUE));
    }

    @Test
    void theAverageTakesTheLastTenAuctionsClosed()
    {
        final SellerPrices prices = new SellerPrices();
        long last = 0;
        for (int auction = 1; auction <= 25; auction++)
        {
            prices.hold(winner(auction, auction, auction * 100L));
            last = prices.closeNext().price();
        }
        // Auctions 16 to 25 at 100 cents an id: 100 * (16 + 25) / 2.
        assertEquals(2_050, last);
    }

    private static WinningPrice winner(final long auction, final long expires, final long price)
    {
        return new WinningPrice(auction, 7, 10, expires, price);
    }
}
