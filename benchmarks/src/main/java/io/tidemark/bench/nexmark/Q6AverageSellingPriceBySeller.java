package io.tidemark.bench.nexmark;

import io.tidemark.bench.nexmark.model.Event;
import io.tidemark.bench.nexmark.model.SellerPrice;
import io.tidemark.bench.nexmark.model.SellerPrices;
import io.tidemark.bench.nexmark.model.WinningPrice;
import io.tidemark.engine.api.DataStream;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.KeyedProcessFunction;
import io.tidemark.engine.state.ValueState;
import io.tidemark.engine.state.ValueStateDescriptor;

/**
 * Query 6, average selling price by seller: each seller's average winning price over their
 * last 10 auctions closed. The winning prices are query 9's join's ({@link Q9WinningBids#winningPrices}: each
 * auction once, when the watermark passes its expiry, with only the numbers read here); keyed
 * by seller, each one is held until the
 * watermark passes its expiry here too, then applied in the order of closing, expiry then
 * auction id ({@link SellerPrices}), so that "the last 10" is the same whatever order the
 * exchange delivers the winners of two subtasks in. One result per closed auction with a
 * winning bid ({@link SellerPrice}): <b>updates</b>, a seller's last the average of their last
 * 10.
 */
public final class Q6AverageSellingPriceBySeller implements NexmarkQuery<SellerPrice>
{
    @Override
    public String name()
    {
        return "q6";
    }

    @Override
    public DataStream<SellerPrice> build(final DataStream<Event> events)
    {
        return Q9WinningBids.winningPrices(events)
            .keyByLong(WinningPrice::seller)
            .process(new LastTen())
            .name("q6");
    }

    /** Holds each winning price until its auction's expiry, then averages it in with the seller's last ones. */
    private static final class LastTen extends KeyedProcessFunction<Long, WinningPrice, SellerPrice>
    {
        private static final long serialVersionUID = 1L;
        private static final ValueStateDescriptor<SellerPrices> PRICES = new ValueStateDescriptor<>("seller-prices");

        @Override
        public void processElement(final WinningPrice winner, final Context<Long, SellerPrice> ctx, final Collector<SellerPrice> out) throws Exception
        {
            final ValueState<SellerPrices> state = ctx.getState(PRICES);
            SellerPrices prices = state.value();
            if (prices == null)
            {
                prices = new SellerPrices();
                state.update(prices);
            }
            prices.hold(winner);
            ctx.timerService().registerEventTimeTimer(winner.expires());
        }

        @Override
        public void onTimer(final long timestamp, final Context<Long, SellerPrice> ctx, final Collector<SellerPrice> out) throws Exception
        {
            final SellerPrices prices = ctx.getState(PRICES).value();
            while (prices.closesBy(timestamp))
            {
                out.collect(prices.closeNext());
            }
        }
    }
}
