package io.tidemark.bench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ComparisonTest
{
    @Test
    void aThroughputTargetIsMetAtOrAboveItsRatio()
    {
        assertEquals("yes", new Comparison.Row("L1.records_per_s", 700_000, 665_000, 3).targetMet());
        assertEquals("no", new Comparison.Row("L1.records_per_s", 600_000, 665_000, 3).targetMet());
        assertEquals("yes", new Comparison.Row("kcat-L1.records_per_s", 3_000_000, 2_000_000, 3).targetMet());
        assertEquals("no", new Comparison.Row("kcat-L1.records_per_s", 2_900_000, 2_000_000, 3).targetMet());
    }

    @Test
    void aLatencyTargetIsMetAtOrBelowItsRatio()
    {
        assertEquals("yes", new Comparison.Row("L4.p99_ms", 0.75, 2.6, 3).targetMet());
        assertEquals("no", new Comparison.Row("L4.p99_ms", 0.8, 2.6, 3).targetMet());
        assertEquals("yes", new Comparison.Row("kcat-L3.broker_cpu_ns_per_record", 250, 1_000, 3).targetMet());
        assertEquals("no", new Comparison.Row("L1.broker_cpu_ns_per_record", 260, 1_000, 3).targetMet());
    }

    @Test
    void throughputsAreBetterHigherLatenciesAndCostsLower()
    {
        assertTrue(new Comparison.Row("L3.mb_per_s", 1, 1, 1).higherIsBetter());
        assertFalse(new Comparison.Row("L4.p99.9_ms", 1, 1, 1).higherIsBetter());
        assertFalse(new Comparison.Row("L1.broker_cpu_ns_per_record", 1, 1, 1).higherIsBetter());
    }

    @Test
    void aMetricWithoutTargetOrWithAMissingSideHasNoVerdict()
    {
        assertEquals("", new Comparison.Row("L1.mb_per_s", 70, 66, 3).targetMet());
        assertEquals("", new Comparison.Row("L1.records_per_s", 700_000, Double.NaN, 0).targetMet());
        assertTrue(Double.isNaN(new Comparison.Row("L1.records_per_s", 1, 0, 1).ratio()));
    }

    @Test
    void rowsPairMediansInTidemarksOrderThenKafkasOnlyMetrics()
    {
        final Measurements tidemark = new Measurements();
        tidemark.add("L1.records_per_s", 800_000);
        tidemark.add("L1.records_per_s", 600_000);
        tidemark.add("L1.records_per_s", 700_000);
        tidemark.add("L4.p99_ms", 1.0);
        final Measurements kafka = new Measurements();
        kafka.add("L4.p99_ms", 2.5);
        kafka.add("L1.records_per_s", 350_000);
        kafka.add("L3.records_per_s", 2_480_000);

        final List<Comparison.Row> rows = Comparison.rows(tidemark, kafka);

        assertEquals(List.of("L1.records_per_s", "L4.p99_ms", "L3.records_per_s"), rows.stream().map(Comparison.Row::metric).toList());
        assertEquals(2.0, rows.get(0).ratio());
        assertEquals(1, rows.get(0).samples());
        assertEquals(0.4, rows.get(1).ratio());
        assertTrue(Double.isNaN(rows.get(2).tidemark()));
    }

    @Test
    void theTableShowsBothFiguresTheRatioAndTheVerdict()
    {
        final String table = Comparison.table(List.of(
            new Comparison.Row("L1.records_per_s", 700_000, 665_000, 3),
            new Comparison.Row("L4.p99_ms", 1.0, 2.6, 3),
            new Comparison.Row("L3.records_per_s", Double.NaN, 2_480_000, 0)));

        assertTrue(table.contains("| L1.records_per_s | 700 k | 665 k | 1.05 | >= 1.0 | yes | 3 |"), table);
        assertTrue(table.contains("| L4.p99_ms | 1.00 | 2.60 | 0.38 | <= 0.3 | no | 3 |"), table);
        assertTrue(table.contains("| L3.records_per_s | - | 2.48 M | - | >= 1.0 |  | 0 |"), table);
    }

    @Test
    void figuresKeepThreeSignificantDigits()
    {
        assertEquals("2.48 M", Comparison.figure(2_480_000));
        assertEquals("665 k", Comparison.figure(665_123));
        assertEquals("66.5", Comparison.figure(66.51));
        assertEquals("0.44", Comparison.figure(0.4412));
        assertEquals("-", Comparison.figure(Double.NaN));
    }
}
