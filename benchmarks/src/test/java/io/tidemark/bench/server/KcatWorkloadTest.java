package io.tidemark.bench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
