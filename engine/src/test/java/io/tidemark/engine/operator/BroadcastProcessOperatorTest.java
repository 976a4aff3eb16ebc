package io.tidemark.engine.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tidemark.engine.functions.BroadcastProcessFunction;
import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.KeyedBroadcastProcessFunction;
import io.tidemark.engine.state.MapStateDescriptor;
import io.tidemark.engine.state.Serializers;
import io.tidemark.engine.state.ValueState;
import io.tidemark.engine.state.ValueStateDescriptor;
import io.tidemark.engine.testing.TwoInputOperatorHarness;
import java.util.List;
import org.junit.jupiter.api.Test;

class BroadcastProcessOperatorTest
{
    static final MapStateDescriptor<String, Long> THRESHOLDS = new MapStateDescriptor<>("thresholds", Serializers.STRING, Serializers.LONG);

    /** A threshold per name, set by the broadcast side. */
    record Rule(String name, long threshold)
    {
    }

    /** Counts each key's values at or above the "min" threshold; a rule named "fail" asks for a state it does not have. */
    static final class CountAboveThreshold extends KeyedBroadcastProcessFunction<String, String, Rule, String>
    {
        private static final long serialVersionUID = 1L;
        private static final ValueStateDescriptor<Long> COUNT = new ValueStateDescriptor<>("count");

        @Override
        public void processElement(final String value, final ReadOnlyContext<String, String> ctx, final Collector<String> out) throws Exception
        {
            final Long threshold = ctx.getBroadcastState(THRESHOLDS).get("min");
            if (threshold != null && Long.parseLong(value.substring(2)) >= threshold)
            {
                final ValueState<Long> count = ctx.getState(COUNT);
                count.update(count.value() == null ? 1 : count.value() + 1);
                out.collect(ctx.getCurrentKey() + "=" + count.value());
            }
        }

        @Override
        public void processBroadcastElement(final Rule rule, final Context ctx, final Collector<String> out)
        {
            ctx.getBroadcastState(THRESHOLDS).put(rule.name(), rule.threshold());
        }
    }

    /** Emits each value with the broadcast threshold it met. */
    static final class Tag extends BroadcastProcessFunction<String, Rule, String>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(final String value, final ReadOnlyContext ctx, final Collector<String> out)
        {
            out.collect(value + "/" + ctx.getBroadcastState(THRESHOLDS).get("min"));
        }

        @Override
        public void processBroadcastElement(final Rule rule, final Context ctx, final Collector<String> out)
        {
            ctx.getBroadcastState(THRESHOLDS).put(rule.name(), rule.threshold());
        }
    }

    private static TwoInputOperatorHarness<String, Rule, String> keyed() throws Exception
    {
        return TwoInputOperatorHarness.forKeyedOperator(new KeyedBroadcastProcessOperator<>(new CountAboveThreshold(), List.of(THRESHOLDS)), v -> v.substring(0, 1), null);
    }

    @Test
    void theKeyedSideReadsWhatTheBroadcastSideWroteWithItsKeysState() throws Exception
    {
        final var h = keyed();
        h.processElement1("a:5", 1);
        h.processElement2(new Rule("min", 3), 2);
        h.processElement1("a:5", 3);
        h.processElement1("b:2", 4);
        h.processElement1("a:3", 5);
        h.processElement1("b:9", 6);
        assertEquals(List.of("a=1", "a=2", "b=1"), h.takeOutput());
    }

    @Test
    void broadcastStateAndKeyedStateSurviveASnapshotAndRestore() throws Exception
    {
        final var first = keyed();
        first.processElement2(new Rule("min", 3), 1);
        first.processElement1("a:5", 2);
        final var restored = keyed();
        restored.restore(first.snapshot());
        restored.processElement1("a:4", 3);
        restored.processElement1("a:1", 4);
        assertEquals(List.of("a=2"), restored.takeOutput(), "the threshold and a's count came back");
    }

    /** Both sides of a restored operator report the watermark it restored, not the broadcast side NONE until the next one comes. */
    @Test
    void theBroadcastSideOfARestoredOperatorSeesTheRestoredWatermark() throws Exception
    {
        final var first = TwoInputOperatorHarness.forKeyedOperator(
            new KeyedBroadcastProcessOperator<>(new WatermarkSeen(), List.of(THRESHOLDS)), v -> v.substring(0, 1), null);
        first.processWatermark(40);
        first.processElement2(new Rule("min", 1), 41);
        first.processElement1("a:1", 42);
        assertEquals(List.of("broadcast@40", "keyed@40"), first.takeOutput());
        final var restored = TwoInputOperatorHarness.forKeyedOperator(
            new KeyedBroadcastProcessOperator<>(new WatermarkSeen(), List.of(THRESHOLDS)), v -> v.substring(0, 1), null);
        restored.restore(first.snapshot());
        restored.processElement2(new Rule("min", 2), 43);
        restored.processElement1("a:2", 44);
        assertEquals(List.of("broadcast@40", "keyed@40"), restored.takeOutput());
    }

    /** Emits the watermark each side's context reports. */
    static final class WatermarkSeen extends KeyedBroadcastProcessFunction<String, String, Rule, String>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(final String value, final ReadOnlyContext<String, String> ctx, final Collector<String> out)
        {
            out.collect("keyed@" + ctx.timerService().currentWatermark());
        }

        @Override
        public void processBroadcastElement(final Rule rule, final Context ctx, final Collector<String> out)
        {
            out.collect("broadcast@" + ctx.currentWatermark());
        }
    }

    @Test
    void aBroadcastStateTheStreamDidNotDeclareIsRefused() throws Exception
    {
        final var h = TwoInputOperatorHarness.forOperator(new BroadcastProcessOperator<>(new Tag(), List.of()));
        final OperatorException e = assertThrows(OperatorException.class, () -> h.processElement2(new Rule("min", 3), 1));
        assertEquals("no broadcast state 'thresholds': the broadcast stream declares []", e.getCause().getMessage());
    }

    @Test
    void theNonKeyedSideReadsTheBroadcastStateAndItIsInTheSnapshot() throws Exception
    {
        final var h = TwoInputOperatorHarness.forOperator(new BroadcastProcessOperator<>(new Tag(), List.of(THRESHOLDS)));
        h.processElement1("x:1", 1);
        h.processElement2(new Rule("min", 7), 2);
        h.processElement1("y:1", 3);
        assertEquals(List.of("x:1/null", "y:1/7"), h.takeOutput());
        final var restored = TwoInputOperatorHarness.forOperator(new BroadcastProcessOperator<>(new Tag(), List.of(THRESHOLDS)));
        restored.restore(h.snapshot());
        restored.processElement1("z:1", 4);
        assertEquals(List.of("z:1/7"), restored.takeOutput());
    }
}
