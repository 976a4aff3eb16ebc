package io.tidemark.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.functions.MapFunction;
import io.tidemark.engine.functions.ReduceFunction;
import io.tidemark.engine.sink.CollectSink;
import io.tidemark.engine.window.GlobalWindows;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every parallel subtask runs its own copy of a user function, as in Flink. */
class FunctionCopiesTest
{
    /** Numbers the records it sees: a field, which only works if no other subtask shares it. */
    private static final class Numbering implements MapFunction<Long, Long>
    {
        private static final long serialVersionUID = 1L;
        private long seen;

        @Override
        public Long map(final Long value)
        {
            return ++seen;
        }
    }

    @Test
    void eachSubtaskCountsWithItsOwnCopyOfAStatefulFunction()
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
        final List<Long> numbers = new ArrayList<>();
        for (long i = 0; i < 1_000; i++)
        {
            numbers.add(i);
        }
        final CollectSink<Long> sink = new CollectSink<>();
        env.fromCollection(numbers).rebalance().map(new Numbering()).sinkTo(sink);
        env.execute("copies");

        final List<Long> expected = new ArrayList<>();
        for (long n = 1; n <= 500; n++)
        {
            expected.add(n);
            expected.add(n);
        }
        assertEquals(expected, sink.results().stream().sorted().toList(), "two copies, each numbering its 500 records from 1");
    }

    @Test
    void aFunctionThatCapturesSomethingUnserializableIsRefusedWhereItIsWritten()
    {
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        final Thread unserializable = Thread.currentThread();
        final IllegalArgumentException map = assertThrows(IllegalArgumentException.class,
            () -> env.fromElements(1L, 2L).map(x -> x + unserializable.getId()));
        assertTrue(map.getMessage().startsWith("the map function ") && map.getMessage().contains("java.lang.Thread, which is not Serializable"), map.getMessage());

        final IllegalArgumentException reduce = assertThrows(IllegalArgumentException.class,
            () -> env.fromElements(1L, 2L).keyBy(x -> x).window(GlobalWindows.create()).reduce((ReduceFunction<Long>)(a, b) -> a + b + unserializable.getId()));
        assertTrue(reduce.getMessage().startsWith("the reduce function "), reduce.getMessage());
    }
}
