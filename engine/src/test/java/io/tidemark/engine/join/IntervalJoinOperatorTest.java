package io.tidemark.engine.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemark.engine.functions.Collector;
import io.tidemark.engine.functions.OutputTag;
import io.tidemark.engine.functions.ProcessJoinFunction;
import io.tidemark.engine.join.IntervalJoinProperties.Event;
import io.tidemark.engine.join.IntervalJoinProperties.Pairs;
import io.tidemark.engine.operator.OperatorException;
import io.tidemark.engine.testing.TwoInputOperatorHarness;
import io.tidemark.engine.time.Watermark;
import io.tidemark.engine.window.LateDataPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntervalJoinOperatorTest
{
    private static final OutputTag<Event> LATE_LEFT = new OutputTag<>("late-left");

    @Test
    void boundsAreInclusiveAndEachSideIsCleanedWhenTheWatermarkPassesWhatCanStillMatchIt() throws Exception
    {
        final var h = IntervalJoinProperties.harness(-5, 10);
        final IntervalJoinOperator<?, ?, ?, ?> operator = (IntervalJoinOperator<?, ?, ?, ?>)h.operator();
        h.processElement1(new Event(1, 100, 0), 100);
        h.processElement2(new Event(1, 95, 1), 95);
        h.processElement2(new Event(1, 110, 2), 110);
        h.processElement2(new Event(1, 111, 3), 111);
        h.processElement2(new Event(2, 100, 4), 100);
        assertEquals(List.of("0-1@100", "0-2@110"), h.takeOutput(), "95 and 110 are on the bounds; 111 is out, key 2 another key");
        h.processWatermark(109);
        h.processElement2(new Event(1, 110, 5), 110);
        assertEquals(List.of("0-5@110"), h.takeOutput(), "the left record waits until the watermark passes 100 + 10");
        h.processWatermark(Long.MAX_VALUE - 1);
        assertEquals(0, operator.bufferedEntries());
    }

    @Test
    void lateRecordsGoToTheirSidesPolicyAndAreCounted() throws Exception
    {
        final var h = TwoInputOperatorHarness.forKeyedOperator(
            new IntervalJoinOperator<Integer, Event, Event, String>(0, 10, LateDataPolicy.sideOutput(LATE_LEFT), LateDataPolicy.drop(), new Pairs()), Event::key, Event::key);
        h.processElement2(new Event(1, 60, 0), 60);
        h.processWatermark(50);
        h.processElement1(new Event(1, 50, 1), 50);
        h.processElement2(new Event(1, 40, 2), 40);
        assertEquals(List.of(), h.takeOutput(), "a record at the watermark is late, not joined");
        assertEquals(List.of(new Event(1, 50, 1)), h.sideOutput(LATE_LEFT));
        assertEquals(1, h.metrics().lateRecordsToSideOutput());
        assertEquals(1, h.metrics().lateRecordsDropped());
    }

    @Test
    void stateAndTimersSurviveASnapshotAndRestore() throws Exception
    {
        final var first = IntervalJoinProperties.harness(0, 10);
        first.processElement1(new Event(7, 100, 0), 100);
        first.processWatermark(90);
        final byte[] snapshot = first.snapshot();
        final var restored = IntervalJoinProperties.harness(0, 10);
        restored.restore(snapshot);
        restored.processElement2(new Event(7, 105, 1), 105);
        assertEquals(List.of("0-1@105"), restored.takeOutput());
        restored.processWatermark(200);
        assertEquals(0, ((IntervalJoinOperator<?, ?, ?, ?>)restored.operator()).bufferedEntries(), "the restored cleanup timers fired");
    }

    @Test
    void aRecordBehindTheRestoredWatermarkIsLateEvenAfterALowerWatermark() throws Exception
    {
        final var first = IntervalJoinProperties.harness(0, 10);
        first.processWatermark(90);
        final var restored = IntervalJoinProperties.harness(0, 10);
        restored.restore(first.snapshot());
        restored.processWatermark(50);
        assertEquals(List.of(), restored.watermarks(), "behind the restored watermark: neither taken nor forwarded");
        restored.processElement1(new Event(7, 60, 0), 60);
        assertEquals(1, restored.metrics().lateRecordsDropped(), "60 is behind 90");
        assertEquals(0, ((IntervalJoinOperator<?, ?, ?, ?>)restored.operator()).bufferedEntries());
    }

    @Test
    void anUnboundedLowerBoundWalksTheBufferInsteadOfProbingEveryTimestamp() throws Exception
    {
        final var h = IntervalJoinProperties.harness(Long.MIN_VALUE, 0);
        h.processElement2(new Event(1, 50, 1), 50);
        h.processElement2(new Event(1, 150, 2), 150);
        assertTimeoutPreemptively(Duration.ofSeconds(3), () -> h.processElement1(new Event(1, 100, 0), 100));
        assertEquals(List.of("0-1@100"), h.takeOutput(), "any right record at or before the left one matches; 150 is after it");
        h.processElement1(new Event(1, 200, 3), 200);
        assertEquals(List.of("3-1@200", "3-2@200"), h.takeOutput().stream().sorted().toList());
    }

    @Test
    void aTimestampNearTheEndOfTimeIsJoinedAndItsBucketCleanedAtTheEnd() throws Exception
    {
        final var h = IntervalJoinProperties.harness(-10, 10);
        final IntervalJoinOperator<?, ?, ?, ?> operator = (IntervalJoinOperator<?, ?, ?, ?>)h.operator();
        assertTimeoutPreemptively(Duration.ofSeconds(3), () -> h.processElement1(new Event(1, Long.MAX_VALUE - 5, 0), Long.MAX_VALUE - 5));
        assertTimeoutPreemptively(Duration.ofSeconds(3), () -> h.processElement2(new Event(1, Long.MAX_VALUE - 3, 1), Long.MAX_VALUE - 3));
        assertEquals(List.of("0-1@" + (Long.MAX_VALUE - 3)), h.takeOutput());
        h.processWatermark(Long.MAX_VALUE);
        assertEquals(0, operator.bufferedEntries(), "both cleanups are held at the end of time and remove their own buckets");
    }

    @Test
    void aCleanupHeldAtTheEndOfTimeRemovesItsOwnBucket() throws Exception
    {
        final var h = IntervalJoinProperties.harness(-100, 100);
        final IntervalJoinOperator<?, ?, ?, ?> operator = (IntervalJoinOperator<?, ?, ?, ?>)h.operator();
        h.processElement1(new Event(1, Long.MAX_VALUE - 50, 0), Long.MAX_VALUE - 50);
        h.processElement2(new Event(1, Long.MAX_VALUE - 60, 1), Long.MAX_VALUE - 60);
        assertEquals(List.of("0-1@" + (Long.MAX_VALUE - 50)), h.takeOutput());
        h.processWatermark(Long.MAX_VALUE);
        assertEquals(0, operator.bufferedEntries(), "cleanup at MAX - 50 + 100 and MAX - 60 + 100 are both held at MAX");
    }

    @Test
    void aRecordThatIsItselfAListIsOneRecordOfItsBucket() throws Exception
    {
        final var h = TwoInputOperatorHarness.forKeyedOperator(
            new IntervalJoinOperator<Integer, List<Integer>, Integer, String>(0, 0, LateDataPolicy.drop(), LateDataPolicy.drop(), new ListPairs()),
            list -> list.get(0), right -> right);
        h.processElement1(new ArrayList<>(List.of(1, 2)), 100);
        h.processElement2(1, 100);
        assertEquals(List.of("[1, 2]-1"), h.takeOutput(), "a bucket of one record that is a list is not taken for a bucket of its elements");
        h.processElement1(new ArrayList<>(List.of(1, 3)), 100);
        assertEquals(List.of("[1, 3]-1"), h.takeOutput());
        h.processElement2(1, 100);
        assertEquals(List.of("[1, 2]-1", "[1, 3]-1"), h.takeOutput(), "the second record of the timestamp joins the first, in arrival order");
        final var restored = TwoInputOperatorHarness.forKeyedOperator(
            new IntervalJoinOperator<Integer, List<Integer>, Integer, String>(0, 0, LateDataPolicy.drop(), LateDataPolicy.drop(), new ListPairs()),
            list -> list.get(0), right -> right);
        restored.restore(h.snapshot());
        restored.processElement2(1, 100);
        assertEquals(List.of("[1, 2]-1", "[1, 3]-1"), restored.takeOutput(), "both records of the bucket survive a snapshot");
    }

    /** Emits "left-right". */
    static final class ListPairs extends ProcessJoinFunction<List<Integer>, Integer, String>
    {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(final List<Integer> left, final Integer right, final Context ctx, final Collector<String> out)
        {
            out.collect(left + "-" + right);
        }
    }

    @Test
    void aRecordWithoutTimestampFailsTheJobInsteadOfBeingDroppedAsLate() throws Exception
    {
        final var h = IntervalJoinProperties.harness(-5, 5);
        final IntervalJoinOperator<?, ?, ?, ?> operator = (IntervalJoinOperator<?, ?, ?, ?>)h.operator();
        h.processElement2(new Event(1, 0, 1), 0);
        final OperatorException left = assertThrows(OperatorException.class, () -> h.processElement1(new Event(1, 0, 2), Watermark.NONE));
        final OperatorException right = assertThrows(OperatorException.class, () -> h.processElement2(new Event(1, 0, 3), Watermark.NONE));
        for (final OperatorException e : List.of(left, right))
        {
            assertTrue(e.getCause().getMessage().contains("interval join needs records with timestamps: assign them with a WatermarkStrategy"),
                e.getCause().getMessage());
        }
        assertEquals(0, h.metrics().lateRecordsDropped(), "not counted as late and dropped");
        assertEquals(List.of(), h.takeOutput());
        assertEquals(2, operator.bufferedEntries(), "the record before is still buffered with its cleanup timer");
    }

    @Test
    void crossedBoundsAndLateUpdatesAreRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new IntervalJoinOperator<Integer, Event, Event, String>(5, 4, LateDataPolicy.drop(), LateDataPolicy.drop(), new Pairs()));
        assertThrows(IllegalArgumentException.class, () -> new IntervalJoinOperator<Integer, Event, Event, String>(0, 4,
            LateDataPolicy.lateUpdate(Duration.ofSeconds(1)), LateDataPolicy.drop(), new Pairs()));
    }
}
