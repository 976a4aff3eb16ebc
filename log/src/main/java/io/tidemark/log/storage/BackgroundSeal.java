package io.tidemark.log.storage;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tidemark.log.TopicPartition;

/**
 * The seal of a segment the log rolled away from, run on a shared background thread: forcing
 * up to a segment's worth of bytes takes seconds, and the append that rolled must not wait for
 * it. Kafka flushes a rolled segment the same way, off the append path.
 *
 * <p>Until the seal is done the segment's data may not be on disk and its index files not
 * written; recovery then checks the segment batch by batch, as it does any segment found
 * without index files. A failed seal is logged here and left for {@link #finish}, which
 * seals again and so reports the failure to whoever needs the segment sealed.
 */
final class BackgroundSeal
{
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundSeal.class);
    /** One thread for every log of the process: seals queue behind each other, as they would for the disk. */
    private static final ExecutorService SEALER = Executors.newSingleThreadExecutor(task ->
    {
        final Thread thread = new Thread(task, "tidemark-segment-sealer");
        thread.setDaemon(true);
        return thread;
    });

    private final Segment segment;
    /** Set by whichever comes first: the sealer beginning the work, or {@link #cancel} dropping it. */
    private final AtomicBoolean claimed = new AtomicBoolean();
    private Future<?> done;

    private BackgroundSeal(final Segment segment)
    {
        this.segment = segment;
    }

    /**
     * Starts sealing {@code segment}, to which nothing is appended any more.
     *
     * @param topicPartition the log's partition, for a failure's message.
     * @param segment the segment just rolled away from.
     * @return the seal under way.
     */
    static BackgroundSeal start(final TopicPartition topicPartition, final Segment segment)
    {
        final BackgroundSeal seal = new BackgroundSeal(segment);
        seal.done = onSealer(() ->
        {
            if (!seal.claimed.compareAndSet(false, true))
            {
                return;
            }
            try
            {
                segment.seal();
            }
            catch (final IOException | RuntimeException e)
            {
                LOG.warn("{}: cannot seal {} in the background (the next roll, flush or close retries): {}", topicPartition, segment,
                    e.toString());
            }
        });
        return seal;
    }

    /**
     * Queues a task on the sealer's thread, which runs its tasks one at a time in order: for
     * seals, and for tests, to hold back the seals queued meanwhile or to wait for those before.
     *
     * @param task the work.
     * @return the task's completion.
     */
    static Future<?> onSealer(final Runnable task)
    {
        return SEALER.submit(task);
    }

    /** @return the segment being sealed. */
    Segment segment()
    {
        return segment;
    }

    /** @return true once the background work ended, well or not. */
    boolean isDone()
    {
        return done.isDone();
    }

    /**
     * Seals the segment here if the sealer has not begun (it may be busy with other logs'
     * seals), else waits for it and seals again, which does nothing if that work succeeded and
     * otherwise retries it here.
     *
     * @throws IOException if the segment cannot be sealed.
     */
    void finish() throws IOException
    {
        if (!claimed.compareAndSet(false, true))
        {
            await();
        }
        segment.seal();
    }

    /** For a segment about to be deleted or abandoned: drops the seal if it has not begun, else waits for its end. */
    void cancel()
    {
        // Not Future.cancel: a task cancelled while it runs reports done at once and runs on.
        if (claimed.compareAndSet(false, true))
        {
            return;
        }
        await();
    }

    /** Waits for the background work, well or not, and not interruptibly: callers need the seal over before they go on. */
    void await()
    {
        boolean interrupted = false;
        while (true)
        {
            try
            {
                done.get();
                break;
            }
            catch (final InterruptedException e)
            {
                interrupted = true;
            }
            catch (final ExecutionException e)
            {
                break; // the task logs its own failures
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }
}
