package io.tidemark.bench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeasurementsTest
{
    @TempDir
    Path dir;

    @Test
    void medianIsTheMiddleSampleOfAnOddCount()
    {
        final Measurements measurements = new Measurements();
        for (final double sample : new double[] {5, 1, 4, 2, 3})
        {
            measurements.add("L1.records_per_s", sample);
        }
        assertEquals(3, measurements.median("L1.records_per_s"));
        assertEquals(5, measurements.count("L1.records_per_s"));
    }

    @Test
    void medianIsTheMeanOfTheTwoMiddleSamplesOfAnEvenCount()
    {
        final Measurements measurements = new Measurements();
        for (final double sample : new double[] {10, 1, 4, 2})
        {
            measurements.add("L4.p99_ms", sample);
        }
        assertEquals(3, measurements.median("L4.p99_ms"));
    }

    @Test
    void aMetricNeverMeasuredHasNoMedianAndNoSamples()
    {
        final Measurements measurements = new Measurements();
        assertTrue(Double.isNaN(measurements.median("L2.records_per_s")));
        assertEquals(0, measurements.count("L2.records_per_s"));
    }

    @Test
    void samplesAppendedToAFileReadBackInTheOrderFirstMeasured() throws IOException
    {
        final Path file = dir.resolve("run.txt");
        Files.writeString(file, "# a comment, then a blank line\n\n");
        Measurements.append(file, "L1.records_per_s", 600_000.5);
        Measurements.append(file, "L3.records_per_s", 2_000_000);
        Measurements.append(file, "L1.records_per_s", 700_000.5);

        final Measurements read = Measurements.read(file);
        assertEquals(List.of("L1.records_per_s", "L3.records_per_s"), read.metrics());
        assertEquals(650_000.5, read.median("L1.records_per_s"));
        assertEquals(2_000_000, read.median("L3.records_per_s"));
    }

    @Test
    void aMalformedLineIsRejectedWithItsFileAndLineNumber() throws IOException
    {
        final Path file = dir.resolve("bad.txt");
        Files.writeString(file, "L1.records_per_s 1.0\nL3.records_per_s fast\n");
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Measurements.read(file));
        assertTrue(e.getMessage().contains("bad.txt:2"), e.getMessage());

        Files.writeString(file, "L1.records_per_s 1.0 2.0\n");
        assertThrows(IllegalArgumentException.class, () -> Measurements.read(file));
    }

    @Test
    void aMetricNameWithSpacesOrNoCharactersIsRejected()
    {
        final Measurements measurements = new Measurements();
        assertThrows(IllegalArgumentException.class, () -> measurements.add("L1 records", 1));
        assertThrows(IllegalArgumentException.class, () -> measurements.add("", 1));
        assertThrows(IllegalArgumentException.class, () -> Measurements.append(dir.resolve("x.txt"), "a b", 1));
    }
}
