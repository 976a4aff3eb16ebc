package io.tidemark.runtime.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appends that roll a segment wait for the disk and go to the I/O threads; the others run on
 * the event loop. A producer whose requests switch between the two keeps its order, and
 * nothing is lost or doubled.
 */
class RollingAppendsTest
{
    @TempDir
    Path dataDir;

    @Test
    void aProducerKeepsItsOrderWhileItsAppendsRollSegments() throws Exception
    {
        final int records = 3_000;
        try (TestServer server = TestServer.start(dataDir, Map.of("log.segment.bytes", "16384", "num.partitions", "1")))
        {
            final List<Future<RecordMetadata>> sent = new ArrayList<>();
            try (KafkaProducer<byte[], byte[]> producer = KafkaClientsTest.producer(server,
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 0, ProducerConfig.BATCH_SIZE_CONFIG, 2048)))
            {
                for (int i = 0; i < records; i++)
                {
                    sent.add(producer.send(new ProducerRecord<>("rolling", ("value-" + i + "-" + "x".repeat(80)).getBytes(StandardCharsets.UTF_8))));
                }
                producer.flush();
                for (int i = 0; i < records; i++)
                {
                    assertEquals(i, sent.get(i).get().offset(), "offsets follow the order of sending");
                }
            }
            final int segments = (int)java.nio.file.Files.list(dataDir.resolve("topics").resolve("rolling").resolve("0"))
                .filter(file -> file.toString().endsWith(".log")).count();
            assertTrue(segments > 10, "the appends rolled the log many times: " + segments + " segments");

            try (KafkaConsumer<byte[], byte[]> consumer = KafkaClientsTest.consumer(server))
            {
                consumer.assign(KafkaClientsTest.partitions("rolling", 1));
                final List<ConsumerRecord<byte[], byte[]>> read = KafkaClientsTest.pollAll(consumer, records);
                assertEquals(records, read.size());
                for (int i = 0; i < records; i++)
                {
                    assertEquals(i, read.get(i).offset());
                    assertTrue(new String(read.get(i).value(), StandardCharsets.UTF_8).startsWith("value-" + i + "-"));
                }
            }
        }
    }
}
