package io.tidemark.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import io.tidemark.log.consumer.Consumer;
import io.tidemark.log.consumer.ConsumerConfig;
import io.tidemark.log.consumer.ConsumerRecord;
import io.tidemark.log.consumer.OffsetReset;
import io.tidemark.log.errors.InvalidConfigurationException;
import io.tidemark.log.producer.Producer;
import io.tidemark.log.producer.ProducerConfig;
import io.tidemark.log.producer.ProducerRecord;
import io.tidemark.log.record.CompressionCodec;
import io.tidemark.log.record.Header;
import io.tidemark.log.record.KafkaOracle;
import io.tidemark.log.record.RecordBatchLayout;
import io.tidemark.log.record.UnsupportedCompressionException;
import io.tidemark.log.topic.LogManager;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.tidemark.log.record.KafkaOracle.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compressed batches through the whole log: the embedded producer's {@code compression.type},
 * read back by kafka-clients; batches a Kafka producer compressed, read by the embedded
 * consumer from any offset, found by timestamp, and after the log is opened again.
 */
class CompressedLogTest
{
    private static final String TOPIC = "compressed";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dataDir;

    private LogManager logs;

    @BeforeEach
    void open()
    {
        logs = LogManager.open(dataDir, LogConfig.DEFAULTS);
        logs.createTopic(TOPIC, 1, Map.of());
    }

    @AfterEach
    void close()
    {
        logs.close();
    }

    private static String value(final int i)
    {
        return "record " + i + ", which says again and again what it is about";
    }

    private static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private List<ConsumerRecord> consume(final long from, final int count)
    {
        final List<ConsumerRecord> all = new ArrayList<>();
        try (Consumer consumer = new Consumer(logs, ConsumerConfig.defaults().withAutoOffsetReset(OffsetReset.EARLIEST)))
        {
            consumer.assign(List.of(P0));
            consumer.seek(P0, from);
            final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (all.size() < count && System.nanoTime() < deadline)
            {
                all.addAll(consumer.poll(Duration.ofMillis(100)));
            }
        }
        return all;
    }

    @ParameterizedTest
    @EnumSource(CompressionCodec.class)
    void theProducerCompressesWithCompressionTypeAndKafkaReadsEveryRecord(final CompressionCodec codec) throws IOException
    {
        final int count = 2000;
        try (Producer producer = new Producer(logs, ProducerConfig.fromMap(Map.of("compression.type", codec.kafkaName(), "linger.ms", "20"))))
        {
            for (int i = 0; i < count; i++)
            {
                producer.send(new ProducerRecord(TOPIC, 0, T0 + i, i % 4 == 0 ? null : utf8("k" + i), i % 9 == 0 ? null : utf8(value(i)),
                    i % 2 == 0 ? new Header[] {Header.of("n", Integer.toString(i))} : null));
            }
            producer.flush();
        }

        final ByteBuffer stored = logs.partition(P0).read(0, 64 << 20).buffer();
        int i = 0;
        int batches = 0;
        for (final MutableRecordBatch batch : MemoryRecords.readableRecords(stored).batches())
        {
            batch.ensureValid();
            assertEquals(CompressionType.forId(codec.id()), batch.compressionType(), "batch at " + batch.baseOffset());
            for (final Record record : batch)
            {
                assertEquals(i, record.offset());
                assertEquals(T0 + i, record.timestamp());
                assertArrayEquals(i % 4 == 0 ? null : utf8("k" + i), bytes(record.key()));
                assertArrayEquals(i % 9 == 0 ? null : utf8(value(i)), bytes(record.value()));
                assertArrayEquals(i % 2 == 0 ? new org.apache.kafka.common.header.Header[] {new RecordHeader("n", utf8(Integer.toString(i)))}
                    : new org.apache.kafka.common.header.Header[0], record.headers());
                i++;
            }
            batches++;
        }
        assertEquals(count, i);
        assertTrue(batches > 1, "the records span several batches: " + batches);

        final List<ConsumerRecord> read = consume(0, count);
        assertEquals(count, read.size());
        for (int r = 0; r < count; r++)
        {
            assertEquals(r, read.get(r).offset());
            assertArrayEquals(r % 9 == 0 ? null : utf8(value(r)), read.get(r).value());
        }
    }

    /** Appends three batches of 100 records each, as a Kafka producer compresses them. */
    private void appendKafkaBatches(final Compression compression)
    {
        for (int b = 0; b < 3; b++)
        {
            final SimpleRecord[] records = new SimpleRecord[100];
            for (int r = 0; r < records.length; r++)
            {
                final int i = b * 100 + r;
                records[r] = new SimpleRecord(T0 + 10L * i, r % 3 == 0 ? null : utf8("k" + i), utf8(value(i)),
                    new org.apache.kafka.common.header.Header[] {new RecordHeader("h", utf8("x" + i))});
            }
            logs.partition(P0).append(MemoryRecords.withRecords(compression, records).buffer());
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionCodec.class)
    void theConsumerReadsKafkaCompressedBatchesFromAnyOffsetFindsThemByTimeAndAfterReopening(final CompressionCodec codec)
    {
        appendKafkaBatches(KafkaOracle.compression(codec));

        final List<ConsumerRecord> fromMidBatch = consume(150, 150);
        assertEquals(150, fromMidBatch.size());
        for (int r = 0; r < fromMidBatch.size(); r++)
        {
            final ConsumerRecord record = fromMidBatch.get(r);
            assertEquals(150 + r, record.offset(), "a position inside a compressed batch starts at that record");
            assertEquals(T0 + 10L * record.offset(), record.timestamp());
            assertArrayEquals(utf8(value(150 + r)), record.value());
            assertEquals(List.of(new Header("h", utf8("x" + (150 + r)))).toString(), record.headers().toString());
        }
        assertEquals(new TimestampOffset(T0 + 2300, 230), logs.partition(P0).offsetForTimestamp(T0 + 2295),
            "the first record at or after a time, inside a compressed batch");

        logs.close();
        logs = LogManager.open(dataDir, LogConfig.DEFAULTS);
        assertEquals(300, logs.partition(P0).logEndOffset(), "recovery keeps every compressed batch");
        final List<ConsumerRecord> all = consume(0, 300);
        assertEquals(300, all.size());
        assertArrayEquals(utf8(value(299)), all.get(299).value());
    }

    @Test
    void theLogRefusesABatchWhoseCodecIdNamesNoCodecAndKeepsWhatItHas()
    {
        appendKafkaBatches(Compression.lz4().build());
        final ByteBuffer bad = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(T0, utf8("v"))).buffer();
        bad.putShort(RecordBatchLayout.ATTRIBUTES_OFFSET, (short)6);
        final CRC32C crc = new CRC32C();
        crc.update(bad.duplicate().position(RecordBatchLayout.ATTRIBUTES_OFFSET));
        bad.putInt(RecordBatchLayout.CRC_OFFSET, (int)crc.getValue());
        final UnsupportedCompressionException e = assertThrows(UnsupportedCompressionException.class, () -> logs.partition(P0).append(bad));
        assertTrue(e.getMessage().contains("codec 6"), e.getMessage());
        assertEquals(300, logs.partition(P0).logEndOffset());
        assertEquals(300, consume(0, 300).size(), "what was there is read as before");
    }

    @Test
    void anUnknownCompressionTypeIsAConfigurationErrorNamingTheKnownOnes()
    {
        final InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
            () -> ProducerConfig.fromMap(Map.of("compression.type", "brotli")));
        assertTrue(e.getMessage().contains("brotli") && e.getMessage().contains("zstd"), e.getMessage());
        assertEquals(CompressionCodec.NONE, ProducerConfig.defaults().compressionType());
    }
}
