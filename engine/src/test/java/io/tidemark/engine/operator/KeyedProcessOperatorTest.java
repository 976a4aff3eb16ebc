package io.tidemark.engine.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.KeyedProcessFunction;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.state.LongRowState;
import io.tidemark.engine.state.LongRowStateDescriptor;
import io.tidemark.engine.state.ValueState;
import io.tidemark.engine.state.ValueStateDescriptor;
import io.tidemark.engine.testing.OneInputOperatorHarness;
import io.tidemark.engine.time.Watermark;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyedProcessOperatorTest
{
    /** Emits a key's total once its sums go quiet for 10 ms of event time; flags big values. */
    static final class QuietSum extends KeyedProcessFunction<String, String, String>
    {
        static final OutputTag<String> BIG = new OutputTag<>("big");
        private final ValueStateDescriptor<Long> sum = new ValueStateDescriptor<>("sum");
        private final ValueStateDescriptor<Long> deadline = new ValueStateDescriptor<>("deadline");

        @Override
        public void processElement(final String value, final Context<String, String> ctx, final Collector<String> out)
        {
            final long amount = Long.parseLong(value.substring(2));
            if (amount >= 100)
            {
                ctx.output(BIG, value);
            }
            final ValueState<Long> total = ctx.getState(sum);
            total.update(total.value() == null ? amount : total.value() + amount);
            final ValueState<Long> due = ctx.getState(deadline);
            if (due.value() != null)
            {
                ctx.timerService().deleteEventTimeTimer(due.value());
            }
            due.update(ctx.timestamp() + 10);
            ctx.timerService().registerEventTimeTimer(ctx.timestamp() + 10);
        }

        @Override
        public void onTimer(final long timestamp, final Context<String, String> ctx, final Collector<String> out)
        {
            out.collect(ctx.getCurrentKey() + "=" + ctx.getState(sum).value() + "@" + timestamp);
            ctx.getState(sum).clear();
            ctx.getState(deadline).clear();
        }
    }

    /** Counts a key's records in the state named by the record's digit, of five; emits all five counts. */
    static final class FiveCounts extends KeyedProcessFunction<String, String, String>
    {
        private final List<ValueStateDescriptor<Integer>> counts = List.of(new ValueStateDescriptor<>("c0"), new ValueStateDescriptor<>("c1"),
            new ValueStateDescriptor<>("c2"), new ValueStateDescriptor<>("c3"), new ValueStateDescriptor<>("c4"));

        @Override
        public void processElement(final String value, final Context<String, String> ctx, final Collector<String> out)
        {
            final ValueState<Integer> count = ctx.getState(counts.get(value.charAt(2) - '0'));
            count.update(count.value() == null ? 1 : count.value() + 1);
            final StringBuilder all = new StringBuilder(ctx.getCurrentKey()).append(':');
            for (final ValueStateDescriptor<Integer> descriptor : counts)
            {
                final Integer held = ctx.getState(descriptor).value();
                all.append(held == null ? 0 : held);
            }
            out.collect(all.toString());
        }
    }

    @Test
    void aFunctionWithManyStatesGetsEachByItsOwnDescriptor() throws Exception
    {
        final var h = OneInputOperatorHarness.forKeyedOperator(new KeyedProcessOperator<>(new FiveCounts()), v -> v.substring(0, 1));
        for (final String record : List.of("a:4", "a:0", "b:2", "a:4", "a:3", "b:1", "a:1", "b:2", "a:2"))
        {
            h.processElement(record, 0);
        }
        assertEquals(List.of("a:00001", "a:10001", "b:00100", "a:10002", "a:10012", "b:01100", "a:11012", "b:01200", "a:11112"), h.takeOutput());
    }

    /** Counts a key's records in a state named by a new descriptor on every record, as a function may. */
    static final class NewDescriptorEachTime extends KeyedProcessFunction<String, String, String>
    {
        @Override
        public void processElement(final String value, final Context<String, String> ctx, final Collector<String> out)
        {
            final ValueState<Integer> count = ctx.getState(new ValueStateDescriptor<>("count"));
            count.update(count.value() == null ? 1 : count.value() + 1);
            out.collect(ctx.getCurrentKey() + count.value());
        }
    }

    @Test
    void aNewDescriptorForAKnownStateTakesItsSlotInsteadOfAddingOne() throws Exception
    {
        final KeyedProcessOperator<String, String, String> operator = new KeyedProcessOperator<>(new NewDescriptorEachTime());
        final var h = OneInputOperatorHarness.forKeyedOperator(operator, v -> v);
        for (int i = 0; i < 1_000; i++)
        {
            h.processElement(i % 2 == 0 ? "a" : "b", 0);
        }
        final List<String> output = h.takeOutput();
        assertEquals(List.of("a500", "b500"), output.subList(998, 1_000), "each record found its key's one count");
        assertEquals(1, operator.functionContext.statesKnown(), "1,000 descriptors of one state hold one slot, so a look-up stays short");
    }

    /** Keeps each key's count and sum of its records as a row of two longs; emits both on each record. */
    static final class CountAndSum extends KeyedProcessFunction<Long, Long, String>
    {
        private static final LongRowStateDescriptor ROW = new LongRowStateDescriptor("count-and-sum", 2);
        private final long[] row = new long[2];

        @Override
        public void processElement(final Long value, final Context<Long, String> ctx, final Collector<String> out)
        {
            final LongRowState state = ctx.getState(ROW);
            if (!state.get(row))
            {
                row[0] = 0;
                row[1] = 0;
            }
            row[0]++;
            row[1] += value;
            state.put(row);
            out.collect(ctx.getCurrentKey() + ":" + row[0] + "/" + row[1]);
        }
    }

    @Test
    void aRowOfLongsSurvivesASnapshotPerKey() throws Exception
    {
        final var first = OneInputOperatorHarness.forKeyedOperator(new KeyedProcessOperator<>(new CountAndSum()), (Long v) -> v % 3);
        for (long v = 1; v <= 6; v++)
        {
            first.processElement(v, v);
        }
        assertEquals(List.of("1:1/1", "2:1/2", "0:1/3", "1:2/5", "2:2/7", "0:2/9"), first.takeOutput());
        final var restored = OneInputOperatorHarness.forKeyedOperator(new KeyedProcessOperator<>(new CountAndSum()), (Long v) -> v % 3);
        restored.restore(first.snapshot());
        restored.processElement(7L, 7);
        restored.processElement(9L, 9);
        assertEquals(List.of("1:3/12", "0:3/18"), restored.takeOutput(), "each key's row went on from the snapshot's");
    }

    private static OneInputOperatorHarness<String, String> harness() throws Exception
    {
        return OneInputOperatorHarness.forKeyedOperator(new KeyedProcessOperator<>(new QuietSum()), v -> v.substring(0, 1));
    }

    @Test
    void stateIsPerKeyAndTimersFireWhenTheWatermarkPassesThem() throws Exception
    {
        final var h = harness();
        h.processElement("a:1", 0);
        h.processElement("b:5", 3);
        h.processElement("a:2", 5);
        h.processWatermark(12);
        assertEquals(List.of(), h.takeOutput(), "nothing is due before 13");
        h.processWatermark(13);
        assertEquals(List.of("b=5@13"), h.takeOutput());
        h.processElement("a:200", 14);
        h.processWatermark(Long.MAX_VALUE);
        assertEquals(List.of("a=203@24"), h.takeOutput(), "a's first deadline (15) was replaced by 24");
        assertEquals(List.of("a:200"), h.sideOutput(QuietSum.BIG));
    }

    @Test
    void stateAndTimersSurviveASnapshot() throws Exception
    {
        final var first = harness();
        first.processElement("a:1", 0);
        first.processElement("a:2", 5);
        final byte[] snapshot = first.snapshot();
        final var restored = harness();
        restored.restore(snapshot);
        restored.processElement("a:4", 6);
        restored.processWatermark(Long.MAX_VALUE);
        assertEquals(List.of("a=7@16"), restored.takeOutput());
    }

    @Test
    void aWatermarkBehindTheRestoredOneIsNeitherTakenNorForwarded() throws Exception
    {
        final var first = harness();
        first.processElement("a:1", 0);
        first.processWatermark(10);
        assertEquals(List.of("a=1@10"), first.takeOutput());
        final var restored = harness();
        restored.restore(first.snapshot());
        restored.processWatermark(5);
        assertEquals(List.of(), restored.watermarks(), "the timers stood at 10 already");
        restored.processWatermark(10);
        restored.processWatermark(11);
        assertEquals(List.of(10L, 11L), restored.watermarks(), "the restored watermark itself goes on: downstream started afresh too");
        assertEquals(List.of(), restored.takeOutput(), "nothing fires twice");
    }

    @Test
    void anOperatorRestoredAtTheEndOfTimeStillForwardsTheEnd() throws Exception
    {
        final var first = harness();
        first.processElement("a:1", 0);
        first.processWatermark(Watermark.END);
        assertEquals(List.of("a=1@10"), first.takeOutput());
        final var restored = harness();
        restored.restore(first.snapshot());
        restored.processWatermark(Watermark.END);
        assertEquals(List.of(Watermark.END), restored.watermarks(), "a job resumed from a checkpoint taken at its end must still end");
        assertEquals(List.of(), restored.takeOutput());
    }
}
