package io.tidemark.bench.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A keyed producer at a fixed rate on its own thread, keeping each send's time and latency
 * (send to acknowledgement) so that windows of the run can be read apart afterwards: produce
 * latency before a broker's cleaner runs and while it does.
 */
final class SteadyProducer
{
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final long keys;
    private final long intervalNanos;
    private final Thread thread;
    /** Written by the producer's I/O thread in its callbacks, read after {@link #stop()} closed it. */
    private final long[] sentAt;
    private final long[] latency;
    private int samples;
    /** A send that fails at once calls back on the sending thread, not the I/O thread. */
    private final AtomicInteger failures = new AtomicInteger();
    private volatile boolean running = true;

    /**
     * @param properties the producer's settings (byte array serializers).
     * @param topic the topic; records go to its partition 0.
     * @param keys keys are drawn from {@code [0, keys)}.
     * @param rate records per second.
     * @param capacity the most sends kept; later ones are sent but not kept.
     */
    SteadyProducer(final Properties properties, final String topic, final long keys, final int rate, final long capacity)
    {
        this.producer = new KafkaProducer<>(properties);
        this.topic = topic;
        this.keys = keys;
        this.intervalNanos = 1_000_000_000L / rate;
        this.sentAt = new long[(int)Math.min(capacity, Integer.MAX_VALUE - 8)];
        this.latency = new long[sentAt.length];
        this.thread = new Thread(this::run, "steady-producer");
    }

    /** Starts sending. */
    void start()
    {
        thread.start();
    }

    /**
     * Stops sending, waits for the last acknowledgements and closes the producer.
     *
     * @throws InterruptedException if interrupted while waiting for the sending thread.
     */
    void stop() throws InterruptedException
    {
        running = false;
        thread.join();
        producer.close();
    }

    /**
     * Appends the latency figures of the sends made in a window of time: their count, p50, p99
     * and the largest, in milliseconds, and the failed sends of the whole run.
     *
     * @param out the file of {@link Measurements}.
     * @param name the window's name, the metrics' prefix.
     * @param from the window's start ({@link System#nanoTime()}), inclusive.
     * @param to its end, exclusive.
     * @throws IOException if the file cannot be written.
     */
    void window(final Path out, final String name, final long from, final long to) throws IOException
    {
        final long[] window = new long[samples];
        int count = 0;
        for (int i = 0; i < samples; i++)
        {
            if (sentAt[i] >= from && sentAt[i] < to)
            {
                window[count++] = latency[i];
            }
        }
        Arrays.sort(window, 0, count);
        Measurements.append(out, name + ".records", count);
        if (count > 0)
        {
            Measurements.append(out, name + ".p50_ms", window[(int)(count * 0.50)] / 1e6);
            Measurements.append(out, name + ".p99_ms", window[(int)(count * 0.99)] / 1e6);
            Measurements.append(out, name + ".max_ms", window[count - 1] / 1e6);
        }
        Measurements.append(out, name + ".failed_sends_in_run", failures.get());
    }

    private void run()
    {
        final byte[] value = ClientSettings.recordValue();
        final SplittableRandom random = new SplittableRandom(7);
        long due = System.nanoTime();
        while (running)
        {
            final long sent = System.nanoTime();
            producer.send(new ProducerRecord<>(topic, 0, CleanerBench.key(random.nextLong(keys)), value), (metadata, exception) ->
            {
                if (exception != null)
                {
                    failures.incrementAndGet();
                }
                else if (samples < sentAt.length)
                {
                    sentAt[samples] = sent;
                    latency[samples] = System.nanoTime() - sent;
                    samples++;
                }
            });
            due += intervalNanos;
            final long wait = due - System.nanoTime();
            if (wait > 0)
            {
                LockSupport.parkNanos(wait);
            }
        }
    }
}
