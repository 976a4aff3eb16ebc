package io.tidemark.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tidemark.log.record.Record;
import io.tidemark.log.record.RecordBatchBuilder;
import io.tidemark.log.record.RecordBatchCursor;
import io.tidemark.log.consumer.Consumer;
import io.tidemark.log.consumer.ConsumerConfig;
import io.tidemark.log.consumer.ConsumerRecord;
import io.tidemark.log.consumer.OffsetReset;
import io.tidemark.log.group.GroupConfig;
import io.tidemark.log.group.GroupCoordinator;
import io.tidemark.log.producer.Producer;
import io.tidemark.log.producer.ProducerConfig;
import io.tidemark.log.producer.ProducerRecord;
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

    @Test
    void theGroupsExampleRuns()
    {
        final List<String> printed = new ArrayList<>();
        // --- README groups example begins
        try (LogManager logs = LogManager.open(dataDir, LogConfig.DEFAULTS);
             GroupCoordinator groups = new GroupCoordinator(logs, GroupConfig.defaults().withInitialRebalanceDelay(0)))
        {
            logs.createTopic("page_views", 3, Map.of());
            try (Producer producer = new Producer(logs, ProducerConfig.defaults()))
            {
                producer.send(new ProducerRecord("page_views", "user-1".getBytes(UTF_8), "/home".getBytes(UTF_8))).join();
            }
            ConsumerConfig config = ConsumerConfig.defaults().withGroup("dashboard", "dashboard-1")
                .withAutoOffsetReset(OffsetReset.EARLIEST);
            try (Consumer consumer = new Consumer(logs, groups, config))
            {
                consumer.subscribe(List.of("page_views"));
                for (ConsumerRecord record : consumer.poll(Duration.ofSeconds(5)))
                {
                    printed.add(record.topicPartition() + "@" + record.offset() + " " + new String(record.value(), UTF_8));
                }
                consumer.commitSync();
            }
            System.out.println(groups.lag("dashboard"));   // {page_views-0=0, page_views-1=0, page_views-2=0}
            // --- README groups example ends
            assertEquals(1, printed.size());
            assertEquals(3, groups.lag("dashboard").size());
            assertEquals(0L, groups.lag("dashboard").values().stream().mapToLong(Long::longValue).sum());
        }
    }
}
