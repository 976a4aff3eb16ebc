package io.tidemark.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tidemark.log.record.Record;
import io.tidemark.log.record.RecordBatchBuilder;
import io.tidemark.log.record.RecordBatchCursor;
import io.tidemark.log.topic.LogManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The log quick start of README.md, line for line, so that it stays true. */
class ReadmeQuickStartTest
{
    @TempDir
    Path dataDir;

    @Test
    void theQuickStartRuns() throws IOException
    {
        final List<String> printed = new ArrayList<>();
        // --- README quick start begins
        try (LogManager logs = LogManager.open(dataDir, LogConfig.DEFAULTS))
        {
            logs.createTopic("page_views", 3, Map.of(LogConfig.RETENTION_MS, "3600000"));
            PartitionLog log = logs.partition(new TopicPartition("page_views", 0));

            ByteBuffer buffer = ByteBuffer.allocate(1024);
            RecordBatchBuilder batch = new RecordBatchBuilder().begin(buffer, 0, buffer.capacity());
            batch.append(System.currentTimeMillis(), "user-1".getBytes(UTF_8), "/home".getBytes(UTF_8));
            batch.append(System.currentTimeMillis(), "user-2".getBytes(UTF_8), "/cart".getBytes(UTF_8));
            AppendResult appended = log.append(buffer.limit(batch.finish()));   // offsets 0 and 1

            LogSlice slice = log.read(appended.firstOffset(), 64 * 1024);
            RecordBatchCursor batches = new RecordBatchCursor().wrap(slice.buffer(), true);   // no copy
            while (batches.next())
            {
                Record record = batches.batch().records();
                while (record.next())
                {
                    printed.add(record.offset() + " " + new String(record.key(), UTF_8) + " " + new String(record.value(), UTF_8));
                }
            }
        }
        // --- README quick start ends
        assertEquals(List.of("0 user-1 /home", "1 user-2 /cart"), printed);
    }
}
