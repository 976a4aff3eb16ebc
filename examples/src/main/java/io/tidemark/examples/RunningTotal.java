package io.tidemark.examples;

import io.tidemark.engine.api.StreamExecutionEnvironment;
import io.tidemark.engine.functions.AggregateFunctions;
import io.tidemark.engine.sink.CollectSink;
import io.tidemark.engine.source.CollectionSource;
import io.tidemark.engine.time.WatermarkStrategy;
import io.tidemark.engine.window.GlobalWindow;
import io.tidemark.engine.window.GlobalWindows;
import io.tidemark.engine.window.Trigger;
import io.tidemark.engine.window.TriggerResult;
import io.tidemark.engine.window.WindowResult;

import java.util.List;

/**
 * A running total with a custom trigger, the global window: one window per key that never
 * ends, so nothing would ever be emitted without a trigger. {@link BigPurchaseTrigger} fires
 * whenever a purchase of at least 100 arrives, without purging: each result is the total so
 * far, and every result after the first is marked as an update of the one before.
 */
public final class RunningTotal
{
    private RunningTotal()
    {
    }

    /** Fires the global window on every purchase of 100 or more; keeps its contents. */
    static final class BigPurchaseTrigger extends Trigger<Click, GlobalWindow>
    {
        @Override
        public TriggerResult onElement(final Click click, final long timestamp, final GlobalWindow window, final TriggerContext ctx)
        {
            return click.amount() >= 100 ? TriggerResult.FIRE : TriggerResult.CONTINUE;
        }

        @Override
        public TriggerResult onEventTime(final long time, final GlobalWindow window, final TriggerContext ctx)
        {
            return TriggerResult.CONTINUE;
        }

        @Override
        public TriggerResult onProcessingTime(final long time, final GlobalWindow window, final TriggerContext ctx)
        {
            return TriggerResult.CONTINUE;
        }

        @Override
        public void clear(final GlobalWindow window, final TriggerContext ctx)
        {
        }
    }

    /**
     * @param purchases purchases ({@code amount}) per customer ({@code user}).
     * @return the running total per customer at each big purchase.
     */
    public static List<WindowResult<String, Long>> run(final List<Click> purchases)
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(1);
        final CollectSink<WindowResult<String, Long>> results = new CollectSink<>();
        env.fromSource(CollectionSource.of(purchases), WatermarkStrategy.<Click>noWatermarks(), "purchases")
            .keyBy(Click::user)
            .window(GlobalWindows.create())
            .trigger(new BigPurchaseTrigger())
            .aggregate(AggregateFunctions.<Click>sumLong(Click::amount))
            .sinkTo(results);
        env.execute("running total");
        return results.results();
    }

    /**
     * @param args unused.
     */
    public static void main(final String[] args)
    {
        run(List.of(new Click("ann", 0, 30), new Click("ann", 1, 120), new Click("ann", 2, 5), new Click("ann", 3, 100))).forEach(System.out::println);
    }
}
