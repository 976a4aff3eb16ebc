package io.tidemark.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RunFiguresTest
{
    @Test
    void aThroughputLineCarriesEveryFieldTheComparisonScriptReads()
    {
        final String line = RunFigures.throughput(RunFigures.MEASURED, "tidemark", "W1", 2_000_000, 500_000_000L, 2_000_000, 3, 40);
        assertTrue(line.startsWith("RESULT tidemark W1 "), line);
        final Map<String, String> fields = fields(line);
        assertEquals("4000000", fields.get("eventsPerSecond"));
        assertEquals("3", fields.get("gcCount"));
        assertEquals("40", fields.get("gcMillis"));
        assertEquals("2000000", fields.get("checksum"));
        assertTrue(Long.parseLong(fields.get("peakRssBytes")) > 0, "this JVM's VmHWM");
    }

    @Test
    void aLatencyLineCarriesThePercentilesAndTheRateAchieved()
    {
        final Map<String, String> fields = fields(RunFigures.latency("flink", "0", 6_000_000, 199_876.4, 9_000, 40_000, 900_000, 3_000_000, 5, 60));
        assertEquals("199876", fields.get("eventsPerSecond"));
        assertEquals("9000", fields.get("p50Nanos"));
        assertEquals("40000", fields.get("p99Nanos"));
        assertEquals("900000", fields.get("p999Nanos"));
        assertEquals("0", fields.get("timeout"));
    }

    @Test
    void writersLatenciesAddUpToTheJobsWithTheRateOfTheirCreationTimes()
    {
        final Latencies total = new Latencies();
        final Latencies first = new Latencies();
        final Latencies second = new Latencies();
        // 1,001 events created 1 ms apart over both writers: 1,000 intervals in a second.
        for (int i = 0; i <= 1_000; i++)
        {
            (i % 2 == 0 ? first : second).record(1_000_000_000L + i * 1_000_000L, 10_000 + i);
        }
        first.addTo(total);
        second.addTo(total);
        second.addTo(total);
        assertEquals(1_001, total.histogram().getTotalCount(), "a writer that adds twice adds nothing the second time");
        assertEquals(1_001, total.ratePerSecond(), 0.5);
        final Map<String, String> fields = fields(total.resultLine("tidemark", "0", 1, 2));
        assertEquals("1001", fields.get("events"));
        assertEquals(10_500, Long.parseLong(fields.get("p50Nanos")), 10);
    }

    @Test
    void aRunIsTimedFromItsFirstEventWithinTheCall()
    {
        final long before = System.nanoTime();
        final ThroughputWorkload.Result result = ThroughputWorkload.W1.run(200_000);
        final long call = System.nanoTime() - before;
        assertEquals(200_000, result.checksum());
        assertTrue(result.nanos() > 0 && result.nanos() <= call, result.nanos() + " ns of a call of " + call + " ns");
    }

    private static Map<String, String> fields(final String line)
    {
        final Map<String, String> fields = new HashMap<>();
        for (final String word : line.split(" "))
        {
            final int equals = word.indexOf('=');
            if (equals > 0)
            {
                fields.put(word.substring(0, equals), word.substring(equals + 1));
            }
        }
        return fields;
    }
}
