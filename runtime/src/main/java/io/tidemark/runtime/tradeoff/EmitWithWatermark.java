package io.tidemark.runtime.tradeoff;

import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.window.ProcessWindowFunction;
import io.tidemark.engine.window.TimeWindow;

/**
 * Turns a window's {@code {count, lastArrival}} into a {@link WindowEmission} stamped with
 * the operator's watermark at firing.
 */
final class EmitWithWatermark extends ProcessWindowFunction<long[], WindowEmission, Integer, TimeWindow>
{
    private static final long serialVersionUID = 1L;

    @Override
    public void process(final Integer key, final Context<TimeWindow> context, final Iterable<long[]> elements, final Collector<WindowEmission> out)
    {
        final long[] accumulator = elements.iterator().next();
        final TimeWindow window = context.window();
        out.collect(new WindowEmission(key, window.start(), window.end(), accumulator[0], accumulator[1], context.currentWatermark(), context.isUpdate()));
    }
}
