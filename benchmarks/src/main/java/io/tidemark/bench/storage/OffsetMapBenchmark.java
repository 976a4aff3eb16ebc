package io.tidemark.bench.storage;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.tidemark.log.storage.OffsetMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The log cleaner's hot path per record: {@code put} and {@code get} of the {@link OffsetMap}
 * (a 128-bit murmur3 hash of the key read in place, then a probe of the 128 MiB table) over
 * {@value #KEYS} keys of {@code keyBytes} bytes laid back to back in one buffer, as a segment's
 * records are, and beside them {@code md5}: the MD5 digest alone of the same keys through a
 * reused {@link MessageDigest}, the hash Kafka's cleaner uses. Scores are per key.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OffsetMapBenchmark
{
    private static final int KEYS = 1 << 20;

    @Param({"8", "64"})
    public int keyBytes;

    private ByteBuffer keys;
    private OffsetMap map;
    private MessageDigest md5;
    private final byte[] digest = new byte[16];

    /** Fills the keys with random bytes and the map with every key once. */
    @Setup
    public void setUp() throws NoSuchAlgorithmException
    {
        final byte[] bytes = new byte[KEYS * keyBytes];
        new SplittableRandom(42).nextBytes(bytes);
        keys = ByteBuffer.wrap(bytes);
        map = OffsetMap.withDefaults();
        map.clear(KEYS);
        put();
        md5 = MessageDigest.getInstance("MD5");
    }

    /** @return the keys put: each key's offset overwritten, as a key seen again in a dirty segment. */
    @Benchmark
    @OperationsPerInvocation(KEYS)
    public int put()
    {
        int put = 0;
        for (int i = 0; i < KEYS; i++)
        {
            if (map.put(keys, i * keyBytes, keyBytes, i))
            {
                put++;
            }
        }
        return put;
    }

    /** @return the sum of the offsets found, as the rewrite looks up each record's key. */
    @Benchmark
    @OperationsPerInvocation(KEYS)
    public long get()
    {
        long sum = 0;
        for (int i = 0; i < KEYS; i++)
        {
            sum += map.get(keys, i * keyBytes, keyBytes);
        }
        return sum;
    }

    /**
     * The MD5 digest of each key, into a reused array.
     *
     * @param blackhole takes each digest's first byte, so that none is optimised away.
     */
    @Benchmark
    @OperationsPerInvocation(KEYS)
    public void md5(final Blackhole blackhole) throws Exception
    {
        for (int i = 0; i < KEYS; i++)
        {
            md5.update(keys.array(), i * keyBytes, keyBytes);
            md5.digest(digest, 0, digest.length);
            blackhole.consume(digest[0]);
        }
    }
}
