package io.tidemark.bench.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.tidemark.bench.nexmark.model.Auction;
import io.tidemark.bench.nexmark.model.AuctionRow;
import io.tidemark.bench.nexmark.model.Bid;
import io.tidemark.bench.nexmark.model.OpenAuctionPrice;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** The waiting bids of a row, against a plain list of their times, through any holds and drops. */
class NexmarkAuctionRowTest
{
    /**
     * @param steps each a bid's time to hold when positive, or the watermark to drop the waiting
     *              bids by when negative (its absolute value).
     */
    @Property(tries = 1_000)
    void theEarliestWaitingBidIsTheMinimumOfThoseKept(@ForAll @Size(max = 30) final List<@LongRange(min = -60, max = 60) Long> steps)
    {
        final AuctionRow<?> row = new OpenAuctionPrice();
        final List<Long> waiting = new ArrayList<>();
        for (final long step : steps)
        {
            if (step > 0)
            {
                final boolean earliest = waiting.isEmpty() || step < Collections.min(waiting);
                assertEquals(earliest, row.hold(new Bid(1, 1000, 5, "Apple", "", step, "")), "a timer is asked for exactly when the bid is the earliest");
                waiting.add(step);
            }
            else
            {
                waiting.removeIf(time -> time <= -step);
                assertEquals(!waiting.isEmpty(), row.dropWaitingBy(-step));
            }
            assertEquals(!waiting.isEmpty(), row.hasWaiting());
            if (!waiting.isEmpty())
            {
                assertEquals(Collections.min(waiting), row.earliestWaiting());
            }
        }
        row.open(new Auction(1, "item", "", 1, 1, 0, 100, 7, 10, ""));
        assertFalse(row.hasWaiting(), "the auction took the waiting bids");
    }
}
