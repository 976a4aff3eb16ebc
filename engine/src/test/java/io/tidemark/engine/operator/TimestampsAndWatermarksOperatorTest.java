package io.tidemark.engine.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemark.engine.testing.OneInputOperatorHarness;
import io.tidemark.engine.time.Watermark;
import io.tidemark.engine.time.WatermarkStrategy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimestampsAndWatermarksOperatorTest
{
    @Test
    void assignsTimestampsEmitsPeriodicallyAndReplacesUpstreamWatermarks() throws Exception
    {
        final var h = OneInputOperatorHarness.forOperator(new TimestampsAndWatermarksOperator<>(
            WatermarkStrategy.<Long>forBoundedOutOfOrderness(Duration.ofMillis(100)).withTimestampAssigner((x, ts) -> x)
                .withIdleness(Duration.ofSeconds(5)), 200));
        h.processElement(1_000L, Watermark.NONE);
        h.processElement(900L, Watermark.NONE);
        h.processWatermark(50_000);
        assertEquals(List.of(), h.watermarks(), "upstream watermarks are replaced, and nothing is due before 200 ms");
        h.setProcessingTime(200);
        assertEquals(List.of(899L), h.watermarks());
        assertEquals(List.of(1_000L, 900L), h.emitted().stream().filter(e -> e.kind().equals("RECORD")).map(OneInputOperatorHarness.Emitted::timestamp).toList(),
            "records carry the assigned timestamps");
        h.setProcessingTime(5_400);
        h.setProcessingTime(5_600);
        assertEquals(List.of(true), h.emitted().stream().filter(e -> e.kind().equals("IDLE")).map(OneInputOperatorHarness.Emitted::value).toList());
        h.processWatermark(Watermark.END);
        assertEquals(List.of(899L, Watermark.END), h.watermarks(), "end of input still passes");
    }
}
