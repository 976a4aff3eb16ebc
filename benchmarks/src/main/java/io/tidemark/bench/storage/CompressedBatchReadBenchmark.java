package io.tidemark.bench.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.tidemark.log.record.CompressionCodec;
import io.tidemark.log.record.Record;
import io.tidemark.log.record.RecordBatchBuilder;
import io.tidemark.log.record.RecordBatchCursor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Reading one batch of 100 records through the cursor, as every in-process reader does:
 * uncompressed (in place) against lz4 and zstd (decompressed once per batch into the view's
 * buffer, then walked the same way). The records are JSON-like click events of about 100 bytes
 * with a short key, compressible as such events are; the batch sits in a direct buffer, as a
 * segment's memory map does. CRCs are not checked, so the figure is the decoding alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CompressedBatchReadBenchmark
{
    private static final int RECORDS = 100;

    /** The codec's {@code compression.type} name. */
    @Param({"none", "lz4", "zstd"})
    public String codec;

    private final RecordBatchCursor cursor = new RecordBatchCursor();
    private ByteBuffer batch;

    /** Builds the batch once. */
    @Setup(Level.Trial)
    public void build()
    {
        final Random random = new Random(42);
        final ByteBuffer heap = ByteBuffer.allocate(64 << 10);
        final RecordBatchBuilder builder = new RecordBatchBuilder().begin(heap, 0, heap.capacity()).compression(CompressionCodec.forName(codec));
        for (int i = 0; i < RECORDS; i++)
        {
            final String user = "user-" + random.nextInt(500);
            final String value = "{\"user\":\"" + user + "\",\"page\":\"/products/" + random.nextInt(2000) + "\",\"ts\":" +
                (1_700_000_000_000L + i * 37L) + ",\"session\":\"" + Long.toHexString(random.nextLong()) + "\"}";
            builder.append(1_700_000_000_000L + i * 37L, user.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        }
        final int size = builder.finish();
        batch = ByteBuffer.allocateDirect(size).put(heap.limit(size)).flip();
    }

    /**
     * Walks every record of the batch, touching each value.
     *
     * @param counter counts records.
     * @return a checksum of the last byte of every value.
     */
    @Benchmark
    public long readBatch(final RecordCounter counter)
    {
        cursor.wrap(batch, false);
        long checksum = 0;
        while (cursor.next())
        {
            final Record record = cursor.batch().records();
            while (record.next())
            {
                checksum += record.buffer().get(record.valueOffset() + record.valueLength() - 1);
                counter.records++;
            }
        }
        return checksum;
    }
}
