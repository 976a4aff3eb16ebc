package io.tidemark.bench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KcatWorkloadTest
{
    @Test
    void theRecordFileHasOneLineOfTheRecordValuePerRecord(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("records.txt");
        KcatWorkload.writeRecordFile(file, 1_234);

        final List<String> lines = Files.readAllLines(file);
        assertEquals(1_234, lines.size());
        assertEquals(1_234L * (ClientSettings.RECORD_BYTES + 1), Files.size(file));
        final String value = new String(ClientSettings.recordValue(), StandardCharsets.US_ASCII);
        assertEquals(List.of(value), lines.stream().distinct().toList());
    }

    @Test
    void theChildrensCpuTimeIsReadFromTheShellsTimes(@TempDir final Path dir) throws IOException
    {
        final Path times = dir.resolve("times");
        Files.writeString(times, "0m0.010000s 0m0.020000s\n1m2.500000s 0m0.250000s\n");
        assertEquals(62_750_000_000L, KcatWorkload.childCpuNanos(times));

        Files.writeString(times, "0m0.010000s 0m0.020000s\n");
        assertThrows(IllegalStateException.class, () -> KcatWorkload.childCpuNanos(times));
        Files.writeString(times, "0m0.010000s 0m0.020000s\n1.5 0m0.25s\n");
        assertThrows(IllegalStateException.class, () -> KcatWorkload.childCpuNanos(times));
    }

    @Test
    void aTimedCommandKeepsItsExitStatusAndReportsTheCpuItUsed(@TempDir final Path dir) throws Exception
    {
        final Path times = dir.resolve("times");
        final Process busy = KcatWorkload.timed(times, List.of("sh", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done")).start();
        assertEquals(0, busy.waitFor());
        assertTrue(KcatWorkload.childCpuNanos(times) > 0, Files.readString(times));

        final Process failing = KcatWorkload.timed(times, List.of("sh", "-c", "exit 3")).start();
        assertEquals(3, failing.waitFor());
    }
}
