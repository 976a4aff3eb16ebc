package io.tidemark.bench.nexmark;

import io.tidemark.bench.nexmark.model.CategoryPrice;
import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.bench.nexmark.model.WinningPrice;
import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.KeyedProcessFunction;
import io.tidemark.engine.state.ValueState;
import io.tidemark.engine.state.ValueStateDescriptor;

/**
 * Query 4, average price for a category: the average winning price of each category's
 * auctions. The winning prices are query 9's join's ({@link Q9WinningBids#winningPrices}: each auction
 * once, when it closes, with only the numbers read here); keyed by category, each one updates
 * its category's count and sum and emits them, so the results are <b>updates</b>, one per
 * closed auction with a winning bid, and a category's last result (the one of the most
 * auctions) is its final average. The benchmark's SQL updates its rows with every bid
 * instead; its final rows are the same.
 */
public final class Q4AveragePriceForCategory implements NexmarkQuery<CategoryPrice>
{
    @Override
    public String name()
    {
        return "q4";
    }

    @Override
    public DataStream<CategoryPrice> build(final DataStream<Event> events)
    {
        return Q9WinningBids.winningPrices(events)
            .keyByLong(WinningPrice::category)
            .process(new Average())
            .name("q4");
    }

    /** Adds each winning price to its category's figures and emits them. */
    private static final class Average extends KeyedProcessFunction<Long, WinningPrice, CategoryPrice>
    {
        private static final long serialVersionUID = 1L;
        private static final ValueStateDescriptor<CategoryPrice> PRICES = new ValueStateDescriptor<>("category-prices");

        @Override
        public void processElement(final WinningPrice winner, final Context<Long, CategoryPrice> ctx, final Collector<CategoryPrice> out) throws Exception
        {
            final ValueState<CategoryPrice> prices = ctx.getState(PRICES);
            final CategoryPrice updated = CategoryPrice.plus(prices.value(), winner);
            prices.update(updated);
            out.collect(updated);
        }
    }
}
